/**
 * The training noise schedule (betas, ᾱ) and the inference timestep spacings
 * the samplers share, computed the way diffusers computes them, in Float64
 * (diffusers works in float32, so values agree to about 1e-6 relative).
 *
 * numpy details that change integers are reproduced: `np.round` rounds half
 * to even (trailing spacing at 16 steps gives 937.5 → 938 but 812.5 → 812),
 * and `np.linspace` is i·step + start with the end point set exactly.
 */

import type { SchedulerConfig, TimestepSpacing } from './scheduler-config.ts';

export class ScheduleError extends Error {
  override name = 'ScheduleError';
}

/** β per training timestep, from trained_betas or beta_start/beta_end/beta_schedule, rescaled to zero terminal SNR when asked. */
export function trainingBetas(config: SchedulerConfig): Float64Array {
  const count = config.numTrainTimesteps;
  let betas: Float64Array;
  if (config.trainedBetas !== null) {
    betas = Float64Array.from(config.trainedBetas);
  } else if (config.betaSchedule === 'linear') {
    betas = linspace(config.betaStart, config.betaEnd, count);
  } else {
    // scaled_linear: linear in √β, then squared (the latent-diffusion schedule).
    betas = linspace(Math.sqrt(config.betaStart), Math.sqrt(config.betaEnd), count).map((root) => root * root);
  }
  return config.rescaleBetasZeroSnr ? rescaleZeroTerminalSnr(betas) : betas;
}

/** ᾱ_t = ∏_{s ≤ t} (1 − β_s). */
export function alphasCumprod(config: SchedulerConfig): Float64Array {
  const betas = trainingBetas(config);
  const cumprod = new Float64Array(betas.length);
  let product = 1;
  betas.forEach((beta, t) => {
    product *= 1 - beta;
    cumprod[t] = product;
  });
  return cumprod;
}

/**
 * "Common Diffusion Noise Schedules and Sample Steps are Flawed", algorithm 1:
 * shift and scale √ᾱ so the last timestep is pure noise (ᾱ_T = 0) and the
 * first keeps its value.
 */
function rescaleZeroTerminalSnr(betas: Float64Array): Float64Array {
  const roots = new Float64Array(betas.length);
  let product = 1;
  betas.forEach((beta, t) => {
    product *= 1 - beta;
    roots[t] = Math.sqrt(product);
  });
  const first = roots[0]!;
  const last = roots[roots.length - 1]!;
  const rescaled = roots.map((root) => ((root - last) * first) / (first - last));
  return rescaled.map((root, t) => {
    const alphaBar = root * root;
    const previous = t === 0 ? 1 : rescaled[t - 1]! * rescaled[t - 1]!;
    return 1 - alphaBar / previous;
  });
}

/** Euler's σ_t = √((1 − ᾱ_t)/ᾱ_t), per training timestep. */
export function trainingSigmas(alphaBars: Float64Array): Float64Array {
  return alphaBars.map((alphaBar) => Math.sqrt((1 - alphaBar) / alphaBar));
}

/** `np.interp(t, arange(len), values)`: linear between the neighbouring training timesteps, clamped at the ends. */
export function interpolateAt(values: Float64Array, timestep: number): number {
  const last = values.length - 1;
  if (timestep <= 0) return values[0]!;
  if (timestep >= last) return values[last]!;
  const below = Math.floor(timestep);
  const slope = values[below + 1]! - values[below]!;
  return slope * (timestep - below) + values[below]!;
}

/**
 * The inference timesteps, largest first, for a spacing (Table 2 of the paper above):
 * - leading: multiples of ⌊T/steps⌋ from 0, plus steps_offset;
 * - trailing: T − k·T/steps rounded, minus 1, so the first is T − 1;
 * - linspace: evenly from T − 1 to 0; Euler keeps the fractions (as float32,
 *   what the UNet is given), DDIM rounds them (`roundLinspace`).
 */
