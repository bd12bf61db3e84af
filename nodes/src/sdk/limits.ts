/**
 * Bounds on what one node may produce, so that a hostile or mistaken pipeline
 * gets a clear error instead of exhausting memory.
 */
export const LIMITS = {
  maxWidth: 4096,
  maxHeight: 4096,
  maxFps: 120,
  /**
   * Frames of one video or mask: an hour at 24 fps. Frames live on disk
   * (frame-sequence.ts), so length costs disk, which the run's byte budget
   * bounds, not memory.
   */
  maxFrames: 86_400,
  /** A file a pipeline reads (image or video). */
  maxInputFileBytes: 2 * 1024 ** 3,
  /**
   * Pixels of one picture or video frame that is decoded, read from its header
   * first: a few hundred KiB of PNG can declare 12000×12000 (0.4 GB decoded).
   * 2^26 ≈ 67 megapixels covers the largest camera photos people use.
   */
  maxDecodePixels: 2 ** 26,
} as const;

export class LimitError extends Error {
  override name = 'LimitError';
}

export function checkVideoSize(width: number, height: number, frameCount: number): void {
  if (width < 1 || height < 1 || width > LIMITS.maxWidth || height > LIMITS.maxHeight) {
    throw new LimitError(
      `A frame of ${width}×${height} is outside the supported size (1×1 to ${LIMITS.maxWidth}×${LIMITS.maxHeight}).`,
    );
  }
  if (frameCount > LIMITS.maxFrames) {
    throw new LimitError(`${frameCount} frames is more than the limit of ${LIMITS.maxFrames}; trim the clip or lower the fps.`);
  }
}

/** Why a picture of this declared size is not decoded, or undefined when it may be. */
export function decodePixelsProblem(width: number, height: number): string | undefined {
  if (width * height <= LIMITS.maxDecodePixels) return undefined;
  const megapixels = (pixels: number) => `${Math.round(pixels / 1e6)} megapixels`;
  return `declares ${width}×${height} pixels (${megapixels(width * height)}); pictures up to ${megapixels(LIMITS.maxDecodePixels)} are decoded. Scale it down first`;
}

export function checkDecodePixels(width: number, height: number): void {
  const problem = decodePixelsProblem(width, height);
  if (problem) throw new LimitError(`The picture ${problem}.`);
}

/**
 * Decoder options for every ffmpeg and ffprobe input: formats whose size no
 * header reader here knows (TGA, PCX, …) are still refused past the pixel
 * limit by the decoder itself, before it allocates the picture.
 */
export const DECODE_GUARD: readonly string[] = ['-max_pixels', String(LIMITS.maxDecodePixels)];
