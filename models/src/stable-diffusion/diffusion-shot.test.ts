import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerModel, unregisterModel, type ModelManifest } from '../model-manifest.ts';
import type { AffineMatrix } from '../pixel/warp-frames.ts';
import { openShotGenerator, type ShotFrame } from '../shot-generator.ts';
import { tinyCleanLatents, tinyColour, writeTinyDiffusionFolder } from '../testing/tiny-diffusion.ts';
import { labMoments } from './colour-coherence.ts';
import { cameraStep, diffusionSizeFor } from './diffusion-shot.ts';

let root: string;
const MODEL: ModelManifest = { id: 'test/tiny-turbo', name: 'tiny-turbo', family: 'diffusion', tasks: ['text-to-video', 'image-to-video'], description: '', licence: 'test', source: 'test', files: [] };

beforeAll(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'reelgraph-sd-shot-'));
  await writeTinyDiffusionFolder(root);
  registerModel({ ...MODEL, folder: root });
});
afterAll(async () => {
  unregisterModel(MODEL.id);
  await rm(root, { recursive: true, force: true });
});

const still = (text: string, camera: AffineMatrix = [1, 0, 0, 0, 1, 0]): ShotFrame => ({ prompt: { from: text, to: text, mix: 0 }, camera });

async function renderAll(frames: ShotFrame[], extra: object = {}, size = { width: 128, height: 64 }) {
  const generator = await openShotGenerator(MODEL.id, { ...size, fps: 12, seed: 3, frames, ...extra }, { device: 'cpu' });
  const rendered: Uint8Array[] = [];
  for (let start = 0; start < generator.frameCount; start += generator.framesPerRun) rendered.push(await generator.render(start, 1));
  return rendered;
}

