/**
 * A group's geometry: the frame drawn around a selection, and which canvas
 * items a frame holds. Membership is geometric (as ComfyUI's groups): what
 * sits inside the frame when a drag starts moves with it, so a node dragged
 * out of a frame leaves its group and one dragged in joins it, with no list
 * of members to fall out of date.
 */
import type { Box } from './canvas-annotations.ts';

/** Room around the framed nodes, and above them for the title bar. */
export const GROUP_PADDING = 24;
export const GROUP_TITLE_HEIGHT = 34;

export function frameAround(boxes: readonly Box[]): Box | undefined {
  if (boxes.length === 0) return undefined;
  const left = Math.min(...boxes.map((box) => box.x));
  const top = Math.min(...boxes.map((box) => box.y));
  const right = Math.max(...boxes.map((box) => box.x + box.width));
  const bottom = Math.max(...boxes.map((box) => box.y + box.height));
  return {
    x: left - GROUP_PADDING,
    y: top - GROUP_PADDING - GROUP_TITLE_HEIGHT,
    width: right - left + 2 * GROUP_PADDING,
    height: bottom - top + 2 * GROUP_PADDING + GROUP_TITLE_HEIGHT,
  };
}

/** The ids of the boxes whose centre lies inside the frame. */
export function itemsInFrame(frame: Box, items: readonly (Box & { id: string })[]): string[] {
  return items
    .filter((item) => {
      const cx = item.x + item.width / 2;
      const cy = item.y + item.height / 2;
      return cx >= frame.x && cx <= frame.x + frame.width && cy >= frame.y && cy <= frame.y + frame.height;
    })
    .map((item) => item.id);
}
