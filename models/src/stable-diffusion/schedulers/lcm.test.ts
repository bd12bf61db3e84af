import { describe, expect, it } from 'vitest';
import { boundaryScalings, lcmSchedule } from './lcm.ts';
import { parseSchedulerConfig } from './scheduler-config.ts';
import { denoise, diffusersModel, diffusersSample, normalArray, seededNormal, singlePointModel, sumOfAbs } from '../../testing/scheduler-test-support.ts';

const lcm = (fields: Record<string, unknown> = {}) => parseSchedulerConfig({ _class_name: 'LCMScheduler', ...fields });

describe('LCM: timesteps as LCMScheduler.set_timesteps', () => {
  it('gives [999, 759, 499, 259] for 4 steps of 50 original steps', () => {
    expect(lcmSchedule(lcm(), 4).timesteps).toEqual([999, 759, 499, 259]);
  });

  it('gives [999] for 1 step and ignores timestep_spacing / steps_offset', () => {
    expect(lcmSchedule(lcm({ timestep_spacing: 'trailing', steps_offset: 1 }), 1).timesteps).toEqual([999]);
    expect(lcmSchedule(lcm(), 2).timesteps).toEqual([999, 499]);
  });

  it('cuts the distillation schedule for image-to-image but keeps the step count (strength 0.5: 499, 379, 259, 139)', () => {
    expect(lcmSchedule(lcm(), 4, 0.5).timesteps).toEqual([499, 379, 259, 139]);
  });

  it('refuses what diffusers refuses, in words', () => {
    expect(() => lcmSchedule(lcm(), 51)).toThrow(/50 distillation timesteps .* 51 steps is too many/);
    expect(() => lcmSchedule(lcm(), 8, 0.1)).toThrow(/At strength 0.1, LCM has 5 of its 50 distillation timesteps left, fewer than the 8 steps/);
    expect(() => lcmSchedule(lcm({ num_train_timesteps: 20 }), 4)).toThrow(/"original_inference_steps" \(50\) is more than the model's 20/);
  });
});

describe('LCM: boundary condition and diffusers’ results', () => {
  it('has c_skip = σ_d²/((10t)² + σ_d²) and c_out = 10t/√((10t)² + σ_d²) with σ_d = 0.5', () => {
    expect(boundaryScalings(0, 10)).toEqual({ skip: 1, out: 0 });
    const { skip, out } = boundaryScalings(259, 10);
    expect(skip).toBeCloseTo(0.25 / (2590 ** 2 + 0.25), 15);
    expect(out).toBeCloseTo(2590 / Math.sqrt(2590 ** 2 + 0.25), 12);
  });

  it('test_scheduler_lcm.py test_full_loop_onestep: sum 18.7097, mean 0.0244', () => {
    const config = lcm({ beta_start: 0.00085, beta_end: 0.012, beta_schedule: 'scaled_linear', prediction_type: 'epsilon' });
    const schedule = lcmSchedule(config, 1);
    const output = diffusersModel(diffusersSample, schedule.timesteps[0]!);
    const result = schedule.step(output, 0, diffusersSample, () => {
      throw new Error('the last step draws no noise');
    }).latents;
    expect(Math.abs(sumOfAbs(result) - 18.7097)).toBeLessThan(1e-3);
    expect(Math.abs(sumOfAbs(result) / result.length - 0.0244)).toBeLessThan(1e-3);
  });
});

describe('LCM: single-point data', () => {
  const target = Float32Array.of(0.8, -1.3, 0.25, 2.1, -0.05, 0);
  for (const [what, fields, steps] of [
    ['epsilon, 4 steps', {}, 4],
    ['epsilon, 1 step', {}, 1],
    ['v-prediction, 8 steps', { prediction_type: 'v_prediction' }, 8],
  ] as const) {
    it(`reaches x₀* to float tolerance (c_skip at the last step is ~1e-8): ${what}`, () => {
      const config = lcm(fields);
      const schedule = lcmSchedule(config, steps);
      const result = denoise(schedule, singlePointModel(config, target), normalArray(target.length, seededNormal(5)), seededNormal(6));
      for (let i = 0; i < target.length; i++) expect(result[i]).toBeCloseTo(target[i]!, 5);
    });
  }

  it('noises the denoised estimate to the next timestep with the given noise, and repeats for the same seed', () => {
    const config = lcm();
    const schedule = lcmSchedule(config, 4);
    const model = singlePointModel(config, target);
    const run = (): Float32Array => {
      const start = normalArray(target.length, seededNormal(1));
      return schedule.step(model(start, 999), 0, start, seededNormal(2)).latents;
    };
    expect(run()).toEqual(run());
    const other = schedule.step(model(normalArray(6, seededNormal(1)), 999), 0, normalArray(6, seededNormal(1)), seededNormal(3)).latents;
    expect(other).not.toEqual(run());
  });
});
