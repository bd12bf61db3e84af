import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PROCEDURAL_MODEL, registerModel, unregisterModel } from '@reelgraph/models';
import { tinyCleanLatents, tinyColour, writeTinyDiffusionFolder } from '@reelgraph/models/testing/tiny-diffusion';
import { describe, expect, it } from 'vitest';
import generate from './generate.ts';
import inpaint from './inpaint.ts';
import type { MaskKeyframe } from './mask/mask-keyframes.ts';
import { chunkFramesFor } from './sdk/pixel-chunks.ts';
import { allFrames, defaultParams, fill, frameAt, maskFromPixels, testContext, videoFromPixels } from './testing/node-test-kit.ts';
import { CancelledError, NodeError } from './sdk/define-node.ts';
import type { MaskValue, PromptValue, VideoValue } from './sdk/values.ts';

const W = 96;
const H = 64;
const promptOf = (text: string): PromptValue => ({ kind: 'prompt', text, negative: '', schedule: [] });
const region: MaskKeyframe[] = [{ time: 0, x: 0.5, y: 0.5, width: 0.5, height: 0.5 }];
type Params = Parameters<typeof inpaint.run>[0]['params'];
const defaults: Params = { ...defaultParams(inpaint.params), model: PROCEDURAL_MODEL.id, shape: 'rectangle', region, feather: 0, seed: 4 };

let source: VideoValue | undefined;
async function stormySea(): Promise<VideoValue> {
  source ??= (
    await generate.run({
      inputs: { prompt: promptOf('a stormy sea'), camera: undefined, reference: undefined, firstFrame: undefined },
      params: { ...defaultParams(generate.params), model: PROCEDURAL_MODEL.id, width: W, height: H, duration: 0.5, fps: 12, seed: 1, strength: 0 },
      ctx: testContext(),
    })
  ).video;
  return source;
}

const run = async (params: Partial<Params> = {}, mask?: MaskValue, ctx = testContext()) =>
  (await inpaint.run({ inputs: { video: await stormySea(), mask, prompt: promptOf('glowing aurora') }, params: { ...defaults, ...params }, ctx })).video;

/** Mean absolute difference of two frames over the pixels where `where(x, y)` holds. */
function differenceWhere(a: Uint8Array, b: Uint8Array, where: (x: number, y: number) => boolean): number {
  let sum = 0;
  let count = 0;
  for (let y = 0; y < H; y++) {
    for (let x = 0; x < W; x++) {
      if (!where(x, y)) continue;
      for (let c = 0; c < 3; c++) sum += Math.abs(a[(y * W + x) * 3 + c]! - b[(y * W + x) * 3 + c]!);
      count += 3;
    }
  }
  return sum / count;
}

