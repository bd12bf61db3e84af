/**
 * One denoising step of the Stable Diffusion pipeline at 512×512 (latents
 * 4×64×64) on the CPU: DiffusionPipeline.denoise (4 Euler steps, the time
 * divided by the steps), with classifier-free guidance (the UNet run on a
 * batch of 2) and without, against a bare onnxruntime loop over the same UNet
 * file: an InferenceSession of its own, the same feeds, the same timesteps,
 * doing only the guidance arithmetic. The ratio is the engine's overhead per
 * step.
 *
 * The UNet is the tiny test export (models/src/testing/tiny-diffusion.ts), a
 * few elementwise ops, so the network itself costs next to nothing: what is
 * measured is the JS around it (loops over the 64×64×4 latents in the
 * scheduler's scaleInput and step, the guidance map, batch concatenation,
 * tensor creation, per-run bookkeeping of the session pool) and the
 * per-denoise setup (drawing the start noise, planning the schedule),
 * spread over the steps. With a real UNet (hundreds of ms a step) the same
 * overhead in milliseconds would be a small fraction.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ort, SessionPool } from '@reelgraph/models';
import { readDiffusionFolder } from '../../models/src/stable-diffusion/diffusion-folder.ts';
import { DiffusionPipeline, type Conditioning } from '../../models/src/stable-diffusion/diffusion-pipeline.ts';
import { parseSchedulerConfig } from '../../models/src/stable-diffusion/schedulers/scheduler-config.ts';
import { planSchedule } from '../../models/src/stable-diffusion/schedulers/plan-schedule.ts';
import { writeTinyDiffusionFolder } from '../../models/src/testing/tiny-diffusion.ts';
import type { BenchCase } from './bench-harness.ts';

const SIZE = 512;
const LATENT = SIZE / 8;
const STEPS = 4;
/** denoise calls per timed run, so that a run lasts long enough to time steadily. */
const ROUNDS = 10;
const GUIDANCE = 7.5;

export function diffusionStepCase(guided: boolean): BenchCase {
  let dir: string;
  let pool: SessionPool;
  let pipeline: DiffusionPipeline;
  let session: ort.InferenceSession;
  let prompt: Conditioning;
  let negative: Conditioning;
  let timesteps: readonly number[];
  const plane = 4 * LATENT * LATENT;
  const batch = guided ? 2 : 1;
  const latents = Float32Array.from({ length: plane }, (_, i) => Math.sin(i * 0.37));
  const guidedOut = new Float32Array(plane);
  return {
    name: `diffusion step ${SIZE}×${SIZE}, tiny SD UNet (CPU), guidance ${guided ? 'on (batch 2)' : 'off'}`,
    baselineName: 'bare onnxruntime loop, same UNet and feeds',
    runs: 7,
    async setup() {
      dir = await mkdtemp(path.join(tmpdir(), 'reelgraph-bench-sd-'));
      await writeTinyDiffusionFolder(dir);
      const folder = await readDiffusionFolder(dir);
      pool = new SessionPool();
      pipeline = await DiffusionPipeline.open(folder, { device: 'cpu', pool });
      prompt = await pipeline.encodePrompt('a lighthouse at dusk');
      negative = await pipeline.encodePrompt('', { negative: true });
      timesteps = planSchedule(parseSchedulerConfig(folder.schedulerConfig), { steps: STEPS }).timesteps;
      // The pool's options for the CPU, so both sides run the same optimised graph.
      session = await ort.InferenceSession.create(folder.parts.unet, { executionProviders: ['cpu'], graphOptimizationLevel: 'all' });
    },
    async teardown() {
      await session.release();
      await pool.release();
      await rm(dir, { recursive: true, force: true });
    },
    async subject() {
      for (let round = 0; round < ROUNDS; round++) {
        await pipeline.denoise({ width: SIZE, height: SIZE, seed: round, steps: STEPS, guidance: guided ? GUIDANCE : 1, prompt, negative });
      }
    },
    async baseline() {
      const hidden = guided ? concat(negative.hidden, prompt.hidden) : prompt.hidden;
      const sample = guided ? concat(latents, latents) : latents;
      for (let round = 0; round < ROUNDS; round++) {
        for (const timestep of timesteps) {
          const outputs = await session.run({
            sample: new ort.Tensor('float32', sample, [batch, 4, LATENT, LATENT]),
            timestep: new ort.Tensor('int64', BigInt64Array.of(BigInt(Math.round(timestep))), [1]),
            encoder_hidden_states: new ort.Tensor('float32', hidden, [batch, prompt.tokens, prompt.width]),
          });
          const out = outputs.out_sample!.data as Float32Array;
          if (guided) for (let i = 0; i < plane; i++) guidedOut[i] = out[i]! + GUIDANCE * (out[plane + i]! - out[i]!);
        }
      }
    },
    detail: (ms, baselineMs) => {
      const steps = ROUNDS * STEPS;
      return `${((ms / steps) * 1000).toFixed(0)} µs/step vs ${((baselineMs / steps) * 1000).toFixed(0)} µs/step; overhead ${(((ms - baselineMs) / steps) * 1000).toFixed(0)} µs/step`;
    },
  };
}

function concat(a: Float32Array, b: Float32Array): Float32Array {
  const joined = new Float32Array(a.length + b.length);
  joined.set(a);
  joined.set(b, a.length);
  return joined;
}
