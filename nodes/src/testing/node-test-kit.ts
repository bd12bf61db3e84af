/** The nodes package's test kit: synthetic frames and videos (in memory), files made by ffmpeg, a run context. */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { ParamMap, ParamValues, RunContext } from '../sdk/define-node.ts';
import { memoryFrames, memoryFrameStore } from '../sdk/frame-sequence.ts';
import { videoOf, type ImageValue, type MaskValue, type VideoValue } from '../sdk/values.ts';
import { runFfmpeg } from '../media/ffmpeg-process.ts';
import { rawVideoInput } from '../media/raw-video.ts';

export type Rgb = readonly [number, number, number];

export const RED: Rgb = [255, 0, 0];
export const GREEN: Rgb = [0, 255, 0];
export const BLUE: Rgb = [0, 0, 255];
export const WHITE: Rgb = [255, 255, 255];

const created: string[] = [];

/** A fresh temporary folder, removed by removeTempDirs (call it in afterAll). */
export async function tempDir(prefix = 'reelgraph-media-'): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), prefix));
  created.push(dir);
  return dir;
}

export async function removeTempDirs(): Promise<void> {
  await Promise.all(created.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
}

export function fill(width: number, height: number, frames: number, colour: (frame: number, x: number, y: number) => Rgb): Uint8Array {
  const out = new Uint8Array(width * height * 3 * frames);
  let i = 0;
  for (let f = 0; f < frames; f++) {
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++) {
        const [r, g, b] = colour(f, x, y);
        out[i++] = r;
        out[i++] = g;
        out[i++] = b;
      }
    }
  }
  return out;
}

/** A video of RGB24 frames back to back, held in memory. */
export function videoFromPixels(width: number, height: number, fps: number, frames: Uint8Array): VideoValue {
  return videoOf(memoryFrames({ width, height, channels: 3 }, frames), fps);
}

/** A mask of Gray8 frames back to back, held in memory. */
export function maskFromPixels(width: number, height: number, frames: Uint8Array): MaskValue {
  const sequence = memoryFrames({ width, height, channels: 1 }, frames);
  return { kind: 'mask', width, height, frameCount: sequence.frameCount, frames: sequence };
}

/** Every frame of a video or mask, back to back in one buffer. */
export function allFrames(value: VideoValue | MaskValue): Promise<Uint8Array> {
  return value.frames.read(0, value.frames.frameCount);
}

/** Frame `index` of a video. */
export function frameAt(video: VideoValue, index: number): Promise<Uint8Array> {
  return video.frames.read(index, 1);
}

export function solidVideo(width: number, height: number, fps: number, frameCount: number, rgb: Rgb): VideoValue {
  return videoFromPixels(width, height, fps, fill(width, height, frameCount, () => rgb));
}

/** A video whose frame i is a flat grey of level `step·i`: frame order and trims can be read back from pixels. */
export function rampVideo(width: number, height: number, fps: number, frameCount: number, step = 8): VideoValue {
  return videoFromPixels(width, height, fps, fill(width, height, frameCount, (f) => [f * step, f * step, f * step]));
}

/** Four flat quadrants: top-left, top-right, bottom-left, bottom-right. */
export function quadrants(width: number, height: number, colours: readonly [Rgb, Rgb, Rgb, Rgb]): Uint8Array {
  return fill(width, height, 1, (_f, x, y) => colours[(y < height / 2 ? 0 : 2) + (x < width / 2 ? 0 : 1)]!);
}

export function pixelAt(image: Pick<ImageValue, 'width'> & { pixels: Uint8Array }, x: number, y: number): Rgb {
  const i = (y * image.width + x) * 3;
  return [image.pixels[i]!, image.pixels[i + 1]!, image.pixels[i + 2]!];
}

export function meanColour(frame: Uint8Array): Rgb {
  const sum = [0, 0, 0];
  for (let i = 0; i < frame.length; i++) sum[i % 3]! += frame[i]!;
  const n = frame.length / 3;
  return [sum[0]! / n, sum[1]! / n, sum[2]! / n];
}

/** Largest per-channel difference between two colours. */
export function colourDistance(a: Rgb, b: Rgb): number {
  return Math.max(Math.abs(a[0] - b[0]), Math.abs(a[1] - b[1]), Math.abs(a[2] - b[2]));
}

/** Writes RGB24 frames to a file with ffmpeg (format from the extension, extra output args before the name). */
export async function writeWithFfmpeg(
  file: string,
  video: Pick<VideoValue, 'width' | 'height' | 'fps'> & { frames: Uint8Array },
  outputArgs: string[] = [],
): Promise<string> {
  await runFfmpeg([...rawVideoInput(video), ...outputArgs, '-y', file], { input: [video.frames] });
  return file;
}

/** An H.264 test clip of ffmpeg's testsrc2 pattern. */
export async function testPatternClip(file: string, width: number, height: number, fps: number, seconds: number): Promise<string> {
  await runFfmpeg([
    ...['-f', 'lavfi', '-i', `testsrc2=size=${width}x${height}:rate=${fps}:duration=${seconds}`],
    ...['-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p', '-y', file],
  ]);
  return file;
}

export function testContext(overrides: Partial<RunContext> = {}): RunContext & { reports: [number, number][] } {
  const reports: [number, number][] = [];
  return {
    nodeId: 'test',
    signal: new AbortController().signal,
    progress: (done, total) => reports.push([done, total]),
    frames: memoryFrameStore,
    scratchFrames: memoryFrameStore,
    dataDir: tmpdir(),
    pipeline: { format: 'reelgraph.pipeline', version: 1, nodes: [] },
    reports,
    ...overrides,
  };
}

/** Each param at its default, for calling a node's run directly (file params are left as their document value: tests give those). */
export function defaultParams<P extends ParamMap>(params: P): ParamValues<P> {
  return Object.fromEntries(Object.entries(params).map(([name, spec]) => [name, spec.default])) as ParamValues<P>;
}
