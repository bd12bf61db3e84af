/**
 * A typed, validated view of a diffusers `scheduler_config.json`.
 *
 * A missing field takes diffusers' default for the class the file names, the
 * way diffusers fills a loaded scheduler's config: so SD 1.5's
 * PNDMScheduler file, which has no `timestep_spacing`, reads as 'leading'
 * (PNDM's default) and keeps giving 981 … 1 when the user samples it with
 * Euler, exactly as `EulerDiscreteScheduler.from_config(pipe.scheduler.config)`
 * does. `null` counts as missing (diffusers writes `null` for unset options).
 *
 * Which sampler a file asks for (`schedulerKindOf`): Euler, Euler ancestral,
 * DDIM and LCM map to themselves (a `Flax` prefix is ignored). Every other
 * class — PNDMScheduler, which SD 1.x and 2.x-base ship, DPMSolver, LMS,
 * UniPC, DDPM … — falls back to Euler: it needs no history, works with every
 * epsilon and v model of the family at 20–50 steps, and is what ComfyUI and
 * InvokeAI users pick for those checkpoints. The betas, spacing and
 * prediction type still come from the file.
 *
 * Refused, in words naming the field: anything whose numbers we would not
 * reproduce — `squaredcos_cap_v2` betas, dynamic `thresholding`, Karras /
 * exponential / beta sigmas, 'log_linear' interpolation, continuous
 * timesteps — and values of the wrong type or out of range.
 */

import type { SchedulerKind } from './denoise-schedule.ts';

export class SchedulerConfigError extends Error {
  override name = 'SchedulerConfigError';
}

export type BetaSchedule = 'linear' | 'scaled_linear';
export type PredictionType = 'epsilon' | 'v_prediction' | 'sample';
export type TimestepSpacing = 'leading' | 'linspace' | 'trailing';
export type FinalSigmasType = 'zero' | 'sigma_min';

export interface SchedulerConfig {
  /** `_class_name` as written, e.g. 'PNDMScheduler'. */
  readonly className: string;
  readonly numTrainTimesteps: number;
  readonly betaStart: number;
  readonly betaEnd: number;
  readonly betaSchedule: BetaSchedule;
  /** When set, used instead of betaStart/betaEnd/betaSchedule (one per training timestep). */
  readonly trainedBetas: readonly number[] | null;
  readonly predictionType: PredictionType;
  readonly timestepSpacing: TimestepSpacing;
  readonly stepsOffset: number;
  /** DDIM/LCM: ᾱ before the first training step is 1 (else ᾱ₀). */
  readonly setAlphaToOne: boolean;
  /** DDIM/LCM: clamp the predicted x₀ to ±clipSampleRange. */
  readonly clipSample: boolean;
  readonly clipSampleRange: number;
  readonly rescaleBetasZeroSnr: boolean;
  /** LCM: the distillation schedule the inference timesteps are drawn from. */
  readonly originalInferenceSteps: number;
  /** LCM: timestep factor in the boundary-condition scalings c_skip / c_out. */
  readonly timestepScaling: number;
  /** Euler: the sigma after the last step (0, or the smallest training sigma). */
  readonly finalSigmasType: FinalSigmasType;
}

/** The classes whose defaults differ from diffusers' common ones (linear 1e-4 → 0.02, 'leading'). */
const CLASS_DEFAULTS: Readonly<Record<string, Partial<SchedulerConfig>>> = {
  EulerDiscreteScheduler: { timestepSpacing: 'linspace' },
  EulerAncestralDiscreteScheduler: { timestepSpacing: 'linspace' },
  LMSDiscreteScheduler: { timestepSpacing: 'linspace' },
  HeunDiscreteScheduler: { timestepSpacing: 'linspace' },
  KDPM2DiscreteScheduler: { timestepSpacing: 'linspace' },
  KDPM2AncestralDiscreteScheduler: { timestepSpacing: 'linspace' },
  DPMSolverMultistepScheduler: { timestepSpacing: 'linspace' },
  DPMSolverSinglestepScheduler: { timestepSpacing: 'linspace' },
  UniPCMultistepScheduler: { timestepSpacing: 'linspace' },
  DEISMultistepScheduler: { timestepSpacing: 'linspace' },
  DDIMScheduler: { clipSample: true, setAlphaToOne: true },
  PNDMScheduler: { setAlphaToOne: false },
  LCMScheduler: { betaStart: 0.00085, betaEnd: 0.012, betaSchedule: 'scaled_linear', setAlphaToOne: true },
};

