/**
 * Test support for the sampler tests (not used by the app): the ideal model
 * for data that is a single point x₀*, the denoising loop of
 * denoise-schedule.ts, and the deterministic sample, noise and model of
 * diffusers' scheduler tests (tests/schedulers/test_schedulers.py).
 */

import { gaussian, seededRandom } from '../procedural/seeded-random.ts';
import type { DenoiseSchedule } from '../stable-diffusion/schedulers/denoise-schedule.ts';
import { alphasCumprod, interpolateAt, trainingSigmas } from '../stable-diffusion/schedulers/noise-schedule.ts';
import type { SchedulerConfig } from '../stable-diffusion/schedulers/scheduler-config.ts';

export type Model = (unetInput: Float32Array, timestep: number) => Float32Array;

/**
 * The exact denoiser when all data is x₀*: the UNet sees √ᾱ·x₀* + √(1 − ᾱ)·ε,
 * so ε = (input − √ᾱ·x₀*)/√(1 − ᾱ), v = √ᾱ·ε − √(1 − ᾱ)·x₀*, sample = x₀*.
 * ᾱ at a fractional timestep is 1/(1 + σ²) with σ interpolated as Euler does.
 */
export function singlePointModel(config: SchedulerConfig, target: Float32Array): Model {
  const sigmas = trainingSigmas(alphasCumprod(config));
  return (input, timestep) => {
    const sigma = interpolateAt(sigmas, timestep);
    const alphaBar = 1 / (1 + sigma * sigma);
    const a = Math.sqrt(alphaBar);
    const b = Math.sqrt(1 - alphaBar);
    return input.map((u, i) => {
      const x0 = target[i]!;
      const eps = (u - a * x0) / b;
      if (config.predictionType === 'epsilon') return eps;
      if (config.predictionType === 'v_prediction') return a * eps - b * x0;
      return x0;
    });
  };
}

/** The loop of denoise-schedule.ts, from `firstStep` to the end. */
export function denoise(schedule: DenoiseSchedule, model: Model, latents: Float32Array, noise: () => number, firstStep = 0): Float32Array {
  let current = latents;
  for (let step = firstStep; step < schedule.timesteps.length; step++) {
    const output = model(schedule.scaleInput(current, step), schedule.timesteps[step]!);
    current = schedule.step(output, step, current, noise).latents;
  }
  return current;
}

/** N(0, 1) draws that repeat for a seed. */
export function seededNormal(seed: number): () => number {
  return gaussian(seededRandom(seed));
}

export function normalArray(length: number, normal: () => number): Float32Array {
  return Float32Array.from({ length }, normal);
}

/** diffusers' 4×3×8×8 test tensors: sample i/768 and noise (767 − i)/768 at the same (permuted) places. */
const DIFFUSERS_TEST_SIZE = 4 * 3 * 8 * 8;
export const diffusersSample = Float32Array.from({ length: DIFFUSERS_TEST_SIZE }, (_, i) => i / DIFFUSERS_TEST_SIZE);
export const diffusersNoise = Float32Array.from({ length: DIFFUSERS_TEST_SIZE }, (_, i) => (DIFFUSERS_TEST_SIZE - 1 - i) / DIFFUSERS_TEST_SIZE);

/** diffusers' dummy model: sample · t/(t + 1). */
export function diffusersModel(sample: Float32Array, timestep: number): Float32Array {
  return sample.map((x) => (x * timestep) / (timestep + 1));
}

export function sumOfAbs(values: Float32Array): number {
  return values.reduce((sum, x) => sum + Math.abs(x), 0);
}
