/**
 * One step of a full-size SD-Turbo UNet at 512×512 (latents 4×64×64, batch 1,
 * no guidance, as SD-Turbo runs): SD 2.1's network with its 865,910,724
 * parameters, drawn at random and written in the Optimum layout with its
 * weights in `model.onnx_data` (3.5 GB), on the device the engine would
 * choose (`REELGRAPH_DEVICE=cuda|webgpu|cpu` picks one). The subject is the
 * engine's DiffusionPipeline.denoise for one step; the baseline a bare
 * InferenceSession on the same file, device and options running the UNet
 * once on the same shapes. The ratio is the engine's overhead; the step time
 * is what a real SD-Turbo frame costs on that device (plus the VAE).
 *
 * Setup takes a minute or more (drawing and writing the weights, loading two
 * sessions of 3.5 GB each): run it alone with `pnpm bench "full-size"`.
 */
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chooseDevice, ort, SessionPool, type Device } from '@reelgraph/models';
import { readDiffusionFolder } from '../../models/src/stable-diffusion/diffusion-folder.ts';
import { DiffusionPipeline, type Conditioning } from '../../models/src/stable-diffusion/diffusion-pipeline.ts';
import { sessionOptionsFor } from '../../models/src/runtime/session-options.ts';
import { SD_TURBO_UNET, writeRandomUnet } from '../../models/src/testing/random-unet.ts';
import { writeTinyDiffusionFolder } from '../../models/src/testing/tiny-diffusion.ts';
import type { BenchCase } from './bench-harness.ts';

const SIZE = 512;
const LATENT = SIZE / 8;
const TOKENS = 77;

export function fullSizeUnetStepCase(): BenchCase {
  let dir: string;
  let device: Device;
  let pool: SessionPool;
  let pipeline: DiffusionPipeline;
  let session: ort.InferenceSession;
  let prompt: Conditioning;
  let setupSeconds = 0;
  const latents = Float32Array.from({ length: 4 * LATENT * LATENT }, (_, i) => Math.sin(i * 0.37));
  return {
    name: `diffusion step ${SIZE}×${SIZE}, full-size SD-Turbo UNet (random weights)`,
    baselineName: 'bare onnxruntime session, same file and feeds',
    runs: 3,
    async setup() {
      const started = performance.now();
      device = (await chooseDevice()).device;
      dir = await mkdtemp(path.join(tmpdir(), 'reelgraph-bench-sd-full-'));
      // The tiny export's tokenizer, text encoder, VAE and scheduler (SD-Turbo's), with the UNet swapped for the full-size one.
      await writeTinyDiffusionFolder(dir);
      await rm(path.join(dir, 'unet'), { recursive: true });
      await mkdir(path.join(dir, 'unet'));
      await writeRandomUnet(path.join(dir, 'unet'), SD_TURBO_UNET);
      const folder = await readDiffusionFolder(dir);
      pool = new SessionPool();
      pipeline = await DiffusionPipeline.open(folder, { device, pool });
      // A 1024-wide conditioning, as SD-Turbo's OpenCLIP encoder gives (the tiny encoder is 8 wide).
      const hidden = Float32Array.from({ length: TOKENS * 1024 }, (_, i) => Math.cos(i * 0.013));
      prompt = { hidden, tokens: TOKENS, width: 1024 };
      session = await ort.InferenceSession.create(folder.parts.unet, sessionOptionsFor(device));
      setupSeconds = (performance.now() - started) / 1000;
    },
    async teardown() {
      await session?.release();
      await pool?.release();
      if (dir) await rm(dir, { recursive: true, force: true });
    },
    async subject() {
      await pipeline.denoise({ width: SIZE, height: SIZE, seed: 1, steps: 1, guidance: 0, prompt, negative: prompt });
    },
    async baseline() {
      await session.run({
        sample: new ort.Tensor('float32', latents, [1, 4, LATENT, LATENT]),
        timestep: new ort.Tensor('int64', BigInt64Array.of(999n), [1]),
        encoder_hidden_states: new ort.Tensor('float32', prompt.hidden, [1, TOKENS, 1024]),
      });
    },
    detail: (ms, baselineMs) => `${(ms / 1000).toFixed(2)} s/step vs ${(baselineMs / 1000).toFixed(2)} s bare, on ${device}; setup ${setupSeconds.toFixed(0)} s`,
  };
}
