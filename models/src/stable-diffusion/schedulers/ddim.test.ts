import { describe, expect, it } from 'vitest';
import { ddimSchedule } from './ddim.ts';
import { alphasCumprod } from './noise-schedule.ts';
import { parseSchedulerConfig, type SchedulerConfig } from './scheduler-config.ts';
import { denoise, diffusersModel, diffusersNoise, diffusersSample, normalArray, seededNormal, singlePointModel, sumOfAbs } from '../../testing/scheduler-test-support.ts';

const noNoise = (): number => {
  throw new Error('DDIM (η = 0) draws no noise');
};

describe('DDIM: timesteps as diffusers', () => {
  it('gives [801, 601, 401, 201, 1] for 5 leading steps with steps_offset 1 (test_scheduler_ddim.py test_steps_offset)', () => {
    const config = parseSchedulerConfig({ _class_name: 'DDIMScheduler', steps_offset: 1 });
    expect(ddimSchedule(config, 5).timesteps).toEqual([801, 601, 401, 201, 1]);
  });

  it('gives 981, 961, …, 1 for SD 1.5/2.1’s 50 leading steps', () => {
    const config = parseSchedulerConfig({ _class_name: 'DDIMScheduler', beta_schedule: 'scaled_linear', beta_start: 0.00085, beta_end: 0.012, steps_offset: 1 });
    expect(ddimSchedule(config, 50).timesteps).toEqual(Array.from({ length: 50 }, (_, k) => 981 - 20 * k));
  });

  it('rounds linspace to whole timesteps and spaces trailing from 999 (paper Table 2, 0-based)', () => {
    // "Common Diffusion Noise Schedules and Sample Steps are Flawed", Table 2 (T = 1000, 10 steps), less one.
    const linspace = parseSchedulerConfig({ _class_name: 'DDIMScheduler', timestep_spacing: 'linspace' });
    expect(ddimSchedule(linspace, 10).timesteps).toEqual([999, 888, 777, 666, 555, 444, 333, 222, 111, 0]);
    expect(ddimSchedule(linspace, 3).timesteps).toEqual([999, 500, 0]); // 499.5 rounds to even
    const trailing = parseSchedulerConfig({ _class_name: 'DDIMScheduler', timestep_spacing: 'trailing' });
    expect(ddimSchedule(trailing, 10).timesteps).toEqual([999, 899, 799, 699, 599, 499, 399, 299, 199, 99]);
  });
});

describe('DDIM: diffusers’ own full-loop results (test_scheduler_ddim.py)', () => {
  // 1000 training steps, linear 1e-4 → 0.02, clip_sample true, 10 leading steps, η = 0.
  const config = (fields: Record<string, unknown> = {}): SchedulerConfig =>
    parseSchedulerConfig({ _class_name: 'DDIMScheduler', beta_start: 0.0001, beta_end: 0.02, beta_schedule: 'linear', clip_sample: true, ...fields });

  function diffusersLoop(schedule: ReturnType<typeof ddimSchedule>, start: Float32Array, firstStep = 0): Float32Array {
    let sample = start;
    for (let step = firstStep; step < schedule.timesteps.length; step++) {
      sample = schedule.step(diffusersModel(sample, schedule.timesteps[step]!), step, sample, noNoise).latents;
    }
    return sample;
  }

  const cases: [string, Record<string, unknown>, number, number][] = [
    ['test_full_loop_no_noise', {}, 172.0067, 0.223967],
    ['test_full_loop_with_v_prediction', { prediction_type: 'v_prediction' }, 52.5302, 0.0684],
    ['test_full_loop_with_set_alpha_to_one', { set_alpha_to_one: true, beta_start: 0.01 }, 149.8295, 0.1951],
    ['test_full_loop_with_no_set_alpha_to_one', { set_alpha_to_one: false, beta_start: 0.01 }, 149.0784, 0.1941],
  ];
  for (const [name, fields, sum, mean] of cases) {
    it(`${name}: sum ${sum}`, () => {
      const result = diffusersLoop(ddimSchedule(config(fields), 10), diffusersSample);
      expect(Math.abs(sumOfAbs(result) - sum)).toBeLessThan(1e-2);
      expect(Math.abs(sumOfAbs(result) / result.length - mean)).toBeLessThan(1e-3);
    });
  }

  it('test_full_loop_with_noise (add_noise at step 8): sum 354.5418', () => {
    const schedule = ddimSchedule(config(), 10);
    const result = diffusersLoop(schedule, schedule.addNoise(diffusersSample, diffusersNoise, 8), 8);
    expect(Math.abs(sumOfAbs(result) - 354.5418)).toBeLessThan(1e-2);
    expect(Math.abs(sumOfAbs(result) / result.length - 0.4616)).toBeLessThan(1e-3);
  });
});

