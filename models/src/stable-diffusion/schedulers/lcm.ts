/**
 * Latent consistency model sampling, as diffusers' LCMScheduler.
 *
 * Timesteps come from the distillation schedule, not from timestep_spacing
 * or steps_offset (LCMScheduler ignores both): the `original_inference_steps`
 * timesteps k − 1, 2k − 1, … (k = ⌊T/original⌋), largest first, of which
 * `steps` are taken at evenly spaced indexes (floor of i·len/steps). For
 * 50 original steps and 4 steps: 999, 759, 499, 259.
 *
 * Image-to-image follows LCMScheduler.set_timesteps(strength): the
 * distillation schedule is cut to its first ⌊original × strength⌋ timesteps
 * and `steps` are still taken from it — the step count does not shrink, the
 * first timestep does (50 original, 4 steps, strength 0.5: 499, 379, 259, 139).
 *
 * Each step: the model's x₀ estimate goes through the consistency boundary
 * condition, denoised = c_out·x₀ + c_skip·x_t, and is noised afresh to the
 * next timestep; the last step returns denoised.
 */

import type { DenoiseSchedule, StepResult } from './denoise-schedule.ts';
import type { SchedulerConfig } from './scheduler-config.ts';
import { addVpNoise, vpEstimates } from './ddim.ts';
import { alphasCumprod, checkSameLength, checkStepCount, checkStepIndex, checkStrength, ScheduleError } from './noise-schedule.ts';

/** σ_data of the consistency-model parameterisation (diffusers' fixed 0.5). */
const SIGMA_DATA = 0.5;

export function lcmSchedule(config: SchedulerConfig, steps: number, strength = 1): DenoiseSchedule {
  checkStrength(strength);
  const timesteps = lcmTimesteps(config, steps, strength);
  const alphaBars = alphasCumprod(config);
  const finalAlphaBar = config.setAlphaToOne ? 1 : alphaBars[0]!;
  const estimate = vpEstimates(config.predictionType);
  const clip = config.clipSample ? config.clipSampleRange : Infinity;

  return {
    kind: 'lcm',
    timesteps,
    initNoiseSigma: 1,
    scaleInput(latents, step) {
      checkStepIndex(step, timesteps.length, false);
      return latents.slice();
    },
    step(modelOutput, step, latents, noise): StepResult {
      checkStepIndex(step, timesteps.length, false);
      checkSameLength(latents, modelOutput, 'model output');
      const t = timesteps[step]!;
      const last = step === timesteps.length - 1;
      const alphaBar = alphaBars[t]!;
      const previous = last ? t : timesteps[step + 1]!;
      const alphaBarPrev = previous >= 0 ? alphaBars[previous]! : finalAlphaBar;
      const { skip, out } = boundaryScalings(t, config.timestepScaling);
      const signal = Math.sqrt(alphaBarPrev);
      const noiseScale = Math.sqrt(1 - alphaBarPrev);
      const next = new Float32Array(latents.length);
      const denoised = new Float32Array(latents.length);
      for (let i = 0; i < latents.length; i++) {
        const x = latents[i]!;
        const { x0 } = estimate(modelOutput[i]!, x, alphaBar);
        const clipped = Math.min(clip, Math.max(-clip, x0));
        const value = out * clipped + skip * x;
        denoised[i] = value;
        next[i] = last ? value : signal * value + noiseScale * noise();
      }
      return { latents: next, denoised };
    },
    addNoise: (clean, noise, step) => addVpNoise(clean, noise, step, timesteps, alphaBars),
  };
}

/** LCMScheduler.set_timesteps(steps, strength=…) without custom timesteps. */
export function lcmTimesteps(config: SchedulerConfig, steps: number, strength: number): number[] {
  checkStepCount(steps, config);
  const original = config.originalInferenceSteps;
  if (original > config.numTrainTimesteps) {
    throw new ScheduleError(`"original_inference_steps" (${original}) is more than the model's ${config.numTrainTimesteps} training timesteps.`);
  }
  if (steps > original) {
    throw new ScheduleError(`LCM takes its steps from ${original} distillation timesteps ("original_inference_steps"); ${steps} steps is too many.`);
  }
  const stride = Math.floor(config.numTrainTimesteps / original);
  const available = Math.trunc(original * strength);
  if (available < steps) {
    throw new ScheduleError(
      `At strength ${strength}, LCM has ${available} of its ${original} distillation timesteps left, fewer than the ${steps} steps asked for; use fewer steps or a higher strength.`,
    );
  }
  // k·stride − 1 for k = available … 1, i.e. largest first.
  const distilled = Array.from({ length: available }, (_, i) => (available - i) * stride - 1);
  const spacing = available / steps;
  return Array.from({ length: steps }, (_, i) => distilled[Math.floor(i * spacing)]!);
}

/** The consistency boundary condition at timestep t: c_skip → 1 and c_out → 0 as t → 0. */
export function boundaryScalings(timestep: number, timestepScaling: number): { skip: number; out: number } {
  const scaled = timestep * timestepScaling;
  const squared = scaled * scaled + SIGMA_DATA * SIGMA_DATA;
  return { skip: (SIGMA_DATA * SIGMA_DATA) / squared, out: scaled / Math.sqrt(squared) };
}
