/** Synthetic frames for the pixel-operation tests. Not part of the public API. */
import type { RgbFrames } from '../frames.ts';

/** Frames whose pixels are f(x, y, frame) → [r, g, b]. */
export function makeFrames(width: number, height: number, frameCount: number, f: (x: number, y: number, frame: number) => readonly number[]): RgbFrames {
  const frames = new Uint8Array(width * height * 3 * frameCount);
  for (let n = 0; n < frameCount; n++) {
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++) frames.set(f(x, y, n), ((n * height + y) * width + x) * 3);
    }
  }
  return { width, height, frameCount, frames };
}

/** The [r, g, b] of pixel (x, y) of frame `n`. */
export function pixelAt(f: RgbFrames, x: number, y: number, n = 0): number[] {
  const i = ((n * f.height + y) * f.width + x) * 3;
  return [...f.frames.subarray(i, i + 3)];
}

/** Largest per-channel difference between two equally sized frame sets. */
export function maxDifference(a: Uint8Array, b: Uint8Array): number {
  if (a.length !== b.length) throw new RangeError('different sizes');
  let max = 0;
  for (let i = 0; i < a.length; i++) max = Math.max(max, Math.abs(a[i]! - b[i]!));
  return max;
}
