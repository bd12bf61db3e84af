/**
 * The interpolate node with the built-in RIFE 4.6: the converted network
 * gives what the reference binary (rife-ncnn-vulkan, shipped in the same npm
 * package, run on the CPU) gives for the same frames; on a photograph moved
 * by a camera it restores dropped frames far better than blending; and the
 * node keeps its promises about lengths, frame rates and cuts.
 */
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { resizeFrames, warpFrames, type AffineMatrix } from '@reelgraph/models';
import { esrganSlimFolder } from '@reelgraph/models/esrgan-slim-files';
import { rife46Folder, rifeNcnnVulkanBinary } from '@reelgraph/models/rife-files';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import interpolate from './interpolate.ts';
import { lumaDifference } from './interpolation/scene-cut.ts';
import { decodeImage } from './media/decode.ts';
import type { VideoValue } from './sdk/values.ts';
import { allFrames, fill, removeTempDirs, tempDir, testContext, videoFromPixels, writeWithFfmpeg, type Rgb } from './testing/node-test-kit.ts';

const MODEL = 'hzwer/rife-4.6';

/** Peak signal-to-noise ratio in dB over 0–255 values. */
function psnr(a: Uint8Array, b: Uint8Array): number {
  expect(a.length).toBe(b.length);
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += (a[i]! - b[i]!) ** 2;
  return sum === 0 ? Infinity : 10 * Math.log10((255 * 255) / (sum / a.length));
}

const frameOf = (frames: Uint8Array, bytes: number, i: number) => frames.subarray(i * bytes, (i + 1) * bytes);

/**
 * A camera move over a real photograph (UpscalerJS's hibiscus, at 256×256):
 * a pan of about 6 px a frame with a slow zoom and a slight turn, sampled
 * with sub-pixel accuracy, so every frame is the true picture at its moment.
 */
async function cameraMoveClip(frameCount: number, width = 256, height = 256): Promise<{ width: number; height: number; frames: Uint8Array }> {
  const photo = await decodeImage(path.join(esrganSlimFolder(), 'assets', 'samples', '4x', 'result.png'));
  const small = await resizeFrames({ width: photo.width, height: photo.height, frameCount: 1, frames: photo.pixels }, { width, height, fit: 'cover' });
  const source = new Uint8Array(width * height * 3 * frameCount);
  for (let i = 0; i < frameCount; i++) source.set(small.frames, i * width * height * 3);
  const matrices = Array.from({ length: frameCount }, (_, k): AffineMatrix => {
    const zoom = 0.62 - 0.012 * k;
    const turn = 0.008 * k;
    return [zoom, -turn, -0.2 + 0.05 * k, turn, zoom, 0.12 - 0.025 * k];
  });
  const warped = await warpFrames({ width, height, frameCount, frames: source }, matrices, { border: 'reflection' });
  return { width, height, frames: warped.frames };
}

async function run(video: VideoValue, params: Partial<{ factor: '2' | '3' | '4' | '8'; mode: 'smoother' | 'slow motion'; sceneCut: number }> = {}) {
  const ctx = testContext();
  const { video: out } = await interpolate.run({ inputs: { video }, params: { model: MODEL, factor: '2', mode: 'smoother', sceneCut: 12, ...params }, ctx });
  return { out, frames: await allFrames(out), ctx };
}

let dir: string;
beforeAll(async () => {
  dir = await tempDir('reelgraph-rife-');
});
afterAll(removeTempDirs);

describe('interpolate (RIFE 4.6) against rife-ncnn-vulkan', () => {
  const binary = rifeNcnnVulkanBinary();

  /** The reference binary's frame at `t` between two frames, on the CPU (-g -1). */
  async function reference(width: number, height: number, first: Uint8Array, second: Uint8Array, t: number): Promise<Uint8Array> {
    const [a, b, out] = ['a.png', 'b.png', `out-${t}.png`].map((name) => path.join(dir, `${width}x${height}-${name}`)) as [string, string, string];
    for (const [file, pixels] of [[a, first], [b, second]] as const) {
      await writeWithFfmpeg(file, { width, height, fps: 1, frames: pixels }, ['-frames:v', '1', '-update', '1']);
    }
    try {
      await promisify(execFile)(binary!, ['-0', a, '-1', b, '-o', out, '-m', rife46Folder(), '-g', '-1', '-s', String(t)], { cwd: path.dirname(binary!) });
    } catch (error) {
      throw new Error(`rife-ncnn-vulkan could not run; it needs Debian's libvulkan1 and mesa-vulkan-drivers (.ci/run installs them): ${String(error)}`);
    }
    return (await decodeImage(out)).pixels;
  }

  it.runIf(binary)('gives the binary’s frames on a photograph under a camera move, at t = 0.5 and 0.25', async () => {
    const clip = await cameraMoveClip(3);
    const bytes = clip.width * clip.height * 3;
    const video = videoFromPixels(clip.width, clip.height, 12, clip.frames.slice(0, 2 * bytes));
    for (const [factor, index, t] of [['2', 1, 0.5], ['4', 1, 0.25]] as const) {
      const { frames } = await run(video, { factor });
      const ours = frameOf(frames, bytes, index);
      const theirs = await reference(clip.width, clip.height, frameOf(clip.frames, bytes, 0), frameOf(clip.frames, bytes, 1), t);
      const db = psnr(ours, theirs);
      console.log(`RIFE 4.6 converted vs rife-ncnn-vulkan, ${clip.width}×${clip.height}, t = ${t}: ${db.toFixed(1)} dB`);
      // Measured: bit-exact (Infinity) at sizes that are multiples of 32; the issue asks 40 dB.
      expect(db).toBeGreaterThanOrEqual(40);
    }
  });

  it.runIf(binary)('pads a height that is not a multiple of 32 as the binary does', async () => {
    // The binary's CPU path copies its output rows at the padded width, so only widths that are multiples of 32 can be compared with it.
    const [width, height] = [320, 170];
    const clip = await cameraMoveClip(2, width, height);
    const [a, b] = [frameOf(clip.frames, width * height * 3, 0), frameOf(clip.frames, width * height * 3, 1)];
    const { frames } = await run(videoFromPixels(width, height, 12, Buffer.concat([a, b])));
    const db = psnr(frameOf(frames, width * height * 3, 1), await reference(width, height, a, b, 0.5));
    console.log(`RIFE 4.6 converted vs rife-ncnn-vulkan, ${width}×${height} (padded to 320×192): ${db.toFixed(1)} dB`);
    expect(db).toBeGreaterThanOrEqual(40);
  });
});

