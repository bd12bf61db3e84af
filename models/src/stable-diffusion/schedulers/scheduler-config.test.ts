import { describe, expect, it } from 'vitest';
import { parseSchedulerConfig, SchedulerConfigError, schedulerKindOf } from './scheduler-config.ts';

// runwayml/stable-diffusion-v1-5 scheduler/scheduler_config.json, as mirrored in
// github.com/HDRJ-One/runwayml-stable-diffusion-v1-5 (diffusers 0.17 re-save).
const SD15 = JSON.parse(`{
  "_class_name": "PNDMScheduler",
  "_diffusers_version": "0.17.0.dev0",
  "beta_end": 0.012,
  "beta_schedule": "scaled_linear",
  "beta_start": 0.00085,
  "clip_sample": false,
  "clip_sample_range": 1.0,
  "dynamic_thresholding_ratio": 0.995,
  "num_train_timesteps": 1000,
  "prediction_type": "epsilon",
  "sample_max_value": 1.0,
  "set_alpha_to_one": false,
  "skip_prk_steps": true,
  "steps_offset": 1,
  "thresholding": false,
  "trained_betas": null
}`) as unknown;

// stabilityai/stable-diffusion-2-1 scheduler/scheduler_config.json (diffusers 0.8.0), as
// quoted in public code (e.g. github code search "ddim_scheduler_config" with v_prediction).
const SD21 = JSON.parse(`{
  "_class_name": "DDIMScheduler",
  "_diffusers_version": "0.8.0",
  "beta_end": 0.012,
  "beta_schedule": "scaled_linear",
  "beta_start": 0.00085,
  "clip_sample": false,
  "num_train_timesteps": 1000,
  "prediction_type": "v_prediction",
  "set_alpha_to_one": false,
  "skip_prk_steps": true,
  "steps_offset": 1,
  "trained_betas": null
}`) as unknown;

// The Flax copy of SD 2.1 (github.com/Vikas-2025/Hugging_face_sta_dif_2.1).
const SD21_FLAX = JSON.parse(`{
  "_class_name": "FlaxDDIMScheduler",
  "_diffusers_version": "0.9.0.dev0",
  "beta_end": 0.012,
  "beta_schedule": "scaled_linear",
  "beta_start": 0.00085,
  "clip_sample": false,
  "num_train_timesteps": 1000,
  "prediction_type": "v_prediction",
  "set_alpha_to_one": false,
  "skip_prk_steps": true,
  "steps_offset": 1,
  "trained_betas": null
}`) as unknown;

// stabilityai/sd-turbo scheduler/scheduler_config.json (EulerDiscreteScheduler, trailing).
const SD_TURBO = JSON.parse(`{
  "_class_name": "EulerDiscreteScheduler",
  "_diffusers_version": "0.24.0.dev0",
  "beta_end": 0.012,
  "beta_schedule": "scaled_linear",
  "beta_start": 0.00085,
  "clip_sample": false,
  "interpolation_type": "linear",
  "num_train_timesteps": 1000,
  "prediction_type": "epsilon",
  "sample_max_value": 1.0,
  "set_alpha_to_one": false,
  "skip_prk_steps": true,
  "steps_offset": 1,
  "timestep_spacing": "trailing",
  "trained_betas": null,
  "use_karras_sigmas": false
}`) as unknown;

// stabilityai/sdxl-turbo scheduler/scheduler_config.json, as embedded verbatim in public
// code (SCHEDULER_EULERA_CONFIG_JSON next to the SDXL UNet config).
const SDXL_TURBO = JSON.parse(`{
  "_class_name": "EulerAncestralDiscreteScheduler",
  "_diffusers_version": "0.24.0.dev0",
  "beta_end": 0.012,
  "beta_schedule": "scaled_linear",
  "beta_start": 0.00085,
  "clip_sample": false,
  "interpolation_type": "linear",
  "num_train_timesteps": 1000,
  "prediction_type": "epsilon",
  "sample_max_value": 1.0,
  "set_alpha_to_one": false,
  "skip_prk_steps": true,
  "steps_offset": 1,
  "timestep_spacing": "trailing",
  "trained_betas": null
}`) as unknown;

