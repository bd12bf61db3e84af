/**
 * Encodes a video value into a file: frames go to ffmpeg on stdin, the result
 * is written under a hidden temporary name next to the target and published
 * under the target name only when complete (see publish.ts).
 *
 * Quality (1..100) maps linearly onto each encoder's own scale:
 * - MP4 (H.264, libx264): CRF = round(51 − 37·(q − 1)/99): q 1 → 51, q 80 → 21, q 100 → 14.
 *   14 is visually lossless; lower CRFs only grow the file.
 * - WebM (VP9, libvpx-vp9, constant quality with `-b:v 0`): CRF = round(63 − 48·(q − 1)/99):
 *   q 1 → 63, q 80 → 25, q 100 → 15.
 * - GIF: palette size = round(8 + 248·(q − 1)/99) colours: q 1 → 8, q 80 → 206, q 100 → 256.
 * - PNG is lossless: quality does not apply.
 *
 * MP4 and WebM are 4:2:0 BT.709 (limited range), tagged as such, which browsers
 * play and ffmpeg decodes back to the same colours. H.264 4:2:0 needs even
 * sizes: an odd width or height gets one black column or row.
 */
import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { throwIfAborted } from '../sdk/define-node.ts';
import type { VideoValue } from '../sdk/values.ts';
import { CONTAINER_TAGS, MAX_EMBEDDED_PIPELINE_CHARS, PNG_KEYWORDS, type EmbeddedMetadata } from './embedded-metadata.ts';
import { fileUrl, runFfmpeg } from './ffmpeg-process.ts';
import { insertGifComments } from './gif-comment.ts';
import { insertPngText } from './png-text.ts';
import { framesOf, rawVideoInput } from './raw-video.ts';
import { exists, publishFile, publishFolder, syncFile, temporarySibling, TargetExistsError } from './publish.ts';

export const ENCODE_FORMATS = ['mp4', 'webm', 'gif', 'png'] as const;
export type EncodeFormat = (typeof ENCODE_FORMATS)[number];

/** GIF frame delays are whole centiseconds and browsers slow anything under 2 cs down to 10 cs. */
export const GIF_MAX_FPS = 50;

/** Name of the frames in a PNG export folder, numbered from 1. */
export const PNG_FRAME_PATTERN = 'frame_%05d.png';

export interface EncodeOptions {
  format: EncodeFormat;
  /** Output frame rate; omitted, the video's own. Frames are dropped or repeated to meet it. */
  fps?: number;
  /** 1..100, see the mapping above. */
  quality: number;
  /** Scales the frames to this size on the way in (previews); omitted, the video's own. */
  size?: { width: number; height: number };
  /** The file to write, or for `png` the folder. It must not exist. */
  target: string;
  metadata: EmbeddedMetadata;
  signal?: AbortSignal;
  onProgress?: (done: number, total: number) => void;
}

export interface EncodeResult {
  path: string;
  /** For `png`: the frame files in the folder, in order. */
  files?: string[];
}

const lerp = (quality: number, from: number, to: number) => Math.round(from + ((to - from) * (clampQuality(quality) - 1)) / 99);

function clampQuality(quality: number): number {
  return Math.min(100, Math.max(1, quality));
}

export function x264Crf(quality: number): number {
  return lerp(quality, 51, 14);
}

export function vp9Crf(quality: number): number {
  return lerp(quality, 63, 15);
}

export function gifColors(quality: number): number {
  return lerp(quality, 8, 256);
}

/** The frame rate written: the requested one (or the video's), capped for GIF. */
export function outputFps(format: EncodeFormat, videoFps: number, fps?: number): number {
  const wanted = fps && fps > 0 ? fps : videoFps;
  return format === 'gif' ? Math.min(wanted, GIF_MAX_FPS) : wanted;
}

const BT709_YUV420 = 'scale=out_color_matrix=bt709:out_range=tv,format=yuv420p';
const BT709_TAGS = ['-colorspace', 'bt709', '-color_primaries', 'bt709', '-color_trc', 'bt709', '-color_range', 'tv'];

