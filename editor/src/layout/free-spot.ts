/**
 * Where a new node goes: at the spot asked for when it is free, else at the
 * nearest spot that is, so a node added from the toolbar or the palette never
 * lands on top of another. Candidates lie on a grid of half a node around the
 * spot, tried nearest first; past a dozen rings the spot asked for wins.
 */
import { shownInputs } from '../nodes/shown-inputs.ts';
import type { Size } from './elk-graph.ts';
import { overlap, type Box } from './overlap.ts';

/** Space kept between a new node and its neighbours. */
export const NODE_GAP = 24;
const RINGS = 12;

export function freeSpot(at: { x: number; y: number }, size: Size, others: readonly Box[], gap = NODE_GAP): { x: number; y: number } {
  const fits = (x: number, y: number) => !others.some((other) => overlap({ x, y, ...size }, other, gap));
  if (fits(at.x, at.y)) return at;
  const [stepX, stepY] = [(size.width + gap) / 2, (size.height + gap) / 2];
  const candidates: { x: number; y: number; distance: number }[] = [];
  for (let i = -RINGS; i <= RINGS; i++) {
    for (let j = -RINGS; j <= RINGS; j++) {
      const [dx, dy] = [i * stepX, j * stepY];
      candidates.push({ x: at.x + dx, y: at.y + dy, distance: Math.hypot(dx, dy) });
    }
  }
  candidates.sort((a, b) => a.distance - b.distance);
  const found = candidates.find((candidate) => fits(candidate.x, candidate.y));
  return found ? { x: found.x, y: found.y } : at;
}

/** How large a node of this kind will draw, before it has: a header, a row per port and param, and room for a preview when it makes pictures. */
export function estimatedNodeSize(entry: { inputs: Record<string, { growing?: boolean }>; outputs: Record<string, { type: string }>; params: object }, width = 252): Size {
  // A new node shows one free growing input, not all of them.
  const rows = shownInputs(entry.inputs, []).length + Object.keys(entry.outputs).length + Object.keys(entry.params).length;
  const pictures = Object.values(entry.outputs).some((port) => port.type === 'VIDEO' || port.type === 'IMAGE' || port.type === 'MASK');
  return { width, height: 40 + 24 * rows + (pictures ? 150 : 0) };
}
