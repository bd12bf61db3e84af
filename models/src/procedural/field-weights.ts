/**
 * The procedural model's parameters: a small CPPN-style network over Fourier
 * features of the coordinates. They are drawn once from a fixed seed, so the
 * "model" is the same on every machine, like a checkpoint would be; the
 * user's seed and prompt only change what is fed into it (seed-vector.ts,
 * prompt-embedding.ts).
 */
import { WORD_DIMENSIONS } from './prompt-embedding.ts';
import { gaussian, seededRandom } from './seeded-random.ts';

/** Fourier features of the coordinates (sines of random directions and frequencies). */
export const FEATURES = 32;
/** Low-frequency features whose mix displaces the coordinates before the main features see them (domain warping: swirls). */
export const WARP_FEATURES = 12;
/** Width of the two hidden layers. */
export const HIDDEN = 32;
/** Palette position, accent, shade, and a 2-D displacement for the reference image. */
export const FIELD_OUTPUTS = 5;

/** Fixed: changing it (or the graph) changes the model's output, so bump the generate and inpaint nodes' versions. */
const MODEL_SEED = 0x7265656c; // "reel"
/** Feature frequencies in radians per field unit (the frame's half height), spread log-uniformly: broad shapes to fine ripples. */
const MIN_FREQUENCY = 1.5;
const MAX_FREQUENCY = 18;
const MIN_WARP_FREQUENCY = 0.8;
const MAX_WARP_FREQUENCY = 3.5;
/** How far the warp moves the coordinates (field units, per unit of its features). */
const WARP_GAIN = 0.25;
/** How fast each feature's waves travel, in field units per second at motion 1. */
const MIN_DRIFT = 0.03;
const MAX_DRIFT = 0.1;
/** Gains of the layers: large enough for folded, organic shapes, small enough that they do not break into noise. */
const FIRST_GAIN = 2.2;
const SECOND_GAIN = 1.6;
const OUTPUT_GAIN = 1.4;
const WORD_TO_PHASE_GAIN = 1.2;
const WORD_TO_BIAS_GAIN = 0.9;
/** Smaller in the second layer: its shifts would move the whole field along the palette rather than change its shapes. */
const WORD_TO_BIAS2_GAIN = 0.3;

export interface FieldWeights {
  /** (2, WARP_FEATURES), (1, WARP_FEATURES), (WORD_DIMENSIONS, WARP_FEATURES), (WARP_FEATURES, 2). */
  warpFrequencies: Float32Array;
  warpDrift: Float32Array;
  warpWordPhase: Float32Array;
  warp: Float32Array;
  /** (2, FEATURES): direction × frequency of each feature. */
  frequencies: Float32Array;
  /** (1, FEATURES): radians per second of flow time. */
  drift: Float32Array;
  /** (WORD_DIMENSIONS, FEATURES): how the word latent shifts the features' phases. */
  wordPhase: Float32Array;
  /** (FEATURES, HIDDEN), (WORD_DIMENSIONS, HIDDEN), (1, HIDDEN). */
  layer1: Float32Array;
  wordBias1: Float32Array;
  bias1: Float32Array;
  /** (HIDDEN, HIDDEN), (WORD_DIMENSIONS, HIDDEN), (1, HIDDEN). */
  layer2: Float32Array;
  wordBias2: Float32Array;
  bias2: Float32Array;
  /** (HIDDEN, FIELD_OUTPUTS). */
  output: Float32Array;
}

let weights: FieldWeights | undefined;

export function fieldWeights(): FieldWeights {
  weights ??= drawWeights();
  return weights;
}

function drawWeights(): FieldWeights {
  const uniform = seededRandom(MODEL_SEED);
  const normal = gaussian(uniform);
  const matrix = (rows: number, cols: number, gain: number) => Float32Array.from({ length: rows * cols }, () => (normal() * gain) / Math.sqrt(rows));

  const waves = (count: number, min: number, max: number) => {
    const frequencies = new Float32Array(2 * count);
    const drift = new Float32Array(count);
    for (let f = 0; f < count; f++) {
      // Stratified over the log range and the circle, so every scale and direction is present whatever the draw.
      const magnitude = min * (max / min) ** ((f + uniform()) / count);
      const angle = Math.PI * ((f * 0.618034 + 0.1 * uniform()) % 1) * 2;
      frequencies[f] = magnitude * Math.cos(angle);
      frequencies[count + f] = magnitude * Math.sin(angle);
      const speed = MIN_DRIFT + (MAX_DRIFT - MIN_DRIFT) * uniform();
      drift[f] = magnitude * speed * (uniform() < 0.5 ? -1 : 1);
    }
    return { frequencies, drift };
  };
  const warpWaves = waves(WARP_FEATURES, MIN_WARP_FREQUENCY, MAX_WARP_FREQUENCY);
  const mainWaves = waves(FEATURES, MIN_FREQUENCY, MAX_FREQUENCY);
  return {
    warpFrequencies: warpWaves.frequencies,
    warpDrift: warpWaves.drift,
    warpWordPhase: matrix(WORD_DIMENSIONS, WARP_FEATURES, WORD_TO_PHASE_GAIN * Math.sqrt(WORD_DIMENSIONS)),
    warp: matrix(WARP_FEATURES, 2, WARP_GAIN * Math.sqrt(WARP_FEATURES)),
    frequencies: mainWaves.frequencies,
    drift: mainWaves.drift,
    wordPhase: matrix(WORD_DIMENSIONS, FEATURES, WORD_TO_PHASE_GAIN * Math.sqrt(WORD_DIMENSIONS)),
    layer1: matrix(FEATURES, HIDDEN, FIRST_GAIN),
    wordBias1: matrix(WORD_DIMENSIONS, HIDDEN, WORD_TO_BIAS_GAIN * Math.sqrt(WORD_DIMENSIONS)),
    bias1: Float32Array.from({ length: HIDDEN }, () => normal() * 0.3),
    layer2: matrix(HIDDEN, HIDDEN, SECOND_GAIN),
    wordBias2: matrix(WORD_DIMENSIONS, HIDDEN, WORD_TO_BIAS2_GAIN * Math.sqrt(WORD_DIMENSIONS)),
    bias2: Float32Array.from({ length: HIDDEN }, () => normal() * 0.3),
    output: matrix(HIDDEN, FIELD_OUTPUTS, OUTPUT_GAIN),
  };
}