describe('interpolate (RIFE 4.6) on real motion', () => {
  it('restores the frames dropped from a camera move far closer than blending their neighbours', async () => {
    const clip = await cameraMoveClip(9);
    const bytes = clip.width * clip.height * 3;
    const kept = Buffer.concat([0, 2, 4, 6, 8].map((i) => frameOf(clip.frames, bytes, i)));
    const { out, frames } = await run(videoFromPixels(clip.width, clip.height, 12, kept));
    expect([out.frameCount, out.fps]).toEqual([10, 24]);
    const results = [1, 3, 5, 7].map((i) => {
      const truth = frameOf(clip.frames, bytes, i);
      const blend = frameOf(clip.frames, bytes, i - 1).map((v, j) => Math.round((v + frameOf(clip.frames, bytes, i + 1)[j]!) / 2));
      return { rife: psnr(frameOf(frames, bytes, i), truth), blend: psnr(blend, truth) };
    });
    const mean = (key: 'rife' | 'blend') => results.reduce((sum, r) => sum + r[key], 0) / results.length;
    console.log(`camera move over a photo, every other frame dropped and restored: RIFE ${mean('rife').toFixed(2)} dB, frame blend ${mean('blend').toFixed(2)} dB`);
    // Kept frames pass through untouched.
    for (const i of [0, 2, 4, 6, 8]) expect(frameOf(frames, bytes, i)).toEqual(frameOf(clip.frames, bytes, i));
    // Measured here: RIFE 44.2 dB, blend 20.6 dB on average. A pure camera move is RIFE's easy case (one smooth flow, no
    // occlusion); on Vimeo90K's real footage RIFE 4.x publishes about 35.6 dB, so the margin asked is well under what was measured.
    for (const r of results) expect(r.rife).toBeGreaterThan(r.blend + 10);
  });
});

describe('interpolate: lengths, rates and cuts', () => {
  const [width, height] = [64, 32];
  const bytes = width * height * 3;
  const shot = (colour: Rgb, frames: number) => fill(width, height, frames, (f, x) => [colour[0], colour[1], (colour[2] + x * 2 + f * 3) % 256]);

  it('makes factor × frames: a higher rate when smoother, the same rate (longer) in slow motion', async () => {
    const video = videoFromPixels(width, height, 10, shot([90, 120, 40], 3));
    const smoother = await run(video, { factor: '3' });
    expect([smoother.out.frameCount, smoother.out.fps]).toEqual([9, 30]);
    expect(smoother.ctx.reports.map(([done]) => done)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);
    const slow = await run(video, { factor: '4', mode: 'slow motion' });
    expect([slow.out.frameCount, slow.out.fps]).toEqual([12, 10]);
    // The last frame is held, so the length is exactly the factor times the input's.
    for (const i of [9, 10, 11]) expect(frameOf(slow.frames, bytes, i)).toEqual(frameOf(slow.frames, bytes, 8));
  });

  it('holds frames across a scene cut instead of morphing one shot into the other', async () => {
    const [a, b] = [shot([230, 30, 30], 2), shot([20, 40, 220], 2)];
    const video = videoFromPixels(width, height, 8, Buffer.concat([a, b]));
    const { frames } = await run(video, { factor: '4' });
    // Frames 4..7 lie between the last red frame and the first blue one: red, red, blue, blue.
    expect(frameOf(frames, bytes, 5)).toEqual(frameOf(a, bytes, 1));
    expect(frameOf(frames, bytes, 6)).toEqual(frameOf(b, bytes, 0));
    // With cut detection off the network morphs: the middle frame is neither shot.
    const morphed = await run(video, { factor: '4', sceneCut: 100 });
    const middle = frameOf(morphed.frames, bytes, 6);
    expect(psnr(middle, frameOf(b, bytes, 0))).toBeLessThan(30);
    expect(psnr(middle, frameOf(a, bytes, 1))).toBeLessThan(30);
  });

  it('measures a cut as a change of most pixels, and motion as far less', async () => {
    const clip = await cameraMoveClip(2);
    const cb = clip.width * clip.height * 3;
    const motion = lumaDifference(frameOf(clip.frames, cb, 0), frameOf(clip.frames, cb, 1), clip.width);
    const cut = lumaDifference(shot([230, 30, 30], 1), shot([20, 40, 220], 1), width);
    expect(motion).toBeLessThan(0.12);
    expect(cut).toBeGreaterThan(0.12);
  });

  it('refuses a frame rate past the limit before any work', async () => {
    const video = videoFromPixels(width, height, 30, shot([1, 2, 3], 2));
    await expect(run(video, { factor: '8' })).rejects.toThrow('×8 smoother makes 240 fps from 30, past the limit of 120');
  });
});
