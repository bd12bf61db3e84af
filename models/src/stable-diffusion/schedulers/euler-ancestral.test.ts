import { describe, expect, it } from 'vitest';
import { ancestralSigmas, eulerAncestralSchedule } from './euler-ancestral.ts';
import { eulerDiscreteSchedule } from './euler-discrete.ts';
import { parseSchedulerConfig } from './scheduler-config.ts';
import { denoise, normalArray, seededNormal, singlePointModel } from '../../testing/scheduler-test-support.ts';

// stabilityai/sdxl-turbo's scheduler: EulerAncestralDiscreteScheduler, scaled_linear, trailing.
const sdxlTurbo = (fields: Record<string, unknown> = {}) =>
  parseSchedulerConfig({
    _class_name: 'EulerAncestralDiscreteScheduler',
    beta_schedule: 'scaled_linear',
    beta_start: 0.00085,
    beta_end: 0.012,
    steps_offset: 1,
    timestep_spacing: 'trailing',
    ...fields,
  });

describe('Euler ancestral', () => {
  it('uses Euler’s timesteps and starting sigma ([999, 749, 499, 249], σ_max 14.6146)', () => {
    const ancestral = eulerAncestralSchedule(sdxlTurbo(), 4);
    const euler = eulerDiscreteSchedule(sdxlTurbo(), 4);
    expect(ancestral.timesteps).toEqual([999, 749, 499, 249]);
    expect(ancestral.timesteps).toEqual(euler.timesteps);
    expect(ancestral.initNoiseSigma).toBeCloseTo(14.6146, 4);
    expect(Array.from(ancestral.scaleInput(Float32Array.of(1), 2))).toEqual(Array.from(euler.scaleInput(Float32Array.of(1), 2)));
  });

  it('splits each step so σ_down² + σ_up² = σ_next², with σ_up = σ_next·√(1 − σ_next²/σ²)', () => {
    const { up, down } = ancestralSigmas(14.6146, 3.2);
    expect(down * down + up * up).toBeCloseTo(3.2 * 3.2, 12);
    expect(up).toBeCloseTo(3.2 * Math.sqrt(1 - (3.2 / 14.6146) ** 2), 12);
    expect(ancestralSigmas(2, 0)).toEqual({ up: 0, down: 0 });
  });

  const target = Float32Array.of(0.8, -1.3, 0.25, 2.1, -0.05, 0);
  for (const [what, fields, steps] of [
    ['epsilon, 1 step (SDXL-Turbo)', {}, 1],
    ['epsilon, 4 steps', {}, 4],
    ['epsilon, leading 30 steps', { timestep_spacing: 'leading' }, 30],
    ['v-prediction, 12 steps', { prediction_type: 'v_prediction' }, 12],
  ] as const) {
    it(`reaches x₀* exactly whatever noise it draws: ${what}`, () => {
      const config = sdxlTurbo(fields);
      const schedule = eulerAncestralSchedule(config, steps);
      const start = normalArray(target.length, seededNormal(9)).map((x) => x * schedule.initNoiseSigma);
      const result = denoise(schedule, singlePointModel(config, target), start, seededNormal(10));
      for (let i = 0; i < target.length; i++) expect(result[i]).toBeCloseTo(target[i]!, 5);
    });
  }

  it('adds σ_up·z on an intermediate step and repeats for the same noise source', () => {
    const schedule = eulerAncestralSchedule(sdxlTurbo(), 4);
    const latents = Float32Array.of(1, 2, 3);
    const zero = Float32Array.of(0, 0, 0); // ε = 0 ⇒ x₀ = x, derivative 0: only the noise moves x
    const once = schedule.step(zero, 0, latents, seededNormal(4)).latents;
    const twice = schedule.step(zero, 0, latents, seededNormal(4)).latents;
    expect(once).toEqual(twice);
    const draws = seededNormal(4);
    const sigmas = [14.6146, schedule.initNoiseSigma];
    expect(sigmas[1]).toBeCloseTo(sigmas[0]!, 4);
    const scaled = schedule.scaleInput(Float32Array.of(1), 1)[0]!;
    const sigmaNext = Math.sqrt(1 / (scaled * scaled) - 1);
    const { up } = ancestralSigmas(schedule.initNoiseSigma, sigmaNext);
    for (let i = 0; i < 3; i++) expect(once[i]).toBeCloseTo(latents[i]! + draws() * up, 4);
  });
});
