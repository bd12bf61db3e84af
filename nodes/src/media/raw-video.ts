/** How RGB24 frames travel to and from ffmpeg through its stdin and stdout. */
import type { FrameSequence } from '../sdk/frame-sequence.ts';
import type { VideoValue } from '../sdk/values.ts';

/** Scaler flags: exact RGB rounding, and chroma read at full resolution when converting from YUV. */
export const SCALER = ['-sws_flags', 'bicubic+accurate_rnd+full_chroma_int'];

/** ffmpeg output options that write packed RGB24 frames to stdout. */
export const RAW_OUT = ['-f', 'rawvideo', '-pix_fmt', 'rgb24', 'pipe:1'];

/** ffmpeg input options that read `video`'s frames from stdin. */
export function rawVideoInput(video: Pick<VideoValue, 'width' | 'height' | 'fps'>): string[] {
  return ['-f', 'rawvideo', '-pix_fmt', 'rgb24', '-s', `${video.width}x${video.height}`, '-framerate', String(video.fps), '-i', 'pipe:0'];
}

/** The frames of `sequence` a chunk at a time, for ffmpeg's stdin, reporting frames as they are taken. */
export async function* framesOf(sequence: FrameSequence, onProgress?: (done: number, total: number) => void): AsyncGenerator<Uint8Array> {
  for await (const block of sequence.blocks()) {
    yield block.data;
    onProgress?.(block.start + block.frameCount, sequence.frameCount);
  }
}
