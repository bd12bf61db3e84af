/**
 * Keyframed mask regions as the mask painter edits them, in the mask and
 * inpaint nodes' format: the centre (x, y) and size of the shape as fractions
 * of the frame, at times in seconds, moving linearly between keyframes and
 * held before the first and after the last. The shape (ellipse or rectangle)
 * is the node's `shape` param.
 */
export interface MaskBox {
  /** Centre, 0 = left edge, 1 = right edge. */
  x: number;
  /** Centre, 0 = top edge, 1 = bottom edge. */
  y: number;
  width: number;
  height: number;
}

export interface MaskKeyframe extends MaskBox {
  time: number;
}

/** Keyframes closer than this (seconds) are the same keyframe. */
export const SAME_TIME = 0.05;

export function readMaskKeyframes(value: unknown): MaskKeyframe[] {
  if (!Array.isArray(value)) return [];
  return value.filter((item): item is MaskKeyframe => {
    if (typeof item !== 'object' || item === null) return false;
    const record = item as Record<string, unknown>;
    return ['time', 'x', 'y', 'width', 'height'].every((field) => typeof record[field] === 'number');
  });
}

export function maskAt(keyframes: readonly MaskKeyframe[], time: number): MaskKeyframe | undefined {
  const first = keyframes[0];
  if (!first) return undefined;
  const next = keyframes.findIndex((keyframe) => keyframe.time > time);
  if (next === 0) return { ...first, time };
  if (next === -1) return { ...keyframes.at(-1)!, time };
  const from = keyframes[next - 1]!;
  const to = keyframes[next]!;
  const t = (time - from.time) / (to.time - from.time);
  const mix = (a: number, b: number) => a + (b - a) * t;
  return { time, x: mix(from.x, to.x), y: mix(from.y, to.y), width: mix(from.width, to.width), height: mix(from.height, to.height) };
}

/** Sets the keyframe at its time: replaces one within SAME_TIME, else inserts it in time order. */
export function setMaskKeyframe(keyframes: readonly MaskKeyframe[], keyframe: MaskKeyframe): MaskKeyframe[] {
  const rounded = roundKeyframe(keyframe);
  const others = keyframes.filter((k) => Math.abs(k.time - rounded.time) >= SAME_TIME);
  return [...others, rounded].sort((a, b) => a.time - b.time);
}

/** The box spanned by a drag between two points (fractions of the frame), kept inside the frame. */
export function boxFromDrag(a: { x: number; y: number }, b: { x: number; y: number }): MaskBox {
  const clamp = (value: number) => Math.min(1, Math.max(0, value));
  const left = clamp(Math.min(a.x, b.x));
  const top = clamp(Math.min(a.y, b.y));
  const width = clamp(Math.max(a.x, b.x)) - left;
  const height = clamp(Math.max(a.y, b.y)) - top;
  return { x: left + width / 2, y: top + height / 2, width, height };
}

/** The same box moved so its centre is at `centre`. */
export function moveBox(box: MaskBox, centre: { x: number; y: number }): MaskBox {
  return { ...box, x: centre.x, y: centre.y };
}

function roundKeyframe(keyframe: MaskKeyframe): MaskKeyframe {
  const r = (value: number) => Math.round(value * 1000) / 1000;
  return { time: r(keyframe.time), x: r(keyframe.x), y: r(keyframe.y), width: r(keyframe.width), height: r(keyframe.height) };
}
