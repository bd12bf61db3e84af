import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SessionPool } from '../runtime/session-pool.ts';
import { SD_TURBO_SCHEDULER, TINY_WIDTHS, tinyCleanLatents, tinyDecode, writeTinyDiffusionFolder, type TinyDiffusionOptions } from '../testing/tiny-diffusion.ts';
import { readDiffusionFolder } from './diffusion-folder.ts';
import { DiffusionPipeline, type DenoiseRequest } from './diffusion-pipeline.ts';
import type { SchedulerKind } from './schedulers/denoise-schedule.ts';

/** SD 1.5's scheduler config as the file reads (PNDM, leading spacing). */
const SD15_SCHEDULER = {
  _class_name: 'PNDMScheduler',
  _diffusers_version: '0.6.0',
  beta_end: 0.012,
  beta_schedule: 'scaled_linear',
  beta_start: 0.00085,
  num_train_timesteps: 1000,
  set_alpha_to_one: false,
  skip_prk_steps: true,
  steps_offset: 1,
  trained_betas: null,
  clip_sample: false,
};

let root: string;
const pool = new SessionPool();
beforeAll(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'reelgraph-sd-'));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

let folders = 0;
async function open(options: TinyDiffusionOptions = {}) {
  const dir = path.join(root, `model-${folders++}`);
  await writeTinyDiffusionFolder(dir, options);
  const folder = await readDiffusionFolder(dir);
  return { dir, folder, pipeline: await DiffusionPipeline.open(folder, { device: 'cpu', pool }) };
}

const cleanLatentsFor = tinyCleanLatents;

function broadcast(channels: readonly number[], latentWidth: number, latentHeight: number): Float32Array {
  const plane = latentWidth * latentHeight;
  return Float32Array.from({ length: 4 * plane }, (_, i) => channels[Math.floor(i / plane)]!);
}

function maxDifference(a: Uint8Array, b: Uint8Array): number {
  let most = 0;
  for (let i = 0; i < a.length; i++) most = Math.max(most, Math.abs(a[i]! - b[i]!));
  return most;
}

async function generate(pipeline: DiffusionPipeline, request: Partial<DenoiseRequest> & { text: string; negativeText?: string }) {
  const { text, negativeText = '', ...rest } = request;
  const latents = await pipeline.denoise({
    width: 64,
    height: 48,
    seed: 7,
    steps: pipeline.folder.defaults.steps,
    guidance: pipeline.folder.defaults.guidance,
    prompt: await pipeline.encodePrompt(text),
    negative: await pipeline.encodePrompt(negativeText, { negative: true }),
    ...rest,
  });
  return { latents, image: await pipeline.decodeLatents(latents, rest.width ?? 64, rest.height ?? 48) };
}