/** diffusers' defaults shared by the classes above, except clip_sample (see parseSchedulerConfig). */
const COMMON_DEFAULTS: Omit<SchedulerConfig, 'className' | 'numTrainTimesteps'> = {
  betaStart: 0.0001,
  betaEnd: 0.02,
  betaSchedule: 'linear',
  trainedBetas: null,
  predictionType: 'epsilon',
  timestepSpacing: 'leading',
  stepsOffset: 0,
  setAlphaToOne: true,
  clipSample: false,
  clipSampleRange: 1,
  rescaleBetasZeroSnr: false,
  originalInferenceSteps: 50,
  timestepScaling: 10,
  finalSigmasType: 'zero',
};

/** Far above any real schedule (SD uses 1000); stops a hostile file from asking for billions. */
const MAX_TRAIN_TIMESTEPS = 100_000;

export function parseSchedulerConfig(json: unknown): SchedulerConfig {
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    throw new SchedulerConfigError('The scheduler config is not a JSON object.');
  }
  const fields = json as Record<string, unknown>;
  const className = fields._class_name;
  if (typeof className !== 'string' || className.trim() === '') {
    throw new SchedulerConfigError('The scheduler config has no "_class_name" naming its scheduler class.');
  }
  const defaults = { ...COMMON_DEFAULTS, ...CLASS_DEFAULTS[baseClassName(className)] };
  const read = new FieldReader(fields);

  refuseUnsupported(read);

  const numTrainTimesteps = read.integer('num_train_timesteps', 1000, 1, MAX_TRAIN_TIMESTEPS);
  const betaStart = read.number('beta_start', defaults.betaStart);
  const betaEnd = read.number('beta_end', defaults.betaEnd);
  const trainedBetas = read.betas('trained_betas', numTrainTimesteps);
  if (trainedBetas === null) {
    if (!(betaStart > 0 && betaStart < 1)) throw new SchedulerConfigError(`"beta_start" must lie between 0 and 1 (exclusive), not ${betaStart}.`);
    if (!(betaEnd > 0 && betaEnd < 1)) throw new SchedulerConfigError(`"beta_end" must lie between 0 and 1 (exclusive), not ${betaEnd}.`);
    if (betaEnd < betaStart) throw new SchedulerConfigError(`"beta_end" (${betaEnd}) is smaller than "beta_start" (${betaStart}); noise must grow with the timestep.`);
  }
  const timestepScaling = read.number('timestep_scaling', defaults.timestepScaling);
  if (!(timestepScaling > 0)) throw new SchedulerConfigError(`"timestep_scaling" must be positive, not ${timestepScaling}.`);
  const clipSampleRange = read.number('clip_sample_range', defaults.clipSampleRange);
  if (!(clipSampleRange > 0)) throw new SchedulerConfigError(`"clip_sample_range" must be positive, not ${clipSampleRange}.`);

  return {
    className,
    numTrainTimesteps,
    betaStart,
    betaEnd,
    betaSchedule: read.choice('beta_schedule', defaults.betaSchedule, ['linear', 'scaled_linear'], {
      squaredcos_cap_v2: 'the cosine ("squaredcos_cap_v2") beta schedule is not supported; Stable Diffusion uses "scaled_linear"',
    }),
    trainedBetas,
    predictionType: read.choice('prediction_type', defaults.predictionType, ['epsilon', 'v_prediction', 'sample']),
    timestepSpacing: read.choice('timestep_spacing', defaults.timestepSpacing, ['leading', 'linspace', 'trailing']),
    stepsOffset: read.integer('steps_offset', defaults.stepsOffset, 0, numTrainTimesteps - 1),
    setAlphaToOne: read.boolean('set_alpha_to_one', defaults.setAlphaToOne),
    // DDIMScheduler defaults clip_sample to true, but only when a file names that
    // class do we follow it: clamping SD latents (about ±4) to ±1 ruins them, and
    // files of other classes that omit the field were never meant to clip.
    clipSample: read.boolean('clip_sample', defaults.clipSample),
    clipSampleRange,
    rescaleBetasZeroSnr: read.boolean('rescale_betas_zero_snr', defaults.rescaleBetasZeroSnr),
    // Checked against num_train_timesteps when LCM uses it (the default 50 is fine for any other sampler).
    originalInferenceSteps: read.integer('original_inference_steps', defaults.originalInferenceSteps, 1, MAX_TRAIN_TIMESTEPS),
    timestepScaling,
    finalSigmasType: read.choice('final_sigmas_type', defaults.finalSigmasType, ['zero', 'sigma_min']),
  };
}