describe('inpaint node', () => {
  it('declares video, optional mask and prompt inputs, and runs on the accelerator queue', () => {
    expect(inpaint).toMatchObject({ type: 'inpaint', category: 'Generation', device: 'accelerator' });
    expect(Object.entries(inpaint.inputs).map(([name, spec]) => `${name}:${spec.type}${spec.optional ? '?' : ''}`)).toEqual([
      'video:VIDEO',
      'mask:MASK?',
      'prompt:PROMPT',
    ]);
    expect(inpaint.params.model).toMatchObject({ kind: 'model', task: 'inpaint' });
  });

  it('regenerates inside the region and leaves every pixel outside it as it was', async () => {
    const original = await stormySea();
    const video = await run();
    expect(video).toMatchObject({ width: W, height: H, fps: 12, frameCount: original.frameCount });
    // Region: columns 24..71, rows 16..47.
    const inside = (x: number, y: number) => x >= 24 && x < 72 && y >= 16 && y < 48;
    for (let i = 0; i < video.frameCount; i++) {
      // Another prompt inside: tens of levels on average (two prompts differ by 60+).
      const [out, before] = [await frameAt(video, i), await frameAt(original, i)];
      expect(differenceWhere(out, before, inside)).toBeGreaterThan(20);
      expect(differenceWhere(out, before, (x, y) => !inside(x, y))).toBe(0);
    }
  });

  it('feathers the region’s edge and keeps what lies beyond the feather', async () => {
    const original = await stormySea();
    const video = await run({ shape: 'ellipse', feather: 10 });
    // Ellipse with radii 24 and 16 about (48, 32); the feather reaches 5 px past the outline.
    const reach = (x: number, y: number) => Math.hypot((x + 0.5 - 48) / 24, (y + 0.5 - 32) / 16);
    const [out, before] = [await frameAt(video, 2), await frameAt(original, 2)];
    expect(differenceWhere(out, before, (x, y) => reach(x, y) > 1 + 6 / 16)).toBe(0);
    expect(differenceWhere(out, before, (x, y) => reach(x, y) < 0.5)).toBeGreaterThan(20);
  });

  it('uses a wired mask, which must match the video', async () => {
    const original = await stormySea();
    // Left half white.
    const data = new Uint8Array(W * H).map((_, i) => (i % W < W / 2 ? 255 : 0));
    const video = await run({}, maskFromPixels(W, H, data));
    const [out, before] = [await frameAt(video, 0), await frameAt(original, 0)];
    expect(differenceWhere(out, before, (x) => x < W / 2)).toBeGreaterThan(20);
    expect(differenceWhere(out, before, (x) => x >= W / 2)).toBe(0);
    const wrongSize = maskFromPixels(10, 10, new Uint8Array(100));
    await expect(run({}, wrongSize)).rejects.toThrow(NodeError);
    await expect(run({}, wrongSize)).rejects.toThrow(/mask is 10×10 but the video is 96×64/);
    const wrongLength = maskFromPixels(W, H, new Uint8Array(2 * W * H));
    await expect(run({}, wrongLength)).rejects.toThrow(/mask has 2 frames but the video has 6/);
  });

  it('follows a moving region', async () => {
    const original = await stormySea();
    const moving: MaskKeyframe[] = [
      { time: 0, x: 0.25, y: 0.5, width: 0.3, height: 0.5 },
      { time: 5 / 12, x: 0.75, y: 0.5, width: 0.3, height: 0.5 },
    ];
    const video = await run({ region: moving });
    const left = (x: number) => x < W / 2;
    expect(differenceWhere(await frameAt(video, 0), await frameAt(original, 0), (x) => !left(x))).toBe(0);
    expect(differenceWhere(await frameAt(video, 5), await frameAt(original, 5), left)).toBe(0);
  });

  it('keeps frame order and pixels across the chunks of a long video and a moving mask', async () => {
    // 512×384 RGB frames are 7 to a chunk and the Gray8 mask's 21: the video's 24 frames are chunks of 7, 7, 7, 3
    // and the mask's 21, 3, so the mask is read across its own chunk boundary part-way through a video chunk.
    const [w, h, fps, frameCount] = [512, 384, 12, 24];
    const perChunk = chunkFramesFor(w * h * 3);
    expect(perChunk).toBe(7);
    expect(chunkFramesFor(w * h)).toBe(21);
    // Each frame its own pattern, so a frame out of order or from another chunk shows.
    const source = videoFromPixels(w, h, fps, fill(w, h, frameCount, (f, x, y) => [(f * 10 + 3) & 255, (x + 7 * f) & 255, (y + 11 * f) & 255]));
    // Frame f regenerates the columns left of 16·(f + 1): the boundary moves every frame.
    const edge = (f: number) => 16 * (f + 1);
    const maskPixels = new Uint8Array(frameCount * w * h).map((_, i) => (i % w < edge(Math.floor(i / (w * h))) ? 255 : 0));
    const movingMask = maskFromPixels(w, h, maskPixels);
    expect(source.frames.chunks.length).toBe(4);
    expect(movingMask.frames.chunks.length).toBe(2);
    const text = 'glowing aurora';
    // The same prompt and seed generated outright: what the regenerated region must show.
    const generated = (
      await generate.run({
        inputs: { prompt: promptOf(text), camera: undefined, reference: undefined, firstFrame: undefined },
        params: { ...defaultParams(generate.params), model: PROCEDURAL_MODEL.id, width: w, height: h, duration: frameCount / fps, fps, seed: defaults.seed, strength: 0 },
        ctx: testContext(),
      })
    ).video;
    expect(generated.frameCount).toBe(frameCount);
    const ctx = testContext();
    const { video } = await inpaint.run({ inputs: { video: source, mask: movingMask, prompt: promptOf(text) }, params: { ...defaults, feather: 0 }, ctx });
    expect(video).toMatchObject({ width: w, height: h, fps, frameCount });
    expect(video.frames.chunks.length).toBeGreaterThanOrEqual(3);
    expect((await allFrames(video)).length).toBe(frameCount * w * h * 3);
    expect(ctx.reports.at(-1)).toEqual([frameCount, frameCount]);
    // The first frame, both sides of each video chunk boundary, both sides of the mask's, and the last.
    const checked = [0, perChunk - 1, perChunk, 2 * perChunk - 1, 2 * perChunk, 20, 21, frameCount - 1];
    for (const f of checked) {
      const [out, original, field] = await Promise.all([frameAt(video, f), frameAt(source, f), frameAt(generated, f)]);
      let [wrongInside, wrongOutside] = [0, 0];
      for (let p = 0; p < w * h; p++) {
        const inside = p % w < edge(f);
        for (let c = 0; c < 3; c++) {
          const got = out[p * 3 + c]!;
          if (inside && got !== field[p * 3 + c]!) wrongInside++;
          if (!inside && got !== original[p * 3 + c]!) wrongOutside++;
        }
      }
      expect(wrongInside, `frame ${f}: bytes inside the mask that are not the generated field's`).toBe(0);
      expect(wrongOutside, `frame ${f}: bytes outside the mask that are not the original's`).toBe(0);
    }
  });

  it('stops when cancelled', async () => {
    const controller = new AbortController();
    controller.abort();
    await expect(run({}, undefined, testContext({ signal: controller.signal }))).rejects.toBeInstanceOf(CancelledError);
  });

  it('with a diffusion model, redraws inside the region around the picture and keeps the rest', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'reelgraph-inpaint-sd-'));
    const id = 'test/tiny-inpaint';
    try {
      await writeTinyDiffusionFolder(dir, { inpaintingUnet: true, vaeEncoder: 'latent_parameters' });
      registerModel({ ...PROCEDURAL_MODEL, id, family: 'diffusion', tasks: ['inpaint'], files: [], folder: dir });
      // 128×64: the working size itself, so nothing is resized; a region over the right half, on latent cells.
      const [w, h] = [128, 64];
      const video = videoFromPixels(w, h, 12, fill(w, h, 2, (frame, x, y) => [40 + (x >> 3) * 10 + frame * 20, 60 + (y >> 3) * 20, 180 - (x >> 3) * 8]));
      const right: MaskKeyframe[] = [{ time: 0, x: 0.75, y: 0.5, width: 0.5, height: 1 }];
      const result = await inpaint.run({ inputs: { video, mask: undefined, prompt: promptOf('a red door') }, params: { ...defaults, model: id, region: right }, ctx: testContext() });
      const colour = tinyColour(await tinyCleanLatents(dir, 'a red door'));
      const [original, redrawn] = [await allFrames(video), await allFrames(result.video)];
      for (let i = 0; i < w * h * 2; i++) {
        const x = i % w;
        const got = [...redrawn.subarray(i * 3, i * 3 + 3)];
        if (x < 64) expect(got, `kept pixel ${i}`).toEqual([...original.subarray(i * 3, i * 3 + 3)]);
        else got.forEach((value, c) => expect(Math.abs(value - colour[c]!), `redrawn pixel ${i}`).toBeLessThanOrEqual(1));
      }
    } finally {
      unregisterModel(id);
      await rm(dir, { recursive: true, force: true });
    }
  });
});
