import * as ort from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import { makeFrames } from '../pixel/test-frames.ts';
import { chooseDevice } from '../runtime/device-choice.ts';
import { IDENTITY_MATRIX, type AffineMatrix } from '../pixel/warp-frames.ts';
import { buildFieldGraph } from './field-graph.ts';
import { EMBEDDING_LAYOUT, LOOK_KEYS, embedPrompt, mixEmbeddings } from './prompt-embedding.ts';
import { fieldScaleFor, flowTimes, framesPerRun, ProceduralField, type FieldFrame, type FieldJob } from './procedural-field.ts';

const W = 96;
const H = 54;
const still = (text: string, count: number, camera: AffineMatrix = IDENTITY_MATRIX): FieldFrame[] =>
  Array.from({ length: count }, () => ({ embedding: embedPrompt(text), camera }));
const job = (frames: FieldFrame[], more: Partial<FieldJob> = {}): FieldJob => ({ width: W, height: H, fps: 12, seed: 1, frames, ...more });

async function renderAll(field: ProceduralField): Promise<Uint8Array> {
  const out = new Uint8Array(field.frameCount * W * H * 3);
  for (let start = 0; start < field.frameCount; start += field.framesPerRun) {
    const count = Math.min(field.framesPerRun, field.frameCount - start);
    out.set(await field.render(start, count), start * W * H * 3);
  }
  return out;
}

function meanAbsoluteDifference(a: Uint8Array, b: Uint8Array): number {
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += Math.abs(a[i]! - b[i]!);
  return sum / a.length;
}

const frameOf = (frames: Uint8Array, i: number, width = W, height = H) => frames.subarray(i * width * height * 3, (i + 1) * width * height * 3);

