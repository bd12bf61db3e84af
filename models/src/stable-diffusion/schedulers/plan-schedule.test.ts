import { describe, expect, it } from 'vitest';
import type { SchedulerKind } from './denoise-schedule.ts';
import { planSchedule } from './plan-schedule.ts';
import { parseSchedulerConfig } from './scheduler-config.ts';
import { denoise, normalArray, seededNormal, singlePointModel } from '../../testing/scheduler-test-support.ts';

// SD 1.5's scheduler_config.json (PNDMScheduler), the fields that matter.
const sd15 = parseSchedulerConfig({
  _class_name: 'PNDMScheduler',
  beta_end: 0.012,
  beta_schedule: 'scaled_linear',
  beta_start: 0.00085,
  clip_sample: false,
  num_train_timesteps: 1000,
  set_alpha_to_one: false,
  skip_prk_steps: true,
  steps_offset: 1,
});
const sd15Exact = parseSchedulerConfig({ ...sd15AsJson(), set_alpha_to_one: true });
const KINDS: SchedulerKind[] = ['euler', 'euler-ancestral', 'ddim', 'lcm'];

function sd15AsJson(): Record<string, unknown> {
  return { _class_name: 'PNDMScheduler', beta_end: 0.012, beta_schedule: 'scaled_linear', beta_start: 0.00085, steps_offset: 1, clip_sample: false };
}

describe('planSchedule', () => {
  it('samples SD 1.5’s PNDM config with Euler: 981 … 1 for 50 steps', () => {
    const schedule = planSchedule(sd15, { steps: 50 });
    expect(schedule.kind).toBe('euler');
    expect(schedule.timesteps[0]).toBe(981);
    expect(schedule.timesteps.at(-1)).toBe(1);
  });

  it('lets the user’s sampler replace the config’s class', () => {
    for (const kind of KINDS) expect(planSchedule(sd15, { steps: 4, kind }).kind).toBe(kind);
    expect(planSchedule(sd15, { steps: 4, kind: 'ddim' }).timesteps).toEqual([751, 501, 251, 1]);
    expect(planSchedule(sd15, { steps: 4, kind: 'lcm' }).timesteps).toEqual([999, 759, 499, 259]);
  });

  it('keeps the last ⌊steps × strength⌋ timesteps for image-to-image (4 steps, 0.5 → last 2), at least 1', () => {
    const full = planSchedule(sd15, { steps: 4, kind: 'euler' }).timesteps;
    for (const kind of ['euler', 'euler-ancestral', 'ddim'] as const) {
      const all = planSchedule(sd15, { steps: 4, kind }).timesteps;
      expect(planSchedule(sd15, { steps: 4, strength: 0.5, kind }).timesteps).toEqual(all.slice(2));
      expect(planSchedule(sd15, { steps: 4, strength: 0.1, kind }).timesteps).toEqual(all.slice(3));
      expect(planSchedule(sd15, { steps: 10, strength: 0.75, kind }).timesteps).toHaveLength(7);
    }
    expect(full).toEqual([751, 501, 251, 1]);
    expect(planSchedule(sd15, { steps: 4, strength: 0.5 }).timesteps).toEqual([251, 1]);
  });

  it('refuses a strength outside (0, 1]', () => {
    for (const strength of [0, -0.5, 1.01, Number.NaN]) expect(() => planSchedule(sd15, { steps: 4, strength })).toThrow(/strength must be above 0 and at most 1/);
  });

  const target = Float32Array.of(0.8, -1.3, 0.25, 2.1, -0.05, 0);
  for (const kind of KINDS) {
    for (const prediction of ['epsilon', 'v_prediction'] as const) {
      it(`image-to-image with ${kind} (${prediction}): addNoise at step 0, then the loop, returns x₀*`, () => {
        const config = parseSchedulerConfig({ ...sd15AsJson(), set_alpha_to_one: true, prediction_type: prediction });
        const schedule = planSchedule(config, { steps: 4, strength: 0.5, kind });
        const image = Float32Array.of(0.1, 0.2, -0.3, 0.4, -0.5, 0.6);
        const start = schedule.addNoise(image, normalArray(image.length, seededNormal(21)), 0);
        const result = denoise(schedule, singlePointModel(config, target), start, seededNormal(22));
        for (let i = 0; i < target.length; i++) expect(result[i]).toBeCloseTo(target[i]!, 5);
      });
    }
  }

  it('noises to the first kept timestep: σ for Euler, √ᾱ / √(1 − ᾱ) for DDIM and LCM; past the end returns clean', () => {
    const clean = Float32Array.of(1, -1);
    const noise = Float32Array.of(0.5, 2);
    const euler = planSchedule(sd15Exact, { steps: 4, strength: 0.5, kind: 'euler' });
    const scaled = euler.scaleInput(Float32Array.of(1), 0)[0]!;
    const sigma = Math.sqrt(1 / (scaled * scaled) - 1);
    const noisedEuler = euler.addNoise(clean, noise, 0);
    expect(noisedEuler[0]).toBeCloseTo(1 + 0.5 * sigma, 5);
    // DDIM at t: √ᾱ·clean + √(1 − ᾱ)·noise, and ᾱ = 1/(1 + σ²) for the same t = 501.
    const ddim = planSchedule(sd15Exact, { steps: 4, strength: 0.5, kind: 'ddim' });
    const alphaBar = 1 / (1 + sigma * sigma);
    expect(ddim.addNoise(clean, noise, 0)[1]).toBeCloseTo(-Math.sqrt(alphaBar) + 2 * Math.sqrt(1 - alphaBar), 5);
    for (const schedule of [euler, ddim]) {
      const past = schedule.addNoise(clean, noise, schedule.timesteps.length);
      expect(Array.from(past)).toEqual([1, -1]);
      expect(past).not.toBe(clean);
      expect(() => schedule.addNoise(clean, noise, schedule.timesteps.length + 1)).toThrow(/outside this schedule/);
      expect(() => schedule.addNoise(clean, Float32Array.of(1), 0)).toThrow(/noise has 1 values but the latents have 2/);
    }
  });

  it('is deterministic: the same noise source gives the same result twice, another source another', () => {
    const model = singlePointModel(sd15, target);
    for (const kind of KINDS) {
      const schedule = planSchedule(sd15, { steps: 6, kind });
      // A model that is wrong on purpose, so the ancestral noise stays in the result.
      const biased = (input: Float32Array, t: number): Float32Array => model(input, t).map((e) => e * 0.9);
      const run = (seed: number): Float32Array =>
        denoise(schedule, biased, normalArray(target.length, seededNormal(seed)).map((x) => x * schedule.initNoiseSigma), seededNormal(seed + 1));
      expect(run(30)).toEqual(run(30));
      expect(run(30)).not.toEqual(run(40));
    }
  });

  it('never changes its arguments', () => {
    for (const kind of KINDS) {
      const schedule = planSchedule(sd15, { steps: 4, kind });
      const latents = Float32Array.of(1, 2);
      const output = Float32Array.of(0.1, 0.2);
      schedule.scaleInput(latents, 0);
      schedule.step(output, 0, latents, seededNormal(1));
      schedule.addNoise(latents, output, 0);
      expect(Array.from(latents)).toEqual([1, 2]);
      expect(Array.from(output)).toEqual([Math.fround(0.1), Math.fround(0.2)]);
    }
  });
});
