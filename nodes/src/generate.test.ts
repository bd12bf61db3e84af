import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ModelUnavailableError, PROCEDURAL_MODEL, registerModel, unregisterModel } from '@reelgraph/models';
import { writeTinyDiffusionFolder } from '@reelgraph/models/testing/tiny-diffusion';
import { describe, expect, it } from 'vitest';
import { resolveCameraPath } from './camera/camera-path.ts';
import cameraMove from './camera-move.ts';
import generate from './generate.ts';
import { correlation, estimateShift, estimateZoom, luma, meanAbsoluteDifference } from './generation/test-motion.ts';
import { allFrames, defaultParams, fill, frameAt, testContext } from './testing/node-test-kit.ts';
import prompt from './prompt.ts';
import { CancelledError } from './sdk/define-node.ts';
import type { CameraPreset, CameraValue, ImageValue, PromptValue, VideoValue } from './sdk/values.ts';

const W = 160;
const H = 90;
const FPS = 12;

async function promptOf(text: string, schedule = ''): Promise<PromptValue> {
  return (await prompt.run({ inputs: {}, params: { text, negative: '', schedule }, ctx: testContext() })).prompt;
}

async function cameraOf(preset: CameraPreset): Promise<CameraValue> {
  const params = { preset, framing: 'medium' as const, intensity: 1, easing: 'linear' as const, seed: 0, keyframes: [] };
  return (await cameraMove.run({ inputs: {}, params, ctx: testContext() })).camera;
}

interface Shot {
  text?: string;
  schedule?: string;
  camera?: CameraValue;
  reference?: ImageValue;
  firstFrame?: ImageValue;
  params?: Partial<{ width: number; height: number; duration: number; fps: number; seed: number; strength: number; model: string; steps: number }>;
  ctx?: ReturnType<typeof testContext>;
}

async function shot({ text = 'sunset over the ocean', schedule = '', camera, reference, firstFrame, params = {}, ctx = testContext() }: Shot): Promise<VideoValue> {
  const inputs = { prompt: await promptOf(text, schedule), camera, reference, firstFrame };
  const all = { ...defaultParams(generate.params), model: PROCEDURAL_MODEL.id, width: W, height: H, duration: 1, fps: FPS, seed: 1, strength: 0.6, ...params };
  return (await generate.run({ inputs, params: all, ctx })).video;
}

function meanColour(frame: Uint8Array): { r: number; g: number; b: number; saturation: number; luma: number; contrast: number } {
  let [r, g, b, saturation] = [0, 0, 0, 0];
  const n = frame.length / 3;
  for (let i = 0; i < n; i++) {
    const [R, G, B] = [frame[3 * i]!, frame[3 * i + 1]!, frame[3 * i + 2]!];
    r += R;
    g += G;
    b += B;
    saturation += Math.max(R, G, B) - Math.min(R, G, B);
  }
  const l = luma(frame);
  const mean = l.reduce((s, v) => s + v, 0) / n;
  const contrast = Math.sqrt(l.reduce((s, v) => s + (v - mean) ** 2, 0) / n);
  return { r: r / n, g: g / n, b: b / n, saturation: saturation / n, luma: mean, contrast };
}

