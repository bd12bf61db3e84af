/**
 * Euler sampling in sigma space (Karras et al. 2022, algorithm 2 without
 * churn), as diffusers' EulerDiscreteScheduler does it: latents are
 * x = x₀ + σ·ε with σ_t = √((1 − ᾱ_t)/ᾱ_t) interpolated linearly at the
 * (possibly fractional) inference timesteps; the UNet, trained on
 * √ᾱ·x₀ + √(1 − ᾱ)·ε, gets x / √(σ² + 1).
 */

import type { DenoiseSchedule, StepResult } from './denoise-schedule.ts';
import type { PredictionType, SchedulerConfig } from './scheduler-config.ts';
import {
  alphasCumprod,
  checkSameLength,
  checkStepIndex,
  checkStrength,
  checkedTimesteps,
  interpolateAt,
  skippedSteps,
  trainingSigmas,
} from './noise-schedule.ts';

/** diffusers keeps the last ᾱ just above 0 under zero terminal SNR, so the first σ is finite (4096): float16's smallest subnormal. */
const ZERO_SNR_LAST_ALPHA_BAR = 2 ** -24;

/** The timesteps and sigmas the Euler samplers share. */
export interface SigmaPlan {
  /** The kept timesteps (image-to-image keeps the last ones). */
  readonly timesteps: readonly number[];
  /** σ at each kept timestep, then the σ after the last step. */
  readonly sigmas: Float64Array;
  /** Where text-to-image starts (from the whole schedule, as diffusers computes it). */
  readonly initNoiseSigma: number;
}

export function planSigmas(config: SchedulerConfig, steps: number, strength: number, finalSigmaIsMin: boolean): SigmaPlan {
  checkStrength(strength);
  const alphaBars = alphasCumprod(config);
  if (config.rescaleBetasZeroSnr) alphaBars[alphaBars.length - 1] = ZERO_SNR_LAST_ALPHA_BAR;
  const training = trainingSigmas(alphaBars);
  const timesteps = checkedTimesteps(config, steps, false);
  const sigmas = timesteps.map((t) => interpolateAt(training, t));
  sigmas.push(finalSigmaIsMin ? training[0]! : 0);

  // diffusers: σ_max for linspace/trailing (which start at T − 1), √(σ_max² + 1) for leading.
  const sigmaMax = Math.max(...sigmas);
  const initNoiseSigma = config.timestepSpacing === 'leading' ? Math.sqrt(sigmaMax * sigmaMax + 1) : sigmaMax;

  const skip = skippedSteps(steps, strength);
  return { timesteps: timesteps.slice(skip), sigmas: Float64Array.from(sigmas.slice(skip)), initNoiseSigma };
}

export function eulerDiscreteSchedule(config: SchedulerConfig, steps: number, strength = 1): DenoiseSchedule {
  const plan = planSigmas(config, steps, strength, config.finalSigmasType === 'sigma_min');
  const { sigmas } = plan;
  const predictX0 = sigmaSpaceX0(config.predictionType);
  return {
    kind: 'euler',
    timesteps: plan.timesteps,
    initNoiseSigma: plan.initNoiseSigma,
    scaleInput: (latents, step) => scaleSigmaInput(latents, sigmaAt(sigmas, step, plan.timesteps.length)),
    step(modelOutput, step, latents): StepResult {
      const sigma = sigmaAt(sigmas, step, plan.timesteps.length);
      const dt = sigmas[step + 1]! - sigma;
      checkSameLength(latents, modelOutput, 'model output');
      const next = new Float32Array(latents.length);
      const denoised = new Float32Array(latents.length);
      for (let i = 0; i < latents.length; i++) {
        const x = latents[i]!;
        const x0 = predictX0(modelOutput[i]!, x, sigma);
        const derivative = (x - x0) / sigma;
        next[i] = x + derivative * dt;
        denoised[i] = x0;
      }
      return { latents: next, denoised };
    },
    addNoise: (clean, noise, step) => addSigmaNoise(clean, noise, step, sigmas, plan.timesteps.length),
  };
}

/** σ at a step of the loop, refusing a step outside it. */
export function sigmaAt(sigmas: Float64Array, step: number, count: number): number {
  checkStepIndex(step, count, false);
  return sigmas[step]!;
}

/** The UNet's input: x / √(σ² + 1), back on the variance-preserving scale it was trained on. */
export function scaleSigmaInput(latents: Float32Array, sigma: number): Float32Array {
  const scale = 1 / Math.sqrt(sigma * sigma + 1);
  return latents.map((x) => x * scale);
}

/** x₀ from the model output at noise level σ, for x = x₀ + σ·ε. */
export function sigmaSpaceX0(prediction: PredictionType): (output: number, x: number, sigma: number) => number {
  switch (prediction) {
    case 'epsilon':
      return (eps, x, sigma) => x - sigma * eps;
    case 'v_prediction':
      // v = √ᾱ·ε − √(1 − ᾱ)·x₀ on the UNet's scale, with √ᾱ = 1/√(σ²+1).
      return (v, x, sigma) => v * (-sigma / Math.sqrt(sigma * sigma + 1)) + x / (sigma * sigma + 1);
    case 'sample':
      return (x0) => x0;
  }
}

/** clean + noise·σ at `step`; clean unchanged past the last step. */
export function addSigmaNoise(clean: Float32Array, noise: Float32Array, step: number, sigmas: Float64Array, count: number): Float32Array {
  checkStepIndex(step, count, true);
  checkSameLength(clean, noise, 'noise');
  if (step === count) return clean.slice();
  const sigma = sigmas[step]!;
  return clean.map((x, i) => x + noise[i]! * sigma);
}