// An LCMScheduler config as diffusers 0.24 saves it (SDXL + LCM-LoRA), quoted in a public README.
const LCM = JSON.parse(`{
  "_class_name": "LCMScheduler",
  "_diffusers_version": "0.24.0",
  "beta_end": 0.012,
  "beta_schedule": "scaled_linear",
  "beta_start": 0.00085,
  "clip_sample": false,
  "clip_sample_range": 1.0,
  "dynamic_thresholding_ratio": 0.995,
  "interpolation_type": "linear",
  "num_train_timesteps": 1000,
  "original_inference_steps": 50,
  "prediction_type": "epsilon",
  "rescale_betas_zero_snr": false,
  "sample_max_value": 1.0,
  "set_alpha_to_one": false,
  "skip_prk_steps": true,
  "steps_offset": 1,
  "thresholding": false,
  "timestep_scaling": 10.0,
  "timestep_spacing": "leading",
  "trained_betas": null,
  "use_karras_sigmas": false
}`) as unknown;

describe('parseSchedulerConfig: real files', () => {
  it('reads SD 1.5 (PNDM) with leading spacing from PNDM’s default, and samples it with Euler', () => {
    const config = parseSchedulerConfig(SD15);
    expect(config).toMatchObject({
      className: 'PNDMScheduler',
      numTrainTimesteps: 1000,
      betaStart: 0.00085,
      betaEnd: 0.012,
      betaSchedule: 'scaled_linear',
      trainedBetas: null,
      predictionType: 'epsilon',
      timestepSpacing: 'leading',
      stepsOffset: 1,
      setAlphaToOne: false,
      clipSample: false,
      clipSampleRange: 1,
      rescaleBetasZeroSnr: false,
    });
    expect(schedulerKindOf(config)).toBe('euler');
  });

  it('reads SD 2.1 (DDIM, v-prediction), also in its Flax form', () => {
    for (const json of [SD21, SD21_FLAX]) {
      const config = parseSchedulerConfig(json);
      expect(config.predictionType).toBe('v_prediction');
      expect(config.timestepSpacing).toBe('leading');
      expect(config.stepsOffset).toBe(1);
      expect(config.setAlphaToOne).toBe(false);
      expect(config.clipSample).toBe(false);
      expect(schedulerKindOf(config)).toBe('ddim');
    }
  });

  it('reads SD-Turbo (Euler, trailing) and SDXL-Turbo (Euler ancestral, trailing)', () => {
    const sdTurbo = parseSchedulerConfig(SD_TURBO);
    expect(sdTurbo.timestepSpacing).toBe('trailing');
    expect(sdTurbo.finalSigmasType).toBe('zero');
    expect(schedulerKindOf(sdTurbo)).toBe('euler');
    const sdxlTurbo = parseSchedulerConfig(SDXL_TURBO);
    expect(sdxlTurbo.timestepSpacing).toBe('trailing');
    expect(schedulerKindOf(sdxlTurbo)).toBe('euler-ancestral');
  });

  it('reads an LCM config', () => {
    const config = parseSchedulerConfig(LCM);
    expect(config.originalInferenceSteps).toBe(50);
    expect(config.timestepScaling).toBe(10);
    expect(schedulerKindOf(config)).toBe('lcm');
  });
});

