import { mkdir, mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import * as ort from 'onnxruntime-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SessionPool } from '../runtime/session-pool.ts';
import type { ShotFrame } from '../shot-generator.ts';
import { readDiffusionFolder } from '../stable-diffusion/diffusion-folder.ts';
import { DiffusionPipeline } from '../stable-diffusion/diffusion-pipeline.ts';
import { openDiffusionShot } from '../stable-diffusion/diffusion-shot.ts';
import { randomUnetGraph, SD15_UNET, SD_TURBO_UNET, SDXL_UNET, unetParameterCount, writeRandomUnet, type UnetShape } from './random-unet.ts';
import { NARROW_VAE, writeRandomVae } from './random-vae.ts';
import { TINY_WIDTHS, writeTinyDiffusionFolder } from './tiny-diffusion.ts';

/** SD-Turbo's topology at a width that runs in milliseconds: three downsamplings, attention in the first three blocks. */
const NARROW: UnetShape = { ...SD_TURBO_UNET, blockChannels: [16, 32, 32, 32], heads: [2, 2, 4, 4], normGroups: 8, crossAttentionDim: TINY_WIDTHS.sd[0] };
/** SDXL's topology narrowed the same way, conditioned as the tiny SDXL export's two encoders are. */
const NARROW_XL: UnetShape = {
  ...SDXL_UNET,
  blockChannels: [16, 32, 32],
  heads: [2, 2, 4],
  normGroups: 8,
  transformerDepth: [1, 2, 3],
  crossAttentionDim: TINY_WIDTHS.sdxl[0] + TINY_WIDTHS.sdxl[1],
  textTime: { pooledWidth: TINY_WIDTHS.sdxl[1], timeIdWidth: 8 },
};

describe('the random-weight Stable Diffusion UNet', () => {
  it('has the parameter count of the real networks at their widths (so no layer is missing or extra)', () => {
    // diffusers' UNet2DConditionModel.num_parameters() for stabilityai/sd-turbo (SD 2.1's UNet) and SD 1.5.
    expect(unetParameterCount(SD_TURBO_UNET)).toBe(865_910_724);
    expect(unetParameterCount(SD15_UNET)).toBe(859_520_964);
    // stabilityai/sdxl-turbo (SDXL base's UNet): ten-block transformers deep down, and the pooled text and size conditioning.
    expect(unetParameterCount(SDXL_UNET)).toBe(2_567_463_684);
  });

  it('runs on onnxruntime with dynamic batch, size and sequence, and answers to the timestep and the text', async () => {
    const { graph } = randomUnetGraph(NARROW, { seed: 3 });
    const session = await ort.InferenceSession.create(graph.build(), { executionProviders: ['cpu'] });
    try {
      expect(session.inputNames).toEqual(['sample', 'timestep', 'encoder_hidden_states']);
      expect(session.outputNames).toEqual(['out_sample']);
      const run = async (batch: number, size: number, timestep: number, text: number) => {
        const sample = Float32Array.from({ length: batch * 4 * size * size }, (_, i) => Math.sin(i * 0.37));
        const hidden = Float32Array.from({ length: batch * 77 * 8 }, (_, i) => Math.cos(i * 0.11 + text));
        const out = await session.run({
          sample: new ort.Tensor('float32', sample, [batch, 4, size, size]),
          timestep: new ort.Tensor('int64', BigInt64Array.of(BigInt(timestep)), [1]),
          encoder_hidden_states: new ort.Tensor('float32', hidden, [batch, 77, 8]),
        });
        return out.out_sample!;
      };
      const base = await run(2, 16, 999, 0);
      expect(base.dims).toEqual([2, 4, 16, 16]);
      expect((await run(1, 24, 999, 0)).dims).toEqual([1, 4, 24, 24]);
      const values = base.data as Float32Array;
      expect(values.every(Number.isFinite)).toBe(true);
      const spread = Math.sqrt(values.reduce((s, v) => s + v * v, 0) / values.length);
      expect(spread).toBeGreaterThan(0.01);
      const differs = async (other: ort.Tensor) => {
        const a = other.data as Float32Array;
        return a.some((v, i) => Math.abs(v - values[i]!) > 1e-4);
      };
      expect(await differs(await run(2, 16, 249, 0))).toBe(true);
      expect(await differs(await run(2, 16, 999, 1))).toBe(true);
    } finally {
      await session.release();
    }
  });
});

describe('the random-weight SDXL UNet', () => {
  it('takes the pooled text embedding and the size numbers, and answers to each', async () => {
    const { graph } = randomUnetGraph(NARROW_XL, { seed: 8 });
    const session = await ort.InferenceSession.create(graph.build(), { executionProviders: ['cpu'] });
    try {
      expect(session.inputNames).toEqual(['sample', 'timestep', 'encoder_hidden_states', 'text_embeds', 'time_ids']);
      const width = NARROW_XL.crossAttentionDim;
      const run = async (pooledShift: number, size: number) => {
        const out = await session.run({
          sample: new ort.Tensor('float32', Float32Array.from({ length: 2 * 4 * 16 * 16 }, (_, i) => Math.sin(i * 0.37)), [2, 4, 16, 16]),
          timestep: new ort.Tensor('int64', BigInt64Array.of(999n), [1]),
          encoder_hidden_states: new ort.Tensor('float32', Float32Array.from({ length: 2 * 77 * width }, (_, i) => Math.cos(i * 0.11)), [2, 77, width]),
          text_embeds: new ort.Tensor('float32', Float32Array.from({ length: 2 * 12 }, (_, i) => Math.sin(i + pooledShift)), [2, 12]),
          time_ids: new ort.Tensor('float32', Float32Array.of(size, size, 0, 0, size, size, size, size, 0, 0, size, size), [2, 6]),
        });
        return out.out_sample!;
      };
      const base = await run(0, 1024);
      expect(base.dims).toEqual([2, 4, 16, 16]);
      const values = base.data as Float32Array;
      expect(values.every(Number.isFinite)).toBe(true);
      const differs = (other: ort.Tensor) => (other.data as Float32Array).some((v, i) => Math.abs(v - values[i]!) > 1e-4);
      expect(differs(await run(1, 1024))).toBe(true);
      expect(differs(await run(0, 512))).toBe(true);
    } finally {
      await session.release();
    }
  });

  it('goes through the SDXL pipeline: both encoders, pooled embedding and sizes fed, finite latents that follow the seed', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'reelgraph-random-unet-xl-'));
    const pool = new SessionPool();
    try {
      await writeTinyDiffusionFolder(dir, { variant: 'sdxl' });
      await rm(path.join(dir, 'unet'), { recursive: true });
      await mkdir(path.join(dir, 'unet'));
      await writeRandomUnet(path.join(dir, 'unet'), NARROW_XL, { seed: 9 });
      const pipeline = await DiffusionPipeline.open(await readDiffusionFolder(dir), { device: 'cpu', pool });
      const prompt = await pipeline.encodePrompt('a lighthouse at dusk');
      const negative = await pipeline.encodePrompt('', { negative: true });
      const denoise = (seed: number) => pipeline.denoise({ width: 128, height: 128, seed, steps: 2, guidance: 4, prompt, negative });
      const first = await denoise(1);
      expect(first.length).toBe(4 * 16 * 16);
      expect(first.every(Number.isFinite)).toBe(true);
      expect(Array.from(await denoise(1))).toEqual(Array.from(first));
      expect(Array.from(await denoise(2))).not.toEqual(Array.from(first));
    } finally {
      await pool.release();
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('a diffusion export whose UNet and VAE are the real topology', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'reelgraph-random-unet-'));
    await writeTinyDiffusionFolder(dir);
    for (const part of ['unet', 'vae_encoder', 'vae_decoder']) await rm(path.join(dir, part), { recursive: true });
    await mkdir(path.join(dir, 'unet'));
    await writeRandomUnet(path.join(dir, 'unet'), NARROW, { seed: 5 });
    await writeRandomVae(dir, NARROW_VAE, 6);
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('keeps its weights in model.onnx_data beside the graph, as large exports do', async () => {
    expect((await readdir(path.join(dir, 'unet'))).sort()).toEqual(['config.json', 'model.onnx', 'model.onnx_data']);
    const [graph, weights] = await Promise.all([stat(path.join(dir, 'unet/model.onnx')), stat(path.join(dir, 'unet/model.onnx_data'))]);
    expect(weights.size).toBeGreaterThan(4 * 0.9 * unetParameterCount(NARROW));
    expect(graph.size).toBeLessThan(weights.size / 4);
  });

  it('goes through the pipeline: guided Euler steps from the prompt give finite latents that follow the seed', async () => {
    const pool = new SessionPool();
    try {
      const pipeline = await DiffusionPipeline.open(await readDiffusionFolder(dir), { device: 'cpu', pool });
      const prompt = await pipeline.encodePrompt('a lighthouse at dusk');
      const negative = await pipeline.encodePrompt('', { negative: true });
      const steps: number[] = [];
      const denoise = (seed: number) => pipeline.denoise({ width: 128, height: 128, seed, steps: 2, guidance: 4, prompt, negative, onStep: (done) => steps.push(done) });
      const first = await denoise(1);
      expect(first.length).toBe(4 * 16 * 16);
      expect(first.every(Number.isFinite)).toBe(true);
      expect(steps).toEqual([1, 2]);
      expect(Array.from(await denoise(1))).toEqual(Array.from(first));
      expect(Array.from(await denoise(2))).not.toEqual(Array.from(first));
    } finally {
      await pool.release();
    }
  });

  it('makes a camera-driven shot: frames at the asked size, in order, the same again for the same seed', async () => {
    const pan = (k: number): ShotFrame => ({ prompt: { from: 'a harbour', to: 'a harbour', mix: 0 }, camera: [1, 0, k * 0.1, 0, 1, 0] });
    const render = async () => {
      const shot = await openDiffusionShot(dir, { width: 96, height: 64, fps: 12, seed: 4, frames: [pan(0), pan(1), pan(2)] }, { device: 'cpu' });
      const frames: Uint8Array[] = [];
      for (let start = 0; start < shot.frameCount; start++) frames.push(await shot.render(start, 1));
      return frames;
    };
    const frames = await render();
    expect(frames.map((frame) => frame.length)).toEqual([96 * 64 * 3, 96 * 64 * 3, 96 * 64 * 3]);
    expect(frames.map((frame) => Buffer.from(frame).equals(Buffer.from(frames[0]!)))).toEqual([true, false, false]);
    expect((await render()).map((frame) => Buffer.from(frame).toString('base64'))).toEqual(frames.map((frame) => Buffer.from(frame).toString('base64')));
  });
});
