/** An exported file decoded whole into memory, for tests that compare frames: small clips only. */
import { decodeVideo, memoryFrameStore, type VideoValue } from '@reelgraph/nodes';

export interface DecodedVideo extends Omit<VideoValue, 'frames'> {
  /** Every frame, RGB24 back to back. */
  pixels: Uint8Array;
  /** A view of frame `index`. */
  frame(index: number): Uint8Array;
}

export async function decodeWhole(file: string, options: { start?: number; end?: number } = {}): Promise<DecodedVideo> {
  const video = await decodeVideo(file, { ...options, store: memoryFrameStore });
  const pixels = await video.frames.read(0, video.frameCount);
  const size = video.frames.frameBytes;
  const { frames: _frames, ...shape } = video;
  return { ...shape, pixels, frame: (index) => pixels.subarray(index * size, (index + 1) * size) };
}