describe('generate node', () => {
  it('declares its ports, a model picker on the built-in model, and runs on the accelerator queue', () => {
    expect(generate).toMatchObject({ type: 'generate', category: 'Generation', device: 'accelerator', deterministic: true });
    expect(Object.entries(generate.inputs).map(([name, spec]) => `${name}:${spec.type}${spec.optional ? '?' : ''}`)).toEqual([
      'prompt:PROMPT',
      'camera:CAMERA?',
      'reference:IMAGE?',
      'firstFrame:IMAGE?',
    ]);
    expect(generate.params.model).toMatchObject({ kind: 'model', task: 'text-to-video', default: 'reelgraph/procedural-field' });
    expect(generate.params.model.check('reelgraph/procedural-field')).toBeUndefined();
    expect(generate.params.model.check('someone/sdxl')).toMatch(/names no known model \("someone\/sdxl"\); choose one of "reelgraph\/procedural-field"/);
    expect(generate.params.model.check(3)).toMatch(/must be a model id/);
    expect(generate.description).toMatch(/not a trained text-to-video model/);
  });

  it('makes duration × fps frames of the requested size', async () => {
    const video = await shot({ params: { duration: 0.5, fps: 10, width: 64, height: 48 } });
    expect(video).toMatchObject({ kind: 'video', width: 64, height: 48, fps: 10, frameCount: 5 });
    expect(video.frames.frameCount).toBe(5);
    expect((await allFrames(video)).length).toBe(5 * 64 * 48 * 3);
  });

  it('gives identical frames for the same prompt and seed', async () => {
    const [a, b] = [await shot({}), await shot({})];
    expect(Buffer.compare(await allFrames(a), await allFrames(b))).toBe(0);
  });

  it('gives clearly different frames for different prompts', async () => {
    const texts = ['sunset over the ocean', 'a misty forest at dawn', 'neon city at night', 'dinosaurs in Paris'];
    const firsts = await Promise.all(texts.map(async (text) => frameAt(await shot({ text, params: { duration: 0.1 } }), 0)));
    // Another palette and other shapes move pixels by tens of levels on average (measured 60 to 120 for these);
    // H.264 at the default quality moves them by 1 to 3. 20 is far from both.
    for (let i = 0; i < firsts.length; i++) {
      for (let j = i + 1; j < firsts.length; j++) expect(meanAbsoluteDifference(firsts[i]!, firsts[j]!), `${texts[i]} vs ${texts[j]}`).toBeGreaterThan(20);
    }
  });

  it('steers the palette and light with colour, light and mood words', async () => {
    // Averaged over three seeds, so the comparison is about the words, not one composition.
    const look = async (text: string) => {
      const looks = await Promise.all([1, 2, 3].map(async (seed) => meanColour(await frameAt(await shot({ text, params: { duration: 0.1, seed } }), 0))));
      const mean = (key: keyof (typeof looks)[number]) => looks.reduce((sum, l) => sum + l[key], 0) / looks.length;
      return { r: mean('r'), g: mean('g'), b: mean('b'), saturation: mean('saturation'), luma: mean('luma'), contrast: mean('contrast') };
    };
    const [sunset, ocean, forest, mistyForest, darkForest, brightForest, neon] = await Promise.all(
      ['sunset', 'ocean', 'forest', 'misty forest', 'dark forest', 'bright forest', 'neon'].map(look),
    );
    // Means over whole frames: margins of 10 to 40 levels are a clear lean, not a few pixels.
    expect(sunset!.r).toBeGreaterThan(sunset!.b + 40);
    expect(ocean!.b).toBeGreaterThan(ocean!.r + 40);
    expect(forest!.g).toBeGreaterThan(forest!.r + 10);
    expect(forest!.g).toBeGreaterThan(forest!.b + 20);
    expect(mistyForest!.contrast).toBeLessThan(forest!.contrast * 0.9);
    expect(mistyForest!.saturation).toBeLessThan(forest!.saturation * 0.9);
    expect(darkForest!.luma).toBeLessThan(forest!.luma - 20);
    expect(brightForest!.luma).toBeGreaterThan(forest!.luma + 20);
    expect(neon!.saturation).toBeGreaterThan(mistyForest!.saturation * 2);
  });

  it('moves smoothly: no frame jumps out from its neighbours', async () => {
    const video = await shot({ params: { fps: 24 } });
    const frames = await Promise.all(Array.from({ length: video.frameCount }, (_, i) => frameAt(video, i)));
    const steps = Array.from({ length: video.frameCount - 1 }, (_, i) => meanAbsoluteDifference(frames[i]!, frames[i + 1]!));
    // The field drifts a few levels a frame; a flicker would be a step several times the others.
    expect(Math.min(...steps)).toBeGreaterThan(0.2);
    expect(Math.max(...steps)).toBeLessThan(1.5 * Math.min(...steps));
  });

  it('pushes in: the picture grows frame over frame by the camera’s zoom', async () => {
    const camera = await cameraOf('push-in');
    // A calm prompt slows the field's own flow, so the camera's motion dominates what is measured.
    const video = await shot({ text: 'calm still ocean', camera, params: { duration: 2 } });
    const path = resolveCameraPath(camera, { fps: FPS, frameCount: video.frameCount });
    const first = await frameAt(video, 0);
    const zooms = await Promise.all([2, 6, 12, 18, 23].map(async (k) => ({ k, measured: estimateZoom(first, await frameAt(video, k), W, H).zoom })));
    for (let i = 1; i < zooms.length; i++) expect(zooms[i]!.measured).toBeGreaterThan(zooms[i - 1]!.measured);
    // Block matching to 0.002 on 160×90 frames: within 3% of the camera's own magnification.
    for (const { k, measured } of zooms) expect(measured / (path[k]!.zoom / path[0]!.zoom)).toBeCloseTo(1, 1);
    expect(zooms.at(-1)!.measured).toBeGreaterThan(1.4);
  });

  it('pans: the picture slides the other way by the camera’s travel', async () => {
    for (const [preset, sign] of [['pan-right', -1], ['pan-left', 1]] as const) {
      const camera = await cameraOf(preset);
      const video = await shot({ text: 'calm still ocean', camera, params: { duration: 2 } });
      const path = resolveCameraPath(camera, { fps: FPS, frameCount: video.frameCount });
      for (const k of [3, 6]) {
        const shift = estimateShift(await frameAt(video, 0), await frameAt(video, k), W, H, 16);
        // The camera travels in source widths; on screen that is magnified by the zoom.
        const expected = -(path[k]!.x - path[0]!.x) * W * path[0]!.zoom;
        expect(Math.sign(shift.dx), preset).toBe(sign);
        expect(Math.abs(shift.dx - expected), `${preset} frame ${k}: ${shift.dx} vs ${expected}`).toBeLessThan(1);
        expect(Math.abs(shift.dy)).toBeLessThan(1);
      }
    }
  });

  it('shows a reference photo through the camera: frame 0 correlates strongly with it at high strength', async () => {
    // A "photo": soft diagonal bands over a vertical gradient, with a bright disc.
    const pixels = fill(W, H, 1, (_f, x, y) => {
      const disc = Math.hypot(x - 110, y - 35) < 14 ? 120 : 0;
      return [Math.min(255, 60 + y + disc), Math.min(255, 100 + 60 * Math.sin((x + y) / 9) + disc), 150 - y];
    });
    const reference: ImageValue = { kind: 'image', width: W, height: H, pixels };
    const camera = await cameraOf('push-in');
    const first = async (strength: number) => frameAt(await shot({ reference, camera: { ...camera, framing: 'wide' }, params: { strength, duration: 0.5 } }), 0);
    // Wide framing starts the push-in on the whole picture, so frame 0 is the photo itself at strength 1.
    expect(meanAbsoluteDifference(await first(1), pixels)).toBeLessThan(1);
    expect(correlation(luma(await first(0.9)), luma(pixels))).toBeGreaterThan(0.9);
    expect(Math.abs(correlation(luma(await first(0)), luma(pixels)))).toBeLessThan(0.5);
  });

  it('morphs along a prompt schedule from one look to the next', async () => {
    const video = await shot({ text: 'ocean', schedule: '0s: ocean | 2s: sunset', params: { duration: 2.5 } });
    const oceanOnly = await shot({ text: 'ocean', params: { duration: 0.1 } });
    expect(Buffer.compare(await frameAt(video, 0), await frameAt(oceanOnly, 0))).toBe(0);
    const start = meanColour(await frameAt(video, 0));
    const middle = meanColour(await frameAt(video, 12));
    const end = meanColour(await frameAt(video, video.frameCount - 1));
    // Blue-green ocean to red sunset, through the blend.
    expect(end.r - end.b).toBeGreaterThan(middle.r - middle.b);
    expect(middle.r - middle.b).toBeGreaterThan(start.r - start.b);
  });

  it('reports progress frame by frame, with a small preview now and then', async () => {
    const previews: ImageValue[] = [];
    const ctx = testContext();
    const progress = ctx.progress;
    ctx.progress = (done, total, preview) => {
      progress(done, total);
      if (preview) previews.push(preview);
    };
    await shot({ ctx, params: { width: 640, height: 360, fps: 4, duration: 2 } });
    expect(ctx.reports.map(([done]) => done)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(ctx.reports.every(([, total]) => total === 8)).toBe(true);
    // About once a second of video, and the last frame.
    expect(previews.length).toBeGreaterThanOrEqual(2);
    expect(previews.length).toBeLessThanOrEqual(4);
    for (const preview of previews) expect(Math.max(preview.width, preview.height)).toBe(192);
  });

  it('stops within one frame when cancelled, mid-run', async () => {
    const controller = new AbortController();
    const ctx = testContext({ signal: controller.signal });
    let doneAtAbort = -1;
    const progress = ctx.progress;
    ctx.progress = (done, total, preview) => {
      progress(done, total, preview);
      // A few milliseconds into the next frame's run.
      if (done === 2) {
        setTimeout(() => {
          doneAtAbort = ctx.reports.at(-1)![0];
          controller.abort();
        }, 5);
      }
    };
    const run = shot({ ctx, params: { width: 512, height: 288, duration: 60, fps: 24 } });
    await expect(run).rejects.toBeInstanceOf(CancelledError);
    expect(doneAtAbort).toBeGreaterThanOrEqual(2);
    // The frame under way when the cancel came may finish; no frame starts after it (of 1440).
    expect(ctx.reports.at(-1)![0]).toBeLessThanOrEqual(doneAtAbort + 1);
  });

  it('with a diffusion model, reports progress within a frame, step by step, with the latent preview', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'reelgraph-generate-sd-'));
    const id = 'test/tiny-generate';
    try {
      await writeTinyDiffusionFolder(dir);
      registerModel({ ...PROCEDURAL_MODEL, id, family: 'diffusion', files: [], folder: dir });
      const previews: ImageValue[] = [];
      const ctx = testContext();
      const progress = ctx.progress;
      ctx.progress = (done, total, preview) => {
        progress(done, total);
        if (preview && !Number.isInteger(done)) previews.push(preview);
      };
      const video = await shot({ ctx, params: { model: id, steps: 3, duration: 2 / FPS } });
      expect(video.frameCount).toBe(2);
      // Frame 0 from the prompt in 3 steps; frame 1 redraws 0.35 of the moved frame 0: the last of 3 steps only.
      expect(ctx.reports.map(([done]) => Math.round(done * 1000) / 1000)).toEqual([0.333, 0.667, 1, 2]);
      // The step previews are the latents seen through the RGB projection: 1/8 of the working size (160×90 is made at 192×128).
      expect(previews.map((p) => [p.width, p.height])).toEqual([
        [24, 16],
        [24, 16],
      ]);
    } finally {
      unregisterModel(id);
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('starts on a first frame and dissolves into its own look over a second', async () => {
    const still: ImageValue = { kind: 'image', width: W, height: H, pixels: fill(W, H, 1, (_, x, y) => [x % 256, (y * 2) % 256, 200]) };
    const plain = await allFrames(await shot({ params: { duration: 2 } }));
    const continued = await allFrames(await shot({ firstFrame: still, params: { duration: 2 } }));
    const size = W * H * 3;
    const frame = (frames: Uint8Array, i: number) => frames.subarray(i * size, (i + 1) * size);
    // Frame 0 is the picture itself; from one second on, the shot is what it would be without it.
    expect(frame(continued, 0)).toEqual(still.pixels);
    expect(frame(continued, FPS)).toEqual(frame(plain, FPS));
    expect(continued.subarray(FPS * size)).toEqual(plain.subarray(FPS * size));
    // Halfway through the dissolve, each pixel lies between the picture and the field.
    const [a, b, c] = [frame(continued, FPS / 2), still.pixels, frame(plain, FPS / 2)];
    let outside = 0;
    for (let i = 0; i < size; i++) if (a[i]! < Math.min(b[i]!, c[i]!) - 1 || a[i]! > Math.max(b[i]!, c[i]!) + 1) outside++;
    expect(outside).toBe(0);
    expect(meanAbsoluteDifference(a, c)).toBeGreaterThan(5);
  });

  it('says which model it cannot run', async () => {
    await expect(shot({ params: { model: 'nobody/nothing' } })).rejects.toThrow(ModelUnavailableError);
    await expect(shot({ params: { model: 'nobody/nothing' } })).rejects.toThrow(/"nobody\/nothing" is not installed/);
  });
});
