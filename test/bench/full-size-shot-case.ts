/**
 * A camera-driven shot from a full-size SD-Turbo at 512×512: SD 2.1's UNet
 * (865,910,724 parameters) and SD's VAE (83,653,863), drawn at random and
 * written in the Optimum layout with the UNet's weights in `model.onnx_data`
 * (3.5 GB), on the device the engine would choose (`REELGRAPH_DEVICE=cuda|
 * webgpu|cpu` picks one). The text encoder is the tiny test one at
 * OpenCLIP's width (1024): the encoder runs once per prompt, not per frame.
 *
 * The subject is the engine making two frames of a panning shot
 * (openDiffusionShot: frame 0 is one UNet step and a VAE decode; frame 1 a
 * VAE encode of the moved frame, one step at denoise 0.35, a decode and the
 * colour match). The baseline is bare InferenceSessions on the same files,
 * device and options making the same calls on the same shapes. The ratio is
 * the engine's overhead; the detail splits a frame's cost into its parts.
 *
 * Setup takes a minute or more (drawing and writing the weights, loading the
 * networks twice): run it alone with `pnpm bench "full-size"`.
 */
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chooseDevice, ort, SessionPool, type Device } from '@reelgraph/models';
import { sessionOptionsFor } from '../../models/src/runtime/session-options.ts';
import { readDiffusionFolder } from '../../models/src/stable-diffusion/diffusion-folder.ts';
import { openDiffusionShot } from '../../models/src/stable-diffusion/diffusion-shot.ts';
import { SD_TURBO_UNET, writeRandomUnet } from '../../models/src/testing/random-unet.ts';
import { SD_VAE, writeRandomVae } from '../../models/src/testing/random-vae.ts';
import { writeTinyDiffusionFolder } from '../../models/src/testing/tiny-diffusion.ts';
import type { BenchCase } from './bench-harness.ts';

const SIZE = 512;
const LATENT = SIZE / 8;
const TOKENS = 77;
const TEXT_WIDTH = SD_TURBO_UNET.crossAttentionDim;

interface BareSessions {
  unet: ort.InferenceSession;
  encoder: ort.InferenceSession;
  decoder: ort.InferenceSession;
}

export function fullSizeShotCase(): BenchCase {
  let dir: string;
  let device: Device;
  let pool: SessionPool;
  let bare: BareSessions;
  let setupSeconds = 0;
  const parts = { unet: [] as number[], encode: [] as number[], decode: [] as number[] };
  const frames = [0, 1].map((k) => ({ prompt: { from: 'a harbour at dawn', to: 'a harbour at dawn', mix: 0 }, camera: [1, 0, k * 0.02, 0, 1, 0] as const }));
  const timed = async <T>(into: number[], work: () => Promise<T>): Promise<T> => {
    const started = performance.now();
    const result = await work();
    into.push(performance.now() - started);
    return result;
  };
  const latents = Float32Array.from({ length: 4 * LATENT * LATENT }, (_, i) => Math.sin(i * 0.37));
  const hidden = Float32Array.from({ length: TOKENS * TEXT_WIDTH }, (_, i) => Math.cos(i * 0.013));
  const picture = Float32Array.from({ length: 3 * SIZE * SIZE }, (_, i) => Math.sin(i * 0.001));
  const medianOf = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]! / 1000;
  return {
    name: `diffusion shot 512×512, 2 frames, full-size SD-Turbo UNet and VAE (random weights)`,
    baselineName: 'bare onnxruntime sessions, same files, calls and shapes',
    runs: 3,
    warmUp: false,
    async setup() {
      const started = performance.now();
      device = (await chooseDevice()).device;
      dir = await mkdtemp(path.join(tmpdir(), 'reelgraph-bench-sd-full-'));
      // The tiny export's tokenizer and scheduler (SD-Turbo's), its text encoder at OpenCLIP's width, the full-size UNet and VAE.
      await writeTinyDiffusionFolder(dir, { textWidth: TEXT_WIDTH });
      for (const part of ['unet', 'vae_encoder', 'vae_decoder']) await rm(path.join(dir, part), { recursive: true });
      await mkdir(path.join(dir, 'unet'));
      await writeRandomUnet(path.join(dir, 'unet'), SD_TURBO_UNET);
      await writeRandomVae(dir, SD_VAE);
      const folder = await readDiffusionFolder(dir);
      pool = new SessionPool();
      const options = sessionOptionsFor(device);
      bare = {
        unet: await ort.InferenceSession.create(folder.parts.unet, options),
        encoder: await ort.InferenceSession.create(folder.parts.vaeEncoder!, options),
        decoder: await ort.InferenceSession.create(folder.parts.vaeDecoder, options),
      };
      setupSeconds = (performance.now() - started) / 1000;
    },
    async teardown() {
      await Promise.all(Object.values(bare ?? {}).map((session) => session.release()));
      await pool?.release();
      if (dir) await rm(dir, { recursive: true, force: true });
    },
    async subject() {
      // The pool keeps the sessions between runs, as the engine does between frames and shots.
      const shot = await openDiffusionShot(dir, { width: SIZE, height: SIZE, fps: 24, seed: 1, frames }, { device, pool });
      for (let start = 0; start < shot.frameCount; start++) await shot.render(start, 1);
    },
    async baseline() {
      const step = () =>
        timed(parts.unet, () =>
          bare.unet.run({
            sample: new ort.Tensor('float32', latents, [1, 4, LATENT, LATENT]),
            timestep: new ort.Tensor('int64', BigInt64Array.of(999n), [1]),
            encoder_hidden_states: new ort.Tensor('float32', hidden, [1, TOKENS, TEXT_WIDTH]),
          }),
        );
      const decode = () => timed(parts.decode, () => bare.decoder.run({ latent_sample: new ort.Tensor('float32', latents, [1, 4, LATENT, LATENT]) }));
      const encode = () => timed(parts.encode, () => bare.encoder.run({ sample: new ort.Tensor('float32', picture, [1, 3, SIZE, SIZE]) }));
      await step();
      await decode();
      await encode();
      await step();
      await decode();
    },
    detail: (ms, baselineMs) =>
      `${(ms / 2000).toFixed(1)} s/frame vs ${(baselineMs / 2000).toFixed(1)} s bare, on ${device}: UNet step ${medianOf(parts.unet).toFixed(2)} s, VAE decode ${medianOf(parts.decode).toFixed(2)} s, encode ${medianOf(parts.encode).toFixed(2)} s; setup ${setupSeconds.toFixed(0)} s`,
  };
}
