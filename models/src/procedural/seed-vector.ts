/**
 * What the seed feeds into the field: an offset of the word latent, the
 * starting phase of every Fourier feature (and warp feature), and a nudge of the light source.
 * Same seed, same vector, on every machine.
 */
import { FEATURES, WARP_FEATURES } from './field-weights.ts';
import { WORD_DIMENSIONS } from './prompt-embedding.ts';
import { gaussian, seededRandom } from './seeded-random.ts';

export const SEED_LAYOUT = {
  latent: [0, WORD_DIMENSIONS],
  phases: [WORD_DIMENSIONS, FEATURES],
  warpPhases: [WORD_DIMENSIONS + FEATURES, WARP_FEATURES],
  sunOffset: [WORD_DIMENSIONS + FEATURES + WARP_FEATURES, 2],
} as const satisfies Record<string, readonly [number, number]>;
export const SEED_SIZE = WORD_DIMENSIONS + FEATURES + WARP_FEATURES + 2;

/** Length of the latent offset: below the words' unit vector, so the prompt shapes the field more than the seed does. */
const LATENT_SCALE = 0.7;
/** How far the seed moves the light source, in field units. */
const SUN_JITTER = 0.2;

export function seedVector(seed: number): Float32Array {
  if (!Number.isInteger(seed) || seed < 0 || seed > 0xffffffff) throw new RangeError(`A seed is a whole number from 0 to 4294967295, not ${seed}.`);
  const uniform = seededRandom(seed ^ 0x9e3779b9);
  const normal = gaussian(uniform);
  const vector = new Float32Array(SEED_SIZE);
  const latent = Array.from({ length: WORD_DIMENSIONS }, normal);
  const length = Math.hypot(...latent);
  vector.set(latent.map((v) => (v / length) * LATENT_SCALE), SEED_LAYOUT.latent[0]);
  vector.set(Array.from({ length: FEATURES }, () => Math.PI * (2 * uniform() - 1)), SEED_LAYOUT.phases[0]);
  vector.set(Array.from({ length: WARP_FEATURES }, () => Math.PI * (2 * uniform() - 1)), SEED_LAYOUT.warpPhases[0]);
  vector.set([SUN_JITTER * (2 * uniform() - 1), SUN_JITTER * (2 * uniform() - 1)], SEED_LAYOUT.sunOffset[0]);
  return vector;
}
