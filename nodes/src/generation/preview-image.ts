import { resizeFrames } from '@reelgraph/models';
import type { ImageValue } from '../sdk/values.ts';

/** Longest side of a live preview: a thumbnail on a node, cheap to send often. */
export const PREVIEW_SIZE = 192;

/** A small copy of one RGB24 frame for `ctx.progress`. */
export async function previewImage(frame: Uint8Array, width: number, height: number): Promise<ImageValue> {
  const scale = Math.min(1, PREVIEW_SIZE / Math.max(width, height));
  if (scale === 1) return { kind: 'image', width, height, pixels: frame.slice() };
  const small = { width: Math.max(1, Math.round(width * scale)), height: Math.max(1, Math.round(height * scale)) };
  const resized = await resizeFrames({ width, height, frameCount: 1, frames: frame }, { ...small, fit: 'stretch' });
  return { kind: 'image', ...small, pixels: resized.frames };
}

/**
 * Which progress reports carry a thumbnail: the first, then about one per
 * second of video, and the last. `due(done)` says whether the report at
 * `done` frames (of `total`) should have one.
 */
export function previewSchedule(fps: number, total: number): (done: number) => boolean {
  const every = Math.max(1, Math.round(fps));
  let next = 0;
  return (done) => {
    if (done <= next && done !== total) return false;
    next = done + every - 1;
    return true;
  };
}