/** The sampler a config's class asks for; classes we do not implement fall back to Euler (see the file comment). */
export function schedulerKindOf(config: SchedulerConfig): SchedulerKind {
  switch (baseClassName(config.className)) {
    case 'EulerAncestralDiscreteScheduler':
      return 'euler-ancestral';
    case 'DDIMScheduler':
      return 'ddim';
    case 'LCMScheduler':
      return 'lcm';
    default:
      return 'euler';
  }
}

/** 'FlaxDDIMScheduler' → 'DDIMScheduler': the Flax classes share the PyTorch ones' config. */
function baseClassName(className: string): string {
  return className.startsWith('Flax') ? className.slice(4) : className;
}

/** Options that change the numbers in ways these samplers do not reproduce. */
function refuseUnsupported(read: FieldReader): void {
  if (read.boolean('thresholding', false)) {
    throw new SchedulerConfigError('"thresholding" (dynamic thresholding) is not supported; it is meant for pixel-space models, not Stable Diffusion latents.');
  }
  for (const field of ['use_karras_sigmas', 'use_exponential_sigmas', 'use_beta_sigmas']) {
    if (read.boolean(field, false)) throw new SchedulerConfigError(`"${field}" is not supported; set it to false to use the model's own sigmas.`);
  }
  read.choice('interpolation_type', 'linear', ['linear'], { log_linear: '"log_linear" sigma interpolation is not supported' });
  read.choice('timestep_type', 'discrete', ['discrete'], { continuous: 'continuous timesteps (EDM-style models) are not supported' });
}

/** Reads one field at a time, with a sentence naming the field when it is wrong. */
class FieldReader {
  constructor(private readonly fields: Record<string, unknown>) {}

  private value(name: string): unknown {
    const value = this.fields[name];
    return value === null ? undefined : value;
  }

  number(name: string, fallback: number): number {
    const value = this.value(name);
    if (value === undefined) return fallback;
    if (typeof value !== 'number' || !Number.isFinite(value)) throw new SchedulerConfigError(`"${name}" must be a number, not ${describe(value)}.`);
    return value;
  }

  integer(name: string, fallback: number, min: number, max: number): number {
    const value = this.number(name, fallback);
    if (!Number.isInteger(value) || value < min || value > max) {
      throw new SchedulerConfigError(`"${name}" must be a whole number from ${min} to ${max}, not ${value}.`);
    }
    return value;
  }

  boolean(name: string, fallback: boolean): boolean {
    const value = this.value(name);
    if (value === undefined) return fallback;
    if (typeof value !== 'boolean') throw new SchedulerConfigError(`"${name}" must be true or false, not ${describe(value)}.`);
    return value;
  }

  choice<T extends string>(name: string, fallback: T, allowed: readonly T[], refusals: Readonly<Record<string, string>> = {}): T {
    const value = this.value(name);
    if (value === undefined) return fallback;
    if (typeof value === 'string' && (allowed as readonly string[]).includes(value)) return value as T;
    const known = typeof value === 'string' ? refusals[value] : undefined;
    if (known !== undefined) throw new SchedulerConfigError(`"${name}": ${known}.`);
    throw new SchedulerConfigError(`"${name}" must be one of ${allowed.map((a) => `"${a}"`).join(', ')}, not ${describe(value)}.`);
  }

  betas(name: string, count: number): readonly number[] | null {
    const value = this.value(name);
    if (value === undefined) return null;
    if (!Array.isArray(value) || value.length !== count) {
      throw new SchedulerConfigError(`"${name}" must list one beta per training timestep (${count}), not ${describe(value)}.`);
    }
    value.forEach((beta: unknown, index) => {
      if (typeof beta !== 'number' || !(beta > 0 && beta < 1)) {
        throw new SchedulerConfigError(`"${name}"[${index}] must be a number between 0 and 1 (exclusive), not ${describe(beta)}.`);
      }
    });
    return value as number[];
  }
}

function describe(value: unknown): string {
  if (Array.isArray(value)) return `a list of ${value.length}`;
  if (typeof value === 'string') return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
  if (typeof value === 'object') return 'an object';
  return String(value);
}