describe('a diffusion shot', () => {
  it('makes one frame per camera frame at the asked size, from the prompt', async () => {
    const frames = await renderAll([still('a kite'), still('a kite'), still('a kite')], {}, { width: 100, height: 60 });
    expect(frames.map((frame) => frame.length)).toEqual([100 * 60 * 3, 100 * 60 * 3, 100 * 60 * 3]);
    expect(diffusionSizeFor(100, 60)).toEqual({ width: 128, height: 64 });
    // The tiny UNet draws one flat colour per prompt: every frame is that colour, held by colour coherence.
    const colours = frames.map((frame) => labMoments({ width: 100, height: 60, pixels: frame }).mean);
    for (const colour of colours.slice(1)) colour.forEach((value, c) => expect(value).toBeCloseTo(colours[0]![c]!, 0));
  });

  it('moves the picture with the camera between frames (strength 0 redraws nothing)', async () => {
    // A reference with detail everywhere, shown whole in frame 0; the camera pans 8 px right per frame.
    const width = 128;
    const height = 64;
    const pixels = new Uint8Array(width * height * 3);
    for (let i = 0; i < width * height; i++) {
      const [x, y] = [i % width, Math.floor(i / width)];
      pixels.set([(x * 37 + y * 11) % 256, (x * x + y * 5) % 256, (y * 23 + x * 3) % 256], i * 3);
    }
    const pan = (i: number): AffineMatrix => [1, 0, (i * 8 * 2) / width, 0, 1, 0];
    const frames = await renderAll([0, 1, 2].map((i) => still('a street', pan(i))), { reference: { image: { width, height, pixels }, strength: 1 }, sampling: { strength: 0 } });
    expect(frames[0]).toEqual(pixels);
    for (const [index, frame] of frames.entries()) {
      // Content moves left: what frame 0 shows at x + 8·index, this frame shows at x.
      for (let y = 0; y < height; y += 7) {
        for (let x = 0; x < width - 8 * index; x += 5) {
          for (let c = 0; c < 3; c++) expect(frame[(y * width + x) * 3 + c]).toBe(pixels[(y * width + x + 8 * index) * 3 + c]);
        }
      }
    }
  });

  it('with a cadence, redraws every Nth frame and moves the last one drawn in between', async () => {
    const width = 128;
    const height = 64;
    const pixels = new Uint8Array(width * height * 3);
    for (let i = 0; i < width * height; i++) pixels.set([(i * 7) % 256, (i * 13) % 256, (i * 29) % 256], i * 3);
    const pan = (i: number): AffineMatrix => [1, 0, (i * 8 * 2) / width, 0, 1, 0];
    const frames = await renderAll([0, 1, 2, 3].map((i) => still('a street', pan(i))), { reference: { image: { width, height, pixels }, strength: 1 }, sampling: { strength: 0.5, cadence: 2 } });
    const shifted = (from: Uint8Array, by: number) => (x: number, y: number, c: number) => from[(y * width + x + by) * 3 + c];
    for (const [index, source, by] of [
      [1, frames[0]!, 8],
      [3, frames[2]!, 8],
    ] as const) {
      const want = shifted(source, by);
      for (let y = 0; y < height; y += 5) for (let x = 0; x < width - by; x += 3) for (let c = 0; c < 3; c++) expect(frames[index]![(y * width + x) * 3 + c], `frame ${index}`).toBe(want(x, y, c));
    }
    // Frame 2 is redrawn by the model: it is not frame 1 moved on.
    let moved = 0;
    for (let i = 0; i < (width - 8) * 3; i++) moved += Math.abs(frames[2]![i]! - frames[1]![i + 24]!);
    expect(moved / ((width - 8) * 3)).toBeGreaterThan(5);
  });

  it('starts on a first frame exactly and continues from it with the camera', async () => {
    const width = 128;
    const height = 64;
    const pixels = new Uint8Array(width * height * 3);
    for (let i = 0; i < width * height; i++) pixels.set([(i * 3) % 256, (i * 11) % 256, (i * 17) % 256], i * 3);
    const pan = (i: number): AffineMatrix => [1, 0, (i * 8 * 2) / width, 0, 1, 0];
    const frames = await renderAll([0, 1].map((i) => still('a field', pan(i))), { firstFrame: { width, height, pixels }, sampling: { strength: 0 } });
    expect(frames[0]).toEqual(pixels);
    expect(frames[1]![0]).toBe(pixels[8 * 3]);
  });

  it('takes the camera step in normalised coordinates, whatever the aspect ratio', () => {
    // A roll of 90° about the centre between two frames of a 2:1 frame: the step keeps the rotation rigid on screen.
    const roll: AffineMatrix = [0, -1, 0, 1, 0, 0];
    const step = cameraStep([1, 0, 0, 0, 1, 0], roll, 2);
    expect(step.map((v) => Math.round(v * 1e6) / 1e6)).toEqual([0, -0.5, 0, 2, 0, 0]);
    // The step from a frame to itself is the identity, and steps compose.
    const a: AffineMatrix = [0.8, 0.1, 0.2, -0.1, 0.8, -0.1];
    expect(cameraStep(a, a, 16 / 9).map((v) => Math.round(v * 1e9) / 1e9)).toEqual([1, 0, 0, 0, 1, 0]);
  });

  it('inpaints each frame of a video around its own picture when given the video and mask', async () => {
    const width = 128;
    const height = 64;
    const frame = (shift: number) => {
      const pixels = new Uint8Array(width * height * 3);
      for (let i = 0; i < width * height; i++) pixels.set([30 + ((i % width) >> 3) * 12 + shift, 90 + (Math.floor(i / width) >> 3) * 15, 200 - ((i % width) >> 3) * 9], i * 3);
      return pixels;
    };
    const frames = [frame(0), frame(40)];
    // Redraw the right half only.
    const mask = Uint8Array.from({ length: width * height }, (_, i) => (i % width >= 64 ? 255 : 0));
    const read = async (start: number, count: number) => ({ frames: frames[start]!, masks: mask.slice(0, width * height * count) });
    const rendered = await renderAll([still('a red door'), still('a red door')], { fill: { read } });
    const colour = tinyColour(await tinyCleanLatents(root, 'a red door'));
    for (const [index, made] of rendered.entries()) {
      for (let i = 0; i < width * height; i++) {
        const want = i % width < 64 ? [...frames[index]!.subarray(i * 3, i * 3 + 3)] : colour;
        [...made.subarray(i * 3, i * 3 + 3)].forEach((value, c) => expect(Math.abs(value - want[c]!), `frame ${index} pixel ${i}`).toBeLessThanOrEqual(1));
      }
    }
  });
});
