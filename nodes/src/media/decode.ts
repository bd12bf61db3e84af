/**
 * Decoding images and videos into RGB24 values, and re-fitting raw video to
 * another size and rate, all through ffmpeg pipes.
 */
import { readFile } from 'node:fs/promises';
import { NodeError } from '../sdk/define-node.ts';
import { checkVideoSize, DECODE_GUARD, LIMITS } from '../sdk/limits.ts';
import type { FrameStore } from '../sdk/frame-sequence.ts';
import { videoOf, type ImageValue, type VideoValue } from '../sdk/values.ts';
import { checkPictureSize } from './check-picture-size.ts';
import { FrameAppender } from './frame-appender.ts';
import { PictureCollector } from './picture-collector.ts';
import { fileUrl, runFfmpeg } from './ffmpeg-process.ts';
import { probeMedia, type MediaInfo } from './probe.ts';
import { framesOf, RAW_OUT, rawVideoInput, SCALER } from './raw-video.ts';

export const FITS = ['cover', 'contain', 'stretch'] as const;
export type Fit = (typeof FITS)[number];


/**
 * ffmpeg filters that bring any picture to exactly width×height: `stretch`
 * ignores the aspect ratio, `cover` scales to fill and crops the overflow
 * evenly from both sides, `contain` scales to fit and pads with black, centred.
 */
export function fitFilter(fit: Fit, width: number, height: number): string {
  const size = `${width}:${height}`;
  switch (fit) {
    case 'stretch':
      return `scale=${size}`;
    case 'cover':
      return `scale=${size}:force_original_aspect_ratio=increase,crop=${size}`;
    case 'contain':
      return `scale=${size}:force_original_aspect_ratio=decrease,pad=${size}:(ow-iw)/2:(oh-ih)/2:color=black`;
  }
}

export interface DecodeImageOptions {
  /**
   * A picture larger than this in both dimensions is scaled down (aspect kept)
   * until one side meets it, and never beyond the size limits; a smaller one
   * keeps its size. Fitting to an exact size is the caller's (resizeFrames).
   */
  reduceTo?: { width: number; height: number };
  signal?: AbortSignal;
}

/** Still-image codecs decodeImage reads (ffprobe's names, which are also ffmpeg's decoder names). */
export const IMAGE_CODECS = ['png', 'mjpeg', 'webp', 'bmp', 'tiff', 'gif'] as const;

/**
 * The first frame of an image as RGB24. Transparency is flattened onto black,
 * the colour `contain` pads with. The codec is recognised from the content
 * (ffprobe reads the bytes through a pipe), then ffmpeg reads the file as one
 * picture of that codec: its image reader would otherwise choose the codec by
 * extension and take `%d`, `*` or `[` in a name for a sequence pattern.
 */
export async function decodeImage(file: string, options: DecodeImageOptions = {}): Promise<ImageValue> {
  const { reduceTo, signal } = options;
  // The header's size first: ffprobe and ffmpeg would decode a bomb whole.
  if (!(await checkPictureSize(file))) throw new NodeError(`The file is not a PNG, JPEG, WebP, BMP, TIFF or GIF image.`);
  const info = await probeMedia(await readFile(file), { signal });
  if (!(IMAGE_CODECS as readonly string[]).includes(info.codec)) {
    throw new NodeError(`The file is not a PNG, JPEG, WebP, BMP, TIFF or GIF image (ffprobe found ${info.codec || 'no picture'}).`);
  }
  const { width: outWidth, height: outHeight } = reduceTo ? reducedSize(info, reduceTo) : info;
  checkVideoSize(outWidth, outHeight, 1);

  const flatten = `color=c=black:s=${info.width}x${info.height}[bg];[bg][0:v]overlay=format=rgb:shortest=1,format=rgb24`;
  const resize = outWidth !== info.width || outHeight !== info.height ? `,scale=${outWidth}:${outHeight}` : '';
  const collector = new PictureCollector(outWidth, outHeight);
  await runFfmpeg(
    [
      ...['-f', 'image2', '-pattern_type', 'none', '-c:v', info.codec, ...DECODE_GUARD, '-i', fileUrl(file)],
      ...['-filter_complex', `${flatten}${resize},format=rgb24[out]`, '-map', '[out]', '-frames:v', '1'],
      ...SCALER,
      ...RAW_OUT,
    ],
    { signal, onStdout: (chunk) => collector.push(chunk) },
  );
  let pixels: Uint8Array;
  try {
    pixels = collector.finish();
  } catch (error) {
    throw new NodeError(`ffmpeg decoded no whole picture from the file: ${(error as Error).message}`);
  }
  return { kind: 'image', width: outWidth, height: outHeight, pixels };
}