describe('DiffusionPipeline on tiny exports with the real signatures', () => {
  it('makes the prompt\'s picture in one step on an SD-Turbo-style export, to the pixel', async () => {
    const { dir, folder, pipeline } = await open();
    expect(folder).toMatchObject({ variant: 'sd', distilled: true, defaults: { steps: 1, guidance: 0 }, inpaintingUnet: false });
    const { image } = await generate(pipeline, { text: 'a red fox in the snow' });
    const expected = tinyDecode(broadcast(await cleanLatentsFor(dir, 'a red fox in the snow'), 8, 6), 8, 6);
    expect(maxDifference(image.pixels, expected)).toBeLessThanOrEqual(1);
    // Another prompt is another picture; the same seed and prompt, the same picture.
    const other = await generate(pipeline, { text: 'a blue boat at dawn' });
    expect(maxDifference(other.image.pixels, image.pixels)).toBeGreaterThan(4);
    expect((await generate(pipeline, { text: 'a red fox in the snow' })).image.pixels).toEqual(image.pixels);
  });

  it('guides by the negative prompt with classifier-free guidance, batched or one pass each', async () => {
    for (const fixedBatch of [false, true]) {
      const { dir, pipeline } = await open({ scheduler: SD15_SCHEDULER, padToken: '<|endoftext|>', fixedBatch });
      expect(pipeline.folder.defaults).toEqual({ steps: 25, guidance: 7.5 });
      const { image } = await generate(pipeline, { text: 'a lighthouse', negativeText: 'fog', steps: 4, guidance: 3 });
      const [conditioned, unconditioned] = [await cleanLatentsFor(dir, 'a lighthouse'), await cleanLatentsFor(dir, 'fog')];
      const guided = unconditioned.map((u, c) => u + 3 * (conditioned[c]! - u));
      expect(maxDifference(image.pixels, tinyDecode(broadcast(guided, 8, 6), 8, 6)), `fixed batch ${fixedBatch}`).toBeLessThanOrEqual(1);
    }
  });

  it('reaches the same picture with every sampler and signature variant', async () => {
    const variants: [TinyDiffusionOptions, SchedulerKind, number][] = [
      [{ scheduler: SD15_SCHEDULER }, 'euler', 4],
      [{ scheduler: SD15_SCHEDULER, idsType: 'int32', timestep: 'float-scalar' }, 'euler-ancestral', 4],
      // DDIM ends at ᾱ = 1 only with set_alpha_to_one; otherwise it keeps ᾱ₀'s sliver of noise, as diffusers does.
      [{ scheduler: { ...SD15_SCHEDULER, set_alpha_to_one: true }, timestep: 'int64-batch' }, 'ddim', 5],
      [{ scheduler: { ...SD15_SCHEDULER, prediction_type: 'v_prediction' }, prediction: 'v_prediction' }, 'euler', 3],
      [{ scheduler: { ...SD15_SCHEDULER, prediction_type: 'v_prediction', set_alpha_to_one: true }, prediction: 'v_prediction' }, 'ddim', 3],
      [{ scheduler: { ...SD_TURBO_SCHEDULER, _class_name: 'LCMScheduler' } }, 'lcm', 4],
    ];
    for (const [options, sampler, steps] of variants) {
      const { dir, pipeline } = await open(options);
      const { image } = await generate(pipeline, { text: 'a paper crane', steps, guidance: 0, sampler });
      const expected = tinyDecode(broadcast(await cleanLatentsFor(dir, 'a paper crane'), 8, 6), 8, 6);
      expect(maxDifference(image.pixels, expected), `${sampler} ${JSON.stringify(options)}`).toBeLessThanOrEqual(1);
    }
  });

  it('conditions SDXL on both encoders\' penultimate layers and the pooled embedding, with time ids', async () => {
    const { dir, folder, pipeline } = await open({ variant: 'sdxl' });
    expect(folder.variant).toBe('sdxl');
    const { image } = await generate(pipeline, { text: 'a glass of water' });
    const expected = tinyDecode(broadcast(await cleanLatentsFor(dir, 'a glass of water', 'sdxl'), 8, 6), 8, 6);
    expect(maxDifference(image.pixels, expected)).toBeLessThanOrEqual(1);
    // An empty negative prompt is zeros, as force_zeros_for_empty_prompt asks.
    const negative = await pipeline.encodePrompt('', { negative: true });
    expect(negative.hidden.every((value) => value === 0) && negative.pooled!.every((value) => value === 0)).toBe(true);
    expect(negative.width).toBe(TINY_WIDTHS.sdxl[0] + TINY_WIDTHS.sdxl[1]);
  });

  it('inpaints only inside the mask, with an ordinary UNet (latent blend) or an inpainting UNet', async () => {
    // A picture of 8×8 blocks (which the tiny VAE keeps exactly), and a mask over its right half.
    const width = 64;
    const height = 48;
    const pixels = new Uint8Array(width * height * 3);
    for (let i = 0; i < width * height; i++) {
      const [x, y] = [(i % width) >> 3, Math.floor(i / width) >> 3];
      pixels.set([40 + x * 25, 60 + y * 30, 200 - x * 20], i * 3);
    }
    const maskLatent = Float32Array.from({ length: 8 * 6 }, (_, i) => (i % 8 >= 4 ? 1 : 0));
    for (const inpaintingUnet of [false, true]) {
      const { dir, pipeline } = await open({ inpaintingUnet, vaeEncoder: inpaintingUnet ? 'latent_parameters' : 'latent_sample' });
      const known = await pipeline.encodeImage({ width, height, pixels });
      const { image } = await generate(pipeline, { text: 'a window', steps: 2, inpaint: { mask: maskLatent, latents: known } });
      const filled = tinyDecode(broadcast(await cleanLatentsFor(dir, 'a window'), 8, 6), 8, 6);
      for (let i = 0; i < width * height; i++) {
        const inside = i % width >= 32;
        const want = inside ? filled.subarray(i * 3, i * 3 + 3) : pixels.subarray(i * 3, i * 3 + 3);
        const got = image.pixels.subarray(i * 3, i * 3 + 3);
        expect(maxDifference(got, want), `${inpaintingUnet ? 'inpainting' : 'ordinary'} UNet, pixel ${i % width},${Math.floor(i / width)}`).toBeLessThanOrEqual(1);
      }
    }
  });

  it('reports each step with a preview, and stops at the next step when cancelled', async () => {
    const { pipeline } = await open({ scheduler: SD15_SCHEDULER });
    const steps: number[] = [];
    const controller = new AbortController();
    const run = generate(pipeline, {
      text: 'a moth',
      steps: 6,
      guidance: 0,
      signal: controller.signal,
      onStep: (done, total, preview) => {
        steps.push(done);
        expect(total).toBe(6);
        expect(preview()).toMatchObject({ width: 8, height: 6 });
        if (done === 2) controller.abort(new Error('stopped by the test'));
      },
    });
    await expect(run).rejects.toThrow('stopped by the test');
    expect(steps).toEqual([1, 2]);
  });

  it('refuses a text-to-image-only export for image work, in words', async () => {
    const { pipeline } = await open({ vaeEncoder: false });
    expect(pipeline.canEncodeImages).toBe(false);
    await expect(pipeline.encodeImage({ width: 8, height: 8, pixels: new Uint8Array(192) })).rejects.toThrow(/no vae_encoder\/model\.onnx/);
  });
});
