/**
 * The params of models that sample in steps (the diffusion family), shared
 * by generate and inpaint: shown, and part of the cache key, only when the
 * node's model is of that family (`forFamily`).
 */
import type { SamplingRequest } from '@reelgraph/models';
import { param } from '../sdk/param.ts';

const SAMPLERS = ['model default', 'euler', 'euler-ancestral', 'ddim', 'lcm'] as const;

export const samplingParams = {
  steps: param.int({
    default: 0,
    min: 0,
    max: 150,
    forFamily: 'diffusion',
    description: "Denoising steps per frame; 0 takes the model's own default (SD-Turbo and SDXL-Turbo: 1, LCM: 4, others: 25).",
  }),
  guidance: param.number({
    default: 0,
    min: 0,
    max: 30,
    step: 0.5,
    forFamily: 'diffusion',
    description: "How strongly the prompt (against the negative prompt) steers each step: 1 turns guidance off; 0 takes the model's default (Turbo and LCM models: off, SD: 7.5, SDXL: 5).",
  }),
  sampler: param.select({
    options: SAMPLERS,
    default: 'model default',
    forFamily: 'diffusion',
    description: "The sampler; 'model default' is the one the model's scheduler config names (Euler for the samplers Reelgraph does not have).",
  }),
};

/** The request for the model: each param left at 0 or 'model default' is left out, so the model's own default applies. */
export function samplingRequest(params: { steps: number; guidance: number; sampler: (typeof SAMPLERS)[number] }): SamplingRequest {
  return {
    ...(params.steps > 0 ? { steps: params.steps } : {}),
    ...(params.guidance > 0 ? { guidance: params.guidance } : {}),
    ...(params.sampler !== 'model default' ? { sampler: params.sampler } : {}),
  };
}
