/**
 * The frame layouts pixel operations take and return. They are structural:
 * the nodes package's VideoValue satisfies RgbFrames, MaskValue satisfies
 * GrayFrames and ImageValue satisfies RgbImage, without models importing it.
 */

/** Packed RGB24 frames back to back (row-major, top row first). */
export interface RgbFrames {
  width: number;
  height: number;
  frameCount: number;
  frames: Uint8Array;
}

/** Gray8 frames back to back, e.g. a mask (255 = inside). */
export interface GrayFrames {
  width: number;
  height: number;
  frameCount: number;
  data: Uint8Array;
}

/** One packed RGB24 picture. */
export interface RgbImage {
  width: number;
  height: number;
  pixels: Uint8Array;
}

/** A one-frame view (no copy) of an image. */
export function imageAsFrames(image: RgbImage): RgbFrames {
  return { width: image.width, height: image.height, frameCount: 1, frames: image.pixels };
}

function checkSize(width: number, height: number, frameCount: number, bytes: number, channels: number, what: string): void {
  if (!Number.isInteger(width) || !Number.isInteger(height) || width < 1 || height < 1) {
    throw new RangeError(`${what} is ${width}×${height}; width and height must be positive integers.`);
  }
  if (!Number.isInteger(frameCount) || frameCount < 0) throw new RangeError(`${what} has frameCount ${frameCount}; it must be a whole number.`);
  const expected = width * height * channels * frameCount;
  if (bytes !== expected) {
    throw new RangeError(`${what} holds ${bytes} bytes, but ${frameCount} frame(s) of ${width}×${height}×${channels} need ${expected}.`);
  }
}

export function checkRgbFrames(f: RgbFrames, what: string): void {
  checkSize(f.width, f.height, f.frameCount, f.frames.byteLength, 3, what);
}

export function checkGrayFrames(f: GrayFrames, what: string): void {
  checkSize(f.width, f.height, f.frameCount, f.data.byteLength, 1, what);
}
