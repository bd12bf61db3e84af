import { describe, expect, it } from 'vitest';
import { eulerDiscreteSchedule } from './euler-discrete.ts';
import { alphasCumprod, trainingSigmas } from './noise-schedule.ts';
import { parseSchedulerConfig, type SchedulerConfig } from './scheduler-config.ts';
import {
  denoise,
  diffusersModel,
  diffusersNoise,
  diffusersSample,
  normalArray,
  seededNormal,
  singlePointModel,
  sumOfAbs,
} from '../../testing/scheduler-test-support.ts';

/** SD 1.x/2.x training schedule; spacing and prediction vary per test. */
function sdConfig(fields: Record<string, unknown> = {}): SchedulerConfig {
  return parseSchedulerConfig({
    _class_name: 'EulerDiscreteScheduler',
    beta_schedule: 'scaled_linear',
    beta_start: 0.00085,
    beta_end: 0.012,
    ...fields,
  });
}

const noNoise = (): number => {
  throw new Error('Euler draws no noise');
};

describe('Euler discrete: timesteps and sigmas as diffusers', () => {
  it('gives SD 1.5’s 50 leading steps 981, 961, …, 1 (steps_offset 1)', () => {
    const schedule = eulerDiscreteSchedule(sdConfig({ timestep_spacing: 'leading', steps_offset: 1 }), 50);
    expect(schedule.timesteps).toEqual(Array.from({ length: 50 }, (_, k) => 981 - 20 * k));
  });

  it('has SD’s training sigmas 14.6146 at t = 999 and 0.0292 at t = 0', () => {
    // The sigma_max / sigma_min k-diffusion, ComfyUI and A1111 print for SD 1.x/2.x models.
    const sigmas = trainingSigmas(alphasCumprod(sdConfig()));
    expect(sigmas[999]).toBeCloseTo(14.6146, 4);
    expect(sigmas[0]).toBeCloseTo(0.0292, 4);
  });

  it('starts linspace/trailing at σ_max and leading at √(σ(981)² + 1)', () => {
    const sigmas = trainingSigmas(alphasCumprod(sdConfig()));
    expect(eulerDiscreteSchedule(sdConfig({ timestep_spacing: 'trailing' }), 4).initNoiseSigma).toBeCloseTo(14.6146, 4);
    expect(eulerDiscreteSchedule(sdConfig({ timestep_spacing: 'linspace' }), 30).initNoiseSigma).toBeCloseTo(14.6146, 4);
    const leading = eulerDiscreteSchedule(sdConfig({ timestep_spacing: 'leading', steps_offset: 1 }), 50);
    expect(leading.initNoiseSigma).toBeCloseTo(Math.sqrt(sigmas[981]! ** 2 + 1), 10);
    expect(leading.initNoiseSigma).toBeLessThan(14.6146);
  });

  it('gives SD-Turbo’s trailing timesteps: 1 step [999], 4 steps [999, 749, 499, 249]', () => {
    // diffusers docs (SDXL Turbo, SD-Turbo model cards): timestep_spacing='trailing', 1–4 steps.
    expect(eulerDiscreteSchedule(sdConfig({ timestep_spacing: 'trailing', steps_offset: 1 }), 1).timesteps).toEqual([999]);
    expect(eulerDiscreteSchedule(sdConfig({ timestep_spacing: 'trailing', steps_offset: 1 }), 4).timesteps).toEqual([999, 749, 499, 249]);
  });

  it('gives linspace 4 steps [999, 666, 333, 0] and keeps fractional linspace timesteps as float32', () => {
    expect(eulerDiscreteSchedule(sdConfig({ timestep_spacing: 'linspace' }), 4).timesteps).toEqual([999, 666, 333, 0]);
    expect(eulerDiscreteSchedule(sdConfig({ timestep_spacing: 'linspace' }), 3).timesteps).toEqual([999, 499.5, 0]);
    const seven = eulerDiscreteSchedule(sdConfig({ timestep_spacing: 'linspace' }), 7).timesteps;
    expect(seven[1]).toBe(Math.fround((999 * 5) / 6));
  });

  it('rounds trailing halves to even like np.round (16 steps)', () => {
    // np.round(np.arange(1000, 0, -62.5)) = 1000, 938, 875, 812, 750, 688, … (checked with numpy 2.4).
    const timesteps = eulerDiscreteSchedule(sdConfig({ timestep_spacing: 'trailing' }), 16).timesteps;
    expect(timesteps.slice(0, 6)).toEqual([999, 937, 874, 811, 749, 687]);
    expect(timesteps).toHaveLength(16);
  });

  it('keeps exactly `steps` trailing timesteps where np.arange would add a 62nd (61 steps)', () => {
    const timesteps = eulerDiscreteSchedule(sdConfig({ timestep_spacing: 'trailing' }), 61).timesteps;
    expect(timesteps).toHaveLength(61);
    expect(timesteps.at(-1)).toBe(15);
  });

  it('interpolates sigmas linearly at fractional timesteps', () => {
    const training = trainingSigmas(alphasCumprod(sdConfig()));
    const schedule = eulerDiscreteSchedule(sdConfig({ timestep_spacing: 'linspace' }), 3);
    // The loop's x/√(σ²+1) at step 1 (t = 499.5) reveals σ.
    const scaled = schedule.scaleInput(Float32Array.of(1), 1)[0]!;
    const sigma = Math.sqrt(1 / (scaled * scaled) - 1);
    expect(sigma).toBeCloseTo((training[499]! + training[500]!) / 2, 4);
  });

  it('uses σ = 4096 at the last timestep under zero terminal SNR (ᾱ = 2⁻²⁴, as diffusers)', () => {
    const schedule = eulerDiscreteSchedule(sdConfig({ timestep_spacing: 'trailing', rescale_betas_zero_snr: true }), 4);
    expect(schedule.initNoiseSigma).toBeCloseTo(Math.sqrt((1 - 2 ** -24) / 2 ** -24), 6);
  });

  it('refuses step counts it cannot honour, in words', () => {
    expect(() => eulerDiscreteSchedule(sdConfig(), 0)).toThrow(/at least 1/);
    expect(() => eulerDiscreteSchedule(sdConfig(), 2.5)).toThrow(/whole number/);
    expect(() => eulerDiscreteSchedule(sdConfig(), 1001)).toThrow(/more than the model's 1000 training timesteps/);
    expect(() => eulerDiscreteSchedule(sdConfig({ timestep_spacing: 'leading', steps_offset: 1 }), 1000)).toThrow(/past the model's last timestep 999/);
    expect(() => eulerDiscreteSchedule(sdConfig(), 4, 0)).toThrow(/strength must be above 0/);
    expect(() => eulerDiscreteSchedule(sdConfig(), 4, 1.5)).toThrow(/strength must be above 0/);
  });
});

describe('Euler discrete: diffusers’ own full-loop results', () => {
  // tests/schedulers/test_scheduler_euler.py: 1100 training steps, linear 1e-4 → 0.02, linspace,
  // 10 steps; the test feeds the *scaled* sample back into step(), which we repeat here.
  const config = (fields: Record<string, unknown> = {}): SchedulerConfig =>
    parseSchedulerConfig({ _class_name: 'EulerDiscreteScheduler', num_train_timesteps: 1100, beta_start: 0.0001, beta_end: 0.02, beta_schedule: 'linear', ...fields });

  function diffusersLoop(schedule: ReturnType<typeof eulerDiscreteSchedule>, start: Float32Array, firstStep = 0): Float32Array {
    let sample = start;
    for (let step = firstStep; step < schedule.timesteps.length; step++) {
      sample = schedule.scaleInput(sample, step);
      sample = schedule.step(diffusersModel(sample, schedule.timesteps[step]!), step, sample, noNoise).latents;
    }
    return sample;
  }

  it('test_full_loop_no_noise: sum 10.0807, mean 0.0131', () => {
    const schedule = eulerDiscreteSchedule(config(), 10);
    const result = diffusersLoop(schedule, diffusersSample.map((x) => x * schedule.initNoiseSigma));
    expect(Math.abs(sumOfAbs(result) - 10.0807)).toBeLessThan(1e-2);
    expect(Math.abs(sumOfAbs(result) / result.length - 0.0131)).toBeLessThan(1e-3);
  });

  it('test_full_loop_with_v_prediction: sum 0.0002', () => {
    const schedule = eulerDiscreteSchedule(config({ prediction_type: 'v_prediction' }), 10);
    const result = diffusersLoop(schedule, diffusersSample.map((x) => x * schedule.initNoiseSigma));
    expect(Math.abs(sumOfAbs(result) - 0.0002)).toBeLessThan(1e-2);
  });

  it('test_full_loop_with_noise (from step 8): sum 57062.9297, mean 74.3007', () => {
    const schedule = eulerDiscreteSchedule(config(), 10);
    const noised = schedule.addNoise(diffusersSample.map((x) => x * schedule.initNoiseSigma), diffusersNoise, 8);
    const result = diffusersLoop(schedule, noised, 8);
    // diffusers asserts ±0.01; our Float64 schedule differs from its float32 one by ~1e-6
    // relative, which on a sum this large is ~0.07, so the check is relative here.
    expect(Math.abs(sumOfAbs(result) - 57062.9297) / 57062.9297).toBeLessThan(2e-6);
    expect(Math.abs(sumOfAbs(result) / result.length - 74.3007)).toBeLessThan(1e-3);
  });
});

describe('Euler discrete: the loop reaches the data exactly for single-point data', () => {
  const target = Float32Array.of(0.8, -1.3, 0.25, 2.1, -0.05, 0);
  const cases: [string, Record<string, unknown>, number][] = [
    ['epsilon, leading (SD 1.5)', { timestep_spacing: 'leading', steps_offset: 1 }, 30],
    ['epsilon, trailing 1 step (SD-Turbo)', { timestep_spacing: 'trailing' }, 1],
    ['epsilon, linspace with fractional timesteps', { timestep_spacing: 'linspace' }, 7],
    ['v-prediction, leading (SD 2.1)', { timestep_spacing: 'leading', steps_offset: 1, prediction_type: 'v_prediction' }, 25],
    ['v-prediction, trailing', { timestep_spacing: 'trailing', prediction_type: 'v_prediction' }, 4],
    ['sample prediction', { prediction_type: 'sample' }, 5],
  ];
  for (const [what, fields, steps] of cases) {
    it(what, () => {
      const config = sdConfig(fields);
      const schedule = eulerDiscreteSchedule(config, steps);
      const start = normalArray(target.length, seededNormal(7)).map((x) => x * schedule.initNoiseSigma);
      const result = denoise(schedule, singlePointModel(config, target), start, noNoise);
      for (let i = 0; i < target.length; i++) expect(result[i]).toBeCloseTo(target[i]!, 5);
    });
  }

  it('stops at the smallest training sigma with final_sigmas_type "sigma_min"', () => {
    const config = sdConfig({ final_sigmas_type: 'sigma_min', timestep_spacing: 'trailing' });
    const schedule = eulerDiscreteSchedule(config, 4);
    const start = Float32Array.of(schedule.initNoiseSigma);
    const result = denoise(schedule, singlePointModel(config, Float32Array.of(0)), start, noNoise);
    // With x₀* = 0 every step scales x by σ_next/σ, so the result is x_T·σ_min/σ_max = σ_min.
    expect(result[0]).toBeCloseTo(trainingSigmas(alphasCumprod(config))[0]!, 6);
  });

  it('returns the model’s x₀ estimate as `denoised`', () => {
    const config = sdConfig({ timestep_spacing: 'trailing' });
    const schedule = eulerDiscreteSchedule(config, 4);
    const latents = normalArray(target.length, seededNormal(3)).map((x) => x * schedule.initNoiseSigma);
    const output = singlePointModel(config, target)(schedule.scaleInput(latents, 0), schedule.timesteps[0]!);
    const { denoised } = schedule.step(output, 0, latents, noNoise);
    for (let i = 0; i < target.length; i++) expect(denoised[i]).toBeCloseTo(target[i]!, 4);
  });
});