/** The size decodeImage reduces a picture to: see DecodeImageOptions.reduceTo. */
export function reducedSize(picture: { width: number; height: number }, reduceTo: { width: number; height: number }): { width: number; height: number } {
  const { width, height } = picture;
  const scale = Math.min(1, Math.max(reduceTo.width / width, reduceTo.height / height), LIMITS.maxWidth / width, LIMITS.maxHeight / height);
  return scale === 1 ? { width, height } : { width: Math.max(1, Math.round(width * scale)), height: Math.max(1, Math.round(height * scale)) };
}

export interface DecodeVideoOptions {
  /** Where the frames go. */
  store: FrameStore;
  /** Seconds from the start; the first frame is the one shown at that moment. */
  start?: number;
  /** Seconds from the start of the file, exclusive; omitted means to the end. */
  end?: number;
  signal?: AbortSignal;
  /** Called per decoded frame with a view of that frame, for live thumbnails. */
  onProgress?: (done: number, total: number, latest: ImageValue) => void;
}

/**
 * A video file as RGB24 frames at its own size and a constant frame rate (its
 * own; variable-rate files are resampled to their average rate). Trimming is
 * frame-accurate: ffmpeg seeks to the keyframe before `start` and decodes and
 * drops the frames up to it.
 */
export async function decodeVideo(file: string, options: DecodeVideoOptions): Promise<VideoValue> {
  const { start = 0, end, signal, onProgress, store } = options;
  if (start < 0 || (end !== undefined && end <= start)) {
    throw new RangeError(`Cannot trim from ${start} s to ${end} s: end must come after start, and start must not be negative.`);
  }
  const info = await probeMedia(file, { signal });
  requireVideo(info);
  if (info.duration > 0 && start >= info.duration) {
    throw new NodeError(`The start (${start} s) is at or past the end of the clip (${info.duration.toFixed(2)} s).`);
  }
  const expected = expectedFrames(info, start, end);
  checkVideoSize(info.width, info.height, expected);

  const frames = new FrameAppender(store.create({ width: info.width, height: info.height, channels: 3 }), (done, pixels) => {
    onProgress?.(done, Math.max(done, expected), { kind: 'image', width: info.width, height: info.height, pixels });
  });
  await runFfmpeg(
    [
      ...(start > 0 ? ['-ss', seconds(start)] : []),
      ...DECODE_GUARD,
      '-i',
      fileUrl(file),
      ...(end !== undefined ? ['-t', seconds(end - start)] : []),
      // The first video stream that is not cover art, as probeMedia chose.
      '-map',
      '0:V:0',
      '-vsync',
      'cfr',
      '-r',
      info.frameRate,
      ...SCALER,
      ...RAW_OUT,
    ],
    { signal, onStdout: (chunk) => frames.push(chunk) },
  );
  const sequence = await frames.finish();
  if (sequence.frameCount === 0) throw new NodeError('ffmpeg decoded no frames from the file (is the trim range inside the clip?).');
  return videoOf(sequence, info.fps);
}

/** Frames ffmpeg is expected to deliver for a trim: a guess when the container does not store a count. */
export function expectedFrames(info: MediaInfo, start: number, end: number | undefined): number {
  const remaining = info.frameCount > 0 ? Math.max(0, info.frameCount - Math.round(start * info.fps)) : undefined;
  const span = end !== undefined ? Math.ceil((end - start) * info.fps - 1e-9) : undefined;
  return Math.min(remaining ?? span ?? 0, span ?? remaining ?? 0);
}

export interface ConformOptions {
  store: FrameStore;
  width: number;
  height: number;
  fps: number;
  fit: Fit;
  signal?: AbortSignal;
  onProgress?: (done: number, total: number) => void;
}

/**
 * Brings a video to another size (by `fit`) and frame rate (ffmpeg's `fps`
 * filter: frames are dropped or repeated, never blended).
 */
export async function conformVideo(video: VideoValue, options: ConformOptions): Promise<VideoValue> {
  const { width, height, fps, fit, signal, onProgress, store } = options;
  const frames = new FrameAppender(store.create({ width, height, channels: 3 }));
  await runFfmpeg(
    [
      ...rawVideoInput(video),
      '-vf',
      `fps=${fps},${fitFilter(fit, width, height)},format=rgb24`,
      ...SCALER,
      ...RAW_OUT,
    ],
    { signal, input: framesOf(video.frames, onProgress), onStdout: (chunk) => frames.push(chunk) },
  );
  return videoOf(await frames.finish(), fps);
}

/** A duration as ffmpeg parses it: never in exponent notation. */
function seconds(value: number): string {
  return value.toFixed(6);
}

function requireVideo(info: MediaInfo): void {
  if (!info.hasVideo) throw new NodeError('The file holds no picture or video stream that ffmpeg can read.');
}