describe('DDIM: single-point data', () => {
  const target = Float32Array.of(0.8, -1.3, 0.25, 2.1, -0.05, 0);
  const sd = { _class_name: 'DDIMScheduler', beta_schedule: 'scaled_linear', beta_start: 0.00085, beta_end: 0.012, clip_sample: false, set_alpha_to_one: true };
  const cases: [string, Record<string, unknown>, number][] = [
    ['epsilon, leading', { steps_offset: 1 }, 50],
    ['epsilon, linspace (previous timestep t − ⌊T/steps⌋, off the schedule)', { timestep_spacing: 'linspace' }, 7],
    ['v-prediction, leading', { steps_offset: 1, prediction_type: 'v_prediction' }, 20],
    ['v-prediction, trailing, zero terminal SNR', { timestep_spacing: 'trailing', prediction_type: 'v_prediction', rescale_betas_zero_snr: true }, 4],
    ['sample prediction', { prediction_type: 'sample' }, 10],
  ];
  for (const [what, fields, steps] of cases) {
    it(`reaches x₀* exactly: ${what}`, () => {
      const config = parseSchedulerConfig({ ...sd, ...fields });
      const schedule = ddimSchedule(config, steps);
      const result = denoise(schedule, singlePointModel(config, target), normalArray(target.length, seededNormal(11)), noNoise);
      for (let i = 0; i < target.length; i++) expect(result[i]).toBeCloseTo(target[i]!, 5);
    });
  }

  it('ends at √ᾱ₀·x₀ + √(1 − ᾱ₀)·ε without set_alpha_to_one (SD 1.5 / 2.1 configs), as diffusers', () => {
    const config = parseSchedulerConfig({ ...sd, set_alpha_to_one: false, steps_offset: 1 });
    const schedule = ddimSchedule(config, 50);
    const alphaBar0 = alphasCumprod(config)[0]!;
    const latents = Float32Array.of(0.3);
    const eps = Float32Array.of(0.5);
    const alphaBar1 = alphasCumprod(config)[1]!;
    const x0 = (0.3 - Math.sqrt(1 - alphaBar1) * 0.5) / Math.sqrt(alphaBar1);
    const { latents: last } = schedule.step(eps, 49, latents, noNoise); // t = 1, previous −19 → ᾱ₀
    expect(last[0]).toBeCloseTo(Math.sqrt(alphaBar0) * x0 + Math.sqrt(1 - alphaBar0) * 0.5, 6);
  });

  it('clips x₀ to ±clip_sample_range when clip_sample is set', () => {
    const config = parseSchedulerConfig({ _class_name: 'DDIMScheduler', clip_sample: true, clip_sample_range: 0.5, prediction_type: 'sample' });
    const schedule = ddimSchedule(config, 10);
    const { denoised } = schedule.step(Float32Array.of(2, -3, 0.25), 0, Float32Array.of(0, 0, 0), noNoise);
    expect(Array.from(denoised)).toEqual([0.5, -0.5, 0.25]);
  });

  it('passes the latents to the UNet unscaled and starts from unit noise', () => {
    const schedule = ddimSchedule(parseSchedulerConfig(sd), 4);
    expect(schedule.initNoiseSigma).toBe(1);
    expect(Array.from(schedule.scaleInput(Float32Array.of(1.5, -2), 2))).toEqual([1.5, -2]);
  });
});
