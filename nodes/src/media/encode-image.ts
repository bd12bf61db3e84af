/**
 * Encodes one RGB24 picture to a small PNG or JPEG in memory, optionally
 * scaled down to fit a box: live previews and thumbnails for clients.
 */
import type { ImageValue } from '../sdk/values.ts';
import { runFfmpeg } from './ffmpeg-process.ts';
import { rawVideoInput } from './raw-video.ts';

export interface EncodeImageOptions {
  format: 'png' | 'jpeg';
  /** Scale down (never up), keeping the aspect ratio, to fit this box. */
  maxWidth?: number;
  maxHeight?: number;
  signal?: AbortSignal;
}

export async function encodeImage(image: ImageValue, options: EncodeImageOptions): Promise<Buffer> {
  const { width, height } = fitWithin(image.width, image.height, options.maxWidth ?? image.width, options.maxHeight ?? image.height);
  const chunks: Buffer[] = [];
  const codec = options.format === 'png' ? ['-c:v', 'png', '-f', 'image2pipe'] : ['-c:v', 'mjpeg', '-q:v', '5', '-f', 'image2pipe'];
  await runFfmpeg(
    [
      ...rawVideoInput({ width: image.width, height: image.height, fps: 1 }),
      '-frames:v',
      '1',
      '-vf',
      // JPEG wants full-range YUV; without it the encoder refuses the limited-range default.
      `scale=${width}:${height}:flags=area${options.format === 'jpeg' ? ',format=yuvj420p' : ''}`,
      ...codec,
      'pipe:1',
    ],
    { input: [image.pixels], signal: options.signal, onStdout: (chunk) => void chunks.push(chunk) },
  );
  return Buffer.concat(chunks);
}

/** The largest size within the box with the same aspect ratio, never larger than the source, even for YUV. */
export function fitWithin(width: number, height: number, maxWidth: number, maxHeight: number): { width: number; height: number } {
  const scale = Math.min(1, maxWidth / width, maxHeight / height);
  const even = (value: number) => Math.max(2, Math.floor((value * scale) / 2) * 2);
  return scale === 1 ? { width, height } : { width: even(width), height: even(height) };
}