describe('ProceduralField', () => {
  it('gives identical bytes for the same job, whether frames run alone or batched', async () => {
    const frames = still('sunset over the ocean', 6);
    const a = await ProceduralField.open(job(frames));
    const b = await ProceduralField.open(job(frames));
    expect(a.framesPerRun).toBeGreaterThan(1);
    const batched = await renderAll(a);
    const single = new Uint8Array(batched.length);
    for (let i = 0; i < 6; i++) single.set(await b.render(i, 1), i * W * H * 3);
    expect(single).toEqual(batched);
  });

  it('changes clearly with the seed and with the prompt', async () => {
    const base = await (await ProceduralField.open(job(still('sunset over the ocean', 1)))).render(0, 1);
    const reseeded = await (await ProceduralField.open(job(still('sunset over the ocean', 1), { seed: 2 }))).render(0, 1);
    const reworded = await (await ProceduralField.open(job(still('a misty forest', 1)))).render(0, 1);
    // Other composition or palette moves most pixels by tens of levels (measured: 40 to 120); codec noise is a few.
    expect(meanAbsoluteDifference(base, reseeded)).toBeGreaterThan(20);
    expect(meanAbsoluteDifference(base, reworded)).toBeGreaterThan(20);
  });

  it('flows smoothly: consecutive frames differ a little, and about equally', async () => {
    const frames = await renderAll(await ProceduralField.open(job(still('neon city at night', 12), { fps: 24 })));
    const steps = Array.from({ length: 11 }, (_, i) => meanAbsoluteDifference(frameOf(frames, i), frameOf(frames, i + 1)));
    // It moves (a frozen field would be 0) but by a few levels a frame, with no frame jumping out (flicker).
    expect(Math.min(...steps)).toBeGreaterThan(0.2);
    expect(Math.max(...steps)).toBeLessThan(6);
    expect(Math.max(...steps)).toBeLessThan(1.5 * Math.min(...steps));
  });

  it('integrates the motion control into flow time, so a change of speed never jumps', () => {
    const calm = embedPrompt('calm');
    const wild = embedPrompt('wild');
    const motion = (e: Float32Array) => e[EMBEDDING_LAYOUT.look[0] + LOOK_KEYS.indexOf('motion')]!;
    const frames = Array.from({ length: 5 }, (_, i) => ({ embedding: mixEmbeddings(calm, wild, i / 4), camera: IDENTITY_MATRIX }));
    const times = flowTimes(frames, 10);
    expect(times[0]).toBe(0);
    for (let i = 1; i < 5; i++) expect(times[i]! - times[i - 1]!).toBeCloseTo(motion(frames[i - 1]!.embedding) / 10, 6);
  });

  it('computes large frames on a coarser grid that looks like the full one', async () => {
    const [width, height] = [480, 270];
    expect(fieldScaleFor(width, height)).toBe(1);
    expect(fieldScaleFor(1280, 720)).toBe(2);
    const field = await ProceduralField.open({ width, height, fps: 12, seed: 3, frames: still('autumn forest', 1) });
    const feeds = field.feeds(0, 1);
    const run = async (fieldScale: number) => {
      const session = await ort.InferenceSession.create(buildFieldGraph({ width, height, fieldScale }), { executionProviders: ['cpu'] });
      const { out } = await session.run(feeds);
      await session.release();
      return out!.data as Uint8Array;
    };
    const [full, half] = await Promise.all([run(1), run(2)]);
    // Bicubic upsampling of a smooth field: under a level off on average (measured 0.4), where another picture is > 20.
    expect(meanAbsoluteDifference(full, half)).toBeLessThan(2);
  });

  it('shows the reference alone at strength 1, ignores it at 0, and mixes in between', async () => {
    // A picture with structure at every scale: diagonal stripes over a gradient.
    const picture = makeFrames(W, H, 1, (x, y) => [(x * 5) % 256, ((x + y) * 9) % 256, y * 4]);
    const image = { width: W, height: H, pixels: picture.frames };
    const frames = still('sunset', 1);
    const only = await (await ProceduralField.open(job(frames, { reference: { image, strength: 1 } }))).render(0, 1);
    expect(meanAbsoluteDifference(only, picture.frames)).toBeLessThan(0.5);
    const none = await (await ProceduralField.open(job(frames))).render(0, 1);
    const ignored = await (await ProceduralField.open(job(frames, { reference: { image, strength: 0 } }))).render(0, 1);
    expect(ignored).toEqual(none);
    const mixed = await (await ProceduralField.open(job(frames, { reference: { image, strength: 0.5 } }))).render(0, 1);
    const toPicture = meanAbsoluteDifference(mixed, picture.frames);
    const toField = meanAbsoluteDifference(mixed, none);
    // Half way: clearly away from both ends.
    expect(toPicture).toBeGreaterThan(5);
    expect(toField).toBeGreaterThan(5);
  });

  it('moves the picture alike whether the camera rolls (GridSample) or only zooms and slides (cropping Resize)', async () => {
    const picture = makeFrames(W, H, 1, (x, y) => [128 + 100 * Math.sin(x / 5), 128 + 100 * Math.cos(y / 4), (x * y) % 256]);
    const image = { width: W, height: H, pixels: picture.frames };
    const zoomed = (roll: number): AffineMatrix => [Math.cos(roll) / 1.3, -Math.sin(roll) / 1.3, 0.1, Math.sin(roll) / 1.3, Math.cos(roll) / 1.3, -0.05];
    const render = async (camera: AffineMatrix) => (await ProceduralField.open(job(still('sea', 1, camera), { reference: { image, strength: 1 } }))).render(0, 1);
    // A roll of 1e-9 rad moves nothing visible but takes the GridSample path.
    const [cropped, warped] = await Promise.all([render(zoomed(0)), render(zoomed(1e-9))]);
    // The same bilinear samples: the crop's 8-bit path truncates where the float path rounds, so a level lower at most
    // (measured: 0.44 on average); another framing would be tens of levels off.
    const differences = new Set(Array.from(cropped, (value, i) => value - warped[i]!));
    expect([...differences].sort()).toEqual([-1, 0]);
    expect(meanAbsoluteDifference(cropped, warped)).toBeLessThan(0.5);
  });

  it('shows the field where the camera looks past the reference picture', async () => {
    const image = { width: W, height: H, pixels: new Uint8Array(W * H * 3).fill(255) };
    // Shifted a whole frame width to the right: the left half of the output sees the picture, the right half beyond it.
    const camera: AffineMatrix = [1, 0, 1, 0, 1, 0];
    const frame = await (await ProceduralField.open(job(still('night', 1, camera), { reference: { image, strength: 0.9 } }))).render(0, 1);
    const meanOfColumns = (from: number, to: number) => {
      let sum = 0;
      for (let y = 0; y < H; y++) for (let x = from; x < to; x++) sum += frame[(y * W + x) * 3 + 1]!;
      return sum / (H * (to - from));
    };
    expect(meanOfColumns(0, W / 2 - 4)).toBeGreaterThan(225);
    expect(meanOfColumns(W / 2 + 4, W)).toBeLessThan(150);
  });

  it('runs on the device chooseDevice picks', async () => {
    const field = await ProceduralField.open(job(still('sea', 1)));
    expect(field.device).toBe((await chooseDevice()).device);
  });

  it('batches small frames and runs large ones alone', () => {
    expect(framesPerRun(96, 54)).toBe(8);
    expect(framesPerRun(512, 288)).toBe(1);
    expect(framesPerRun(1280, 720)).toBe(1);
  });

  it('refuses a malformed job with a reason', async () => {
    await expect(ProceduralField.open(job(still('sea', 1), { width: 0 }))).rejects.toThrow(/width and height/);
    await expect(ProceduralField.open(job([{ embedding: new Float32Array(3), camera: IDENTITY_MATRIX }]))).rejects.toThrow(/embedding has/);
    await expect(ProceduralField.open(job(still('sea', 1, [0, 0, 0, 0, 0, 0])))).rejects.toThrow(/invertible/);
    const image = { width: 2, height: 2, pixels: new Uint8Array(12) };
    await expect(ProceduralField.open(job(still('sea', 1), { reference: { image, strength: 2 } }))).rejects.toThrow(/between 0 and 1/);
  });
});
