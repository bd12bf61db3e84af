/** How RGB24 frames travel to and from ffmpeg through its stdin and stdout. */
import { frameBytes, videoFrame, type VideoValue } from '../sdk/values.ts';

/** Scaler flags: exact RGB rounding, and chroma read at full resolution when converting from YUV. */
export const SCALER = ['-sws_flags', 'bicubic+accurate_rnd+full_chroma_int'];

/** ffmpeg output options that write packed RGB24 frames to stdout. */
export const RAW_OUT = ['-f', 'rawvideo', '-pix_fmt', 'rgb24', 'pipe:1'];

/** ffmpeg input options that read `video`'s frames from stdin. */
export function rawVideoInput(video: Pick<VideoValue, 'width' | 'height' | 'fps'>): string[] {
  return ['-f', 'rawvideo', '-pix_fmt', 'rgb24', '-s', `${video.width}x${video.height}`, '-framerate', String(video.fps), '-i', 'pipe:0'];
}

/** The frames of `video` one by one (views, no copies), reporting each as it is taken. */
export function* framesOf(video: VideoValue, onProgress?: (done: number, total: number) => void): Generator<Uint8Array> {
  if (video.frames.byteLength < frameBytes(video.width, video.height) * video.frameCount) {
    throw new RangeError(`The video holds fewer bytes than ${video.frameCount} frames of ${video.width}×${video.height} need.`);
  }
  for (let index = 0; index < video.frameCount; index++) {
    yield videoFrame(video, index);
    onProgress?.(index + 1, video.frameCount);
  }
}
