/**
 * Deterministic DDIM (η = 0), as diffusers' DDIMScheduler: from x_t and the
 * model's x₀ and ε estimates, x_prev = √ᾱ_prev·x₀ + √(1 − ᾱ_prev)·ε.
 *
 * Like diffusers, the previous timestep is t − ⌊T/steps⌋ whatever the
 * spacing (for 'linspace' and some 'trailing' counts that is not the next
 * timestep of the schedule), and below 0 ᾱ_prev is 1 with set_alpha_to_one,
 * else ᾱ₀ — so SD 1.5's config (set_alpha_to_one false) ends a hair short
 * of the clean x₀ estimate, as diffusers does.
 */

import type { DenoiseSchedule, StepResult } from './denoise-schedule.ts';
import type { PredictionType, SchedulerConfig } from './scheduler-config.ts';
import { alphasCumprod, checkSameLength, checkStepIndex, checkStrength, checkedTimesteps, skippedSteps } from './noise-schedule.ts';

export function ddimSchedule(config: SchedulerConfig, steps: number, strength = 1): DenoiseSchedule {
  checkStrength(strength);
  const alphaBars = alphasCumprod(config);
  const finalAlphaBar = config.setAlphaToOne ? 1 : alphaBars[0]!;
  const stride = Math.floor(config.numTrainTimesteps / steps);
  const timesteps = checkedTimesteps(config, steps, true).slice(skippedSteps(steps, strength));
  const estimate = vpEstimates(config.predictionType);
  const clip = config.clipSample ? config.clipSampleRange : Infinity;

  return {
    kind: 'ddim',
    timesteps,
    initNoiseSigma: 1,
    scaleInput(latents, step) {
      checkStepIndex(step, timesteps.length, false);
      return latents.slice();
    },
    step(modelOutput, step, latents): StepResult {
      checkStepIndex(step, timesteps.length, false);
      checkSameLength(latents, modelOutput, 'model output');
      const t = timesteps[step]!;
      const alphaBar = alphaBars[t]!;
      const previous = t - stride;
      const alphaBarPrev = previous >= 0 ? alphaBars[previous]! : finalAlphaBar;
      const keep = Math.sqrt(alphaBarPrev);
      const direction = Math.sqrt(1 - alphaBarPrev);
      const next = new Float32Array(latents.length);
      const denoised = new Float32Array(latents.length);
      for (let i = 0; i < latents.length; i++) {
        const { x0, eps } = estimate(modelOutput[i]!, latents[i]!, alphaBar);
        // Clipping changes x₀ only; ε stays the model's (diffusers' use_clipped_model_output = false).
        const clipped = Math.min(clip, Math.max(-clip, x0));
        next[i] = keep * clipped + direction * eps;
        denoised[i] = clipped;
      }
      return { latents: next, denoised };
    },
    addNoise: (clean, noise, step) => addVpNoise(clean, noise, step, timesteps, alphaBars),
  };
}

/** x₀ and ε from the model output for x_t = √ᾱ·x₀ + √(1 − ᾱ)·ε. */
export function vpEstimates(prediction: PredictionType): (output: number, x: number, alphaBar: number) => { x0: number; eps: number } {
  switch (prediction) {
    case 'epsilon':
      return (eps, x, alphaBar) => ({ x0: (x - Math.sqrt(1 - alphaBar) * eps) / Math.sqrt(alphaBar), eps });
    case 'v_prediction':
      return (v, x, alphaBar) => {
        const a = Math.sqrt(alphaBar);
        const b = Math.sqrt(1 - alphaBar);
        return { x0: a * x - b * v, eps: a * v + b * x };
      };
    case 'sample':
      return (x0, x, alphaBar) => ({ x0, eps: (x - Math.sqrt(alphaBar) * x0) / Math.sqrt(1 - alphaBar) });
  }
}

/** √ᾱ_t·clean + √(1 − ᾱ_t)·noise at the timestep of `step`; clean unchanged past the last step. */
export function addVpNoise(clean: Float32Array, noise: Float32Array, step: number, timesteps: readonly number[], alphaBars: Float64Array): Float32Array {
  checkStepIndex(step, timesteps.length, true);
  checkSameLength(clean, noise, 'noise');
  if (step === timesteps.length) return clean.slice();
  const alphaBar = alphaBars[timesteps[step]!]!;
  const signal = Math.sqrt(alphaBar);
  const noiseScale = Math.sqrt(1 - alphaBar);
  return clean.map((x, i) => signal * x + noiseScale * noise[i]!);
}
