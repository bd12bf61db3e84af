/**
 * Euler ancestral sampling, as diffusers' EulerAncestralDiscreteScheduler:
 * the same timesteps and sigmas as Euler, but each step goes down to
 * σ_down and adds fresh noise of σ_up, with σ_down² + σ_up² = σ_next², so
 * the latents keep the noise level the next step expects.
 *
 * Unlike diffusers, a 'sample' prediction type is accepted (x₀ is the model
 * output, as in Euler); the last step always ends at σ = 0.
 */

import type { DenoiseSchedule, StepResult } from './denoise-schedule.ts';
import type { SchedulerConfig } from './scheduler-config.ts';
import { addSigmaNoise, planSigmas, scaleSigmaInput, sigmaAt, sigmaSpaceX0 } from './euler-discrete.ts';
import { checkSameLength } from './noise-schedule.ts';

export function eulerAncestralSchedule(config: SchedulerConfig, steps: number, strength = 1): DenoiseSchedule {
  const plan = planSigmas(config, steps, strength, false);
  const { sigmas } = plan;
  const count = plan.timesteps.length;
  const predictX0 = sigmaSpaceX0(config.predictionType);
  return {
    kind: 'euler-ancestral',
    timesteps: plan.timesteps,
    initNoiseSigma: plan.initNoiseSigma,
    scaleInput: (latents, step) => scaleSigmaInput(latents, sigmaAt(sigmas, step, count)),
    step(modelOutput, step, latents, noise): StepResult {
      const sigma = sigmaAt(sigmas, step, count);
      const { up, down } = ancestralSigmas(sigma, sigmas[step + 1]!);
      checkSameLength(latents, modelOutput, 'model output');
      const next = new Float32Array(latents.length);
      const denoised = new Float32Array(latents.length);
      for (let i = 0; i < latents.length; i++) {
        const x = latents[i]!;
        const x0 = predictX0(modelOutput[i]!, x, sigma);
        const derivative = (x - x0) / sigma;
        // The last step has σ_up = 0: no draw, so the result is exactly the ODE's.
        next[i] = x + derivative * (down - sigma) + (up > 0 ? noise() * up : 0);
        denoised[i] = x0;
      }
      return { latents: next, denoised };
    },
    addNoise: (clean, noise, step) => addSigmaNoise(clean, noise, step, sigmas, count),
  };
}

/** Split a step from σ_from to σ_to into a deterministic part (down) and fresh noise (up). */
export function ancestralSigmas(from: number, to: number): { up: number; down: number } {
  const up = Math.sqrt((to * to * (from * from - to * to)) / (from * from));
  const down = Math.sqrt(to * to - up * up);
  return { up, down };
}