describe('parseSchedulerConfig: defaults of the named class', () => {
  it('uses diffusers’ constructor defaults', () => {
    const euler = parseSchedulerConfig({ _class_name: 'EulerDiscreteScheduler' });
    expect(euler).toMatchObject({ numTrainTimesteps: 1000, betaStart: 0.0001, betaEnd: 0.02, betaSchedule: 'linear', timestepSpacing: 'linspace', stepsOffset: 0 });
    const ddim = parseSchedulerConfig({ _class_name: 'DDIMScheduler' });
    expect(ddim).toMatchObject({ timestepSpacing: 'leading', clipSample: true, setAlphaToOne: true, clipSampleRange: 1 });
    const lcm = parseSchedulerConfig({ _class_name: 'LCMScheduler' });
    expect(lcm).toMatchObject({ betaStart: 0.00085, betaEnd: 0.012, betaSchedule: 'scaled_linear', originalInferenceSteps: 50, timestepScaling: 10, setAlphaToOne: true, clipSample: false });
    const pndm = parseSchedulerConfig({ _class_name: 'PNDMScheduler' });
    expect(pndm).toMatchObject({ timestepSpacing: 'leading', setAlphaToOne: false });
  });

  it('maps other classes to Euler', () => {
    for (const name of ['PNDMScheduler', 'DPMSolverMultistepScheduler', 'LMSDiscreteScheduler', 'SomethingNewScheduler']) {
      expect(schedulerKindOf(parseSchedulerConfig({ _class_name: name }))).toBe('euler');
    }
  });

  it('accepts trained_betas of the right length', () => {
    const config = parseSchedulerConfig({ _class_name: 'DDIMScheduler', num_train_timesteps: 3, trained_betas: [0.1, 0.2, 0.3] });
    expect(config.trainedBetas).toEqual([0.1, 0.2, 0.3]);
  });
});

describe('parseSchedulerConfig: refusals in words', () => {
  const base = { _class_name: 'EulerDiscreteScheduler' };
  const cases: [string, Record<string, unknown>, RegExp][] = [
    ['a negative beta', { beta_start: -0.001 }, /"beta_start" must lie between 0 and 1/],
    ['a beta end below its start', { beta_start: 0.01, beta_end: 0.001 }, /"beta_end" \(0\.001\) is smaller than "beta_start"/],
    ['zero training steps', { num_train_timesteps: 0 }, /"num_train_timesteps" must be a whole number from 1 to 100000, not 0/],
    ['fractional training steps', { num_train_timesteps: 999.5 }, /"num_train_timesteps" must be a whole number/],
    ['a string for a number', { beta_end: '0.012' }, /"beta_end" must be a number, not "0\.012"/],
    ['a string for a boolean', { clip_sample: 'false' }, /"clip_sample" must be true or false, not "false"/],
    ['an unknown spacing', { timestep_spacing: 'uniform' }, /"timestep_spacing" must be one of "leading", "linspace", "trailing", not "uniform"/],
    ['an unknown prediction type', { prediction_type: 'flow' }, /"prediction_type" must be one of "epsilon", "v_prediction", "sample", not "flow"/],
    ['the cosine schedule', { beta_schedule: 'squaredcos_cap_v2' }, /"beta_schedule": the cosine \("squaredcos_cap_v2"\) beta schedule is not supported/],
    ['thresholding', { thresholding: true }, /"thresholding" \(dynamic thresholding\) is not supported/],
    ['Karras sigmas', { use_karras_sigmas: true }, /"use_karras_sigmas" is not supported/],
    ['log-linear interpolation', { interpolation_type: 'log_linear' }, /"interpolation_type": "log_linear" sigma interpolation is not supported/],
    ['continuous timesteps', { timestep_type: 'continuous' }, /"timestep_type": continuous timesteps/],
    ['a negative steps_offset', { steps_offset: -1 }, /"steps_offset" must be a whole number from 0 to 999, not -1/],
    ['trained_betas of the wrong length', { trained_betas: [0.1] }, /"trained_betas" must list one beta per training timestep \(1000\), not a list of 1/],
    ['original_inference_steps of 0', { original_inference_steps: 0 }, /"original_inference_steps" must be a whole number from 1 to 100000, not 0/],
    ['an infinite timestep_scaling', { timestep_scaling: 1e400 }, /"timestep_scaling" must be a number, not Infinity/],
  ];
  for (const [what, fields, message] of cases) {
    it(`refuses ${what}`, () => {
      expect(() => parseSchedulerConfig({ ...base, ...fields })).toThrow(SchedulerConfigError);
      expect(() => parseSchedulerConfig({ ...base, ...fields })).toThrow(message);
    });
  }

  it('refuses a file that is not an object or names no class', () => {
    expect(() => parseSchedulerConfig([])).toThrow(/not a JSON object/);
    expect(() => parseSchedulerConfig(null)).toThrow(/not a JSON object/);
    expect(() => parseSchedulerConfig({ beta_start: 0.001 })).toThrow(/no "_class_name"/);
  });
});