/** The filter graph from the raw input `[0:v]` to `[out]`. */
export function encodeFilter(
  format: EncodeFormat,
  video: Pick<VideoValue, 'width' | 'height' | 'fps'>,
  fps: number,
  quality: number,
  size?: { width: number; height: number },
): string {
  const steps = fps !== video.fps ? [`fps=${fps}`] : [];
  const scaled = size && (size.width !== video.width || size.height !== video.height) ? size : undefined;
  if (scaled) steps.push(`scale=${scaled.width}:${scaled.height}:flags=bicubic`);
  const { width, height } = scaled ?? video;
  switch (format) {
    case 'mp4':
      if (width % 2 !== 0 || height % 2 !== 0) steps.push('pad=ceil(iw/2)*2:ceil(ih/2)*2:0:0:color=black');
      steps.push(BT709_YUV420);
      break;
    case 'webm':
      steps.push(BT709_YUV420);
      break;
    case 'gif':
      // One graph: the palette is computed from all frames, then applied to them.
      return `[0:v]${[...steps, 'split'].join(',')}[a][b];[a]palettegen=max_colors=${gifColors(quality)}[p];[b][p]paletteuse=dither=sierra2_4a[out]`;
    case 'png':
      break;
  }
  return `[0:v]${steps.length > 0 ? steps.join(',') : 'null'}[out]`;
}

function codecArgs(format: EncodeFormat, quality: number, metadata: EmbeddedMetadata): string[] {
  const tags = [
    ...(metadata.pipeline !== undefined ? ['-metadata', `${CONTAINER_TAGS.pipeline}=${metadata.pipeline}`] : []),
    '-metadata',
    `${CONTAINER_TAGS.disclosure}=${metadata.disclosure}`,
  ];
  switch (format) {
    case 'mp4':
      return ['-c:v', 'libx264', '-preset', 'medium', '-crf', String(x264Crf(quality)), ...BT709_TAGS, ...tags, '-movflags', '+faststart', '-f', 'mp4'];
    case 'webm':
      return [
        ...['-c:v', 'libvpx-vp9', '-crf', String(vp9Crf(quality)), '-b:v', '0'],
        ...['-deadline', 'good', '-cpu-used', '2', '-row-mt', '1'],
        ...BT709_TAGS,
        ...tags,
        '-f',
        'webm',
      ];
    case 'gif':
      return ['-loop', '0', '-f', 'gif'];
    case 'png':
      return ['-c:v', 'png', '-start_number', '1', '-f', 'image2'];
  }
}

export async function encodeVideo(video: VideoValue, options: EncodeOptions): Promise<EncodeResult> {
  const { format, quality, target, metadata, signal, onProgress } = options;
  if ((metadata.pipeline?.length ?? 0) > MAX_EMBEDDED_PIPELINE_CHARS) {
    throw new RangeError(`The pipeline to embed is longer than ${MAX_EMBEDDED_PIPELINE_CHARS} characters; see pipelineForEmbedding.`);
  }
  if (await exists(target)) throw new TargetExistsError(target);
  const fps = outputFps(format, video.fps, options.fps);
  const temp = temporarySibling(target);
  // ffmpeg's image sequence writer expands `%` in the whole path, so the folder's own `%` are escaped.
  const output = fileUrl(format === 'png' ? `${temp.replaceAll('%', '%%')}${path.sep}${PNG_FRAME_PATTERN}` : temp);
  try {
    if (format === 'png') await mkdir(temp);
    await runFfmpeg(
      [
        ...rawVideoInput(video),
        '-filter_complex',
        encodeFilter(format, video, fps, quality, options.size),
        '-map',
        '[out]',
        ...codecArgs(format, quality, metadata),
        output,
      ],
      { signal, input: framesOf(video.frames, onProgress) },
    );
    if (format === 'png') {
      const files = await tagPngFrames(temp, metadata, signal);
      await publishFolder(temp, target);
      return { path: target, files };
    }
    if (format === 'gif') await tagGif(temp, metadata);
    await syncFile(temp);
    await publishFile(temp, target);
    return { path: target };
  } catch (error) {
    await rm(temp, { recursive: true, force: true });
    throw error;
  }
}

async function tagGif(file: string, metadata: EmbeddedMetadata): Promise<void> {
  const comments = [metadata.disclosure, ...(metadata.pipeline !== undefined ? [metadata.pipeline] : [])];
  await writeFile(file, insertGifComments(await readFile(file), comments));
}

async function tagPngFrames(folder: string, metadata: EmbeddedMetadata, signal?: AbortSignal): Promise<string[]> {
  const entries = [
    ...(metadata.pipeline !== undefined ? [{ keyword: PNG_KEYWORDS.pipeline, text: metadata.pipeline }] : []),
    { keyword: PNG_KEYWORDS.disclosure, text: metadata.disclosure },
  ];
  const files = (await readdir(folder)).filter((name) => name.endsWith('.png')).sort();
  for (const name of files) {
    if (signal) throwIfAborted(signal);
    const file = path.join(folder, name);
    await writeFile(file, insertPngText(await readFile(file), entries));
    await syncFile(file);
  }
  return files;
}
