/**
 * The one entry point the denoising loop needs: a schedule for a parsed
 * scheduler config, a step count, an image-to-image strength and,
 * optionally, the sampler the user picked (which replaces the config's class;
 * the betas, spacing and prediction type still come from the config).
 *
 * Strength (0 < s ≤ 1, default 1): Euler, Euler ancestral and DDIM keep the
 * last ⌊steps × s⌋ timesteps of the full schedule — at least one — and
 * `addNoise(clean, noise, 0)` noises to the first of them; LCM follows
 * LCMScheduler.set_timesteps(strength) instead (see lcm.ts).
 */

import type { DenoiseSchedule, SchedulerKind } from './denoise-schedule.ts';
import { ddimSchedule } from './ddim.ts';
import { eulerAncestralSchedule } from './euler-ancestral.ts';
import { eulerDiscreteSchedule } from './euler-discrete.ts';
import { lcmSchedule } from './lcm.ts';
import { schedulerKindOf, type SchedulerConfig } from './scheduler-config.ts';

export interface PlanOptions {
  readonly steps: number;
  /** Image-to-image strength, 0 < strength ≤ 1 (default 1: text-to-image). */
  readonly strength?: number;
  /** The sampler to use instead of the one the config's class implies. */
  readonly kind?: SchedulerKind;
}

export function planSchedule(config: SchedulerConfig, options: PlanOptions): DenoiseSchedule {
  const strength = options.strength ?? 1;
  switch (options.kind ?? schedulerKindOf(config)) {
    case 'euler':
      return eulerDiscreteSchedule(config, options.steps, strength);
    case 'euler-ancestral':
      return eulerAncestralSchedule(config, options.steps, strength);
    case 'ddim':
      return ddimSchedule(config, options.steps, strength);
    case 'lcm':
      return lcmSchedule(config, options.steps, strength);
  }
}