export function spacedTimesteps(config: SchedulerConfig, steps: number, spacing: TimestepSpacing, roundLinspace: boolean): number[] {
  const total = config.numTrainTimesteps;
  if (spacing === 'leading') {
    const ratio = Math.floor(total / steps);
    return range(steps).map((k) => (steps - 1 - k) * ratio + config.stepsOffset);
  }
  if (spacing === 'trailing') {
    // np.arange(T, 0, −T/steps) may give one value more than `steps` (its length
    // is ceil of a quotient that rounding can push just above `steps`, e.g. 61
    // steps of 1000), ending in timestep −1; we keep exactly `steps` values.
    const delta = total - total / steps - total;
    return range(steps).map((k) => roundHalfEven(total + k * delta) - 1);
  }
  const values = linspace(0, total - 1, steps).reverse();
  return Array.from(values, (t) => (roundLinspace ? roundHalfEven(t) : Math.fround(t)));
}

/** `spacedTimesteps`, refusing a steps_offset that pushes the first timestep past the last training timestep. */
export function checkedTimesteps(config: SchedulerConfig, steps: number, roundLinspace: boolean): number[] {
  checkStepCount(steps, config);
  const timesteps = spacedTimesteps(config, steps, config.timestepSpacing, roundLinspace);
  const first = timesteps[0]!;
  if (first > config.numTrainTimesteps - 1) {
    throw new ScheduleError(
      `With "steps_offset" ${config.stepsOffset}, ${steps} leading steps start at timestep ${first}, past the model's last timestep ${config.numTrainTimesteps - 1}; use fewer steps.`,
    );
  }
  return timesteps;
}

/**
 * Image-to-image: how many of the `steps` to skip so the last ⌊steps × strength⌋
 * remain, as diffusers' img2img pipelines do — except that at least one step
 * remains (diffusers refuses a strength that leaves none).
 */
export function skippedSteps(steps: number, strength: number): number {
  const kept = Math.max(1, Math.min(Math.trunc(steps * strength), steps));
  return steps - kept;
}

/** `np.round`: halves go to the even neighbour. */
export function roundHalfEven(value: number): number {
  const floor = Math.floor(value);
  const fraction = value - floor;
  if (fraction < 0.5) return floor;
  if (fraction > 0.5) return floor + 1;
  return floor % 2 === 0 ? floor : floor + 1;
}

/** `np.linspace(start, stop, count)` (end point included). */
export function linspace(start: number, stop: number, count: number): Float64Array {
  const out = new Float64Array(count);
  if (count === 1) {
    out[0] = start;
    return out;
  }
  const step = (stop - start) / (count - 1);
  for (let i = 0; i < count; i++) out[i] = i * step + start;
  out[count - 1] = stop;
  return out;
}

function range(count: number): number[] {
  return Array.from({ length: count }, (_, i) => i);
}

/** Refuses a step count the schedule cannot honour, in words. */
export function checkStepCount(steps: number, config: SchedulerConfig): void {
  if (!Number.isInteger(steps) || steps < 1) throw new ScheduleError(`The step count must be a whole number of at least 1, not ${steps}.`);
  if (steps > config.numTrainTimesteps) {
    throw new ScheduleError(`${steps} steps is more than the model's ${config.numTrainTimesteps} training timesteps.`);
  }
}

/** Refuses a strength outside (0, 1], in words. */
export function checkStrength(strength: number): void {
  if (typeof strength !== 'number' || !(strength > 0 && strength <= 1)) {
    throw new ScheduleError(`The image-to-image strength must be above 0 and at most 1, not ${strength}.`);
  }
}

/** A step index of the loop (0 … count − 1, or count where `allowEnd`), or an error in words. */
export function checkStepIndex(step: number, count: number, allowEnd: boolean): void {
  const max = allowEnd ? count : count - 1;
  if (!Number.isInteger(step) || step < 0 || step > max) throw new ScheduleError(`Step ${step} is outside this schedule's steps 0 to ${max}.`);
}

/** Refuses latents of different sizes, in words. */
export function checkSameLength(a: Float32Array, b: Float32Array, what: string): void {
  if (a.length !== b.length) throw new ScheduleError(`The ${what} has ${b.length} values but the latents have ${a.length}.`);
}
