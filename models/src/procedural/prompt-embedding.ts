/**
 * The prompt embedding the procedural field is conditioned on: a fixed-length
 * vector with two parts.
 *
 * - `words`: every word (lower-cased, stop words dropped) hashed to a seeded
 *   Gaussian vector; the vectors are summed and normalised. Any wording
 *   changes it, and with it the field's shapes; word order does not.
 * - the look: two five-stop palettes (above and below the horizon), the light
 *   and haze colours, the horizon and light source's place, and the scalar
 *   controls of `Look`, all read from the lexicon (lexicon.ts). Without a scene
 *   or colour word the palette is drawn from the prompt's hash, so every
 *   prompt still gets its own harmonious colours.
 *
 * Embeddings are linear: a prompt schedule blends two of them with `mixEmbeddings`.
 * The negative prompt only reverses its light and mood words at half strength
 * and removes the scenes it names.
 */
import {
  COLOUR_WORDS,
  DEFAULT_LOOK,
  LOOK_RANGE,
  MOOD_WORDS,
  SCENE_WORDS,
  type Look,
  type LookDelta,
  type Palette,
  type Rgb,
  type SceneWord,
} from './lexicon.ts';
import { gaussian, hashText, seededRandom } from './seeded-random.ts';

export const WORD_DIMENSIONS = 16;
export const LOOK_KEYS = ['exposure', 'contrast', 'saturation', 'haze', 'vignette', 'sun', 'accent', 'detail', 'motion', 'turbulence'] as const satisfies readonly (keyof Look)[];

/** Where each part lies in the embedding: [offset, length]. */
export const EMBEDDING_LAYOUT = {
  words: [0, WORD_DIMENSIONS],
  sky: [16, 15],
  ground: [31, 15],
  light: [46, 3],
  hazeColour: [49, 3],
  look: [52, LOOK_KEYS.length],
  /** Horizon height (field units, v down) and the softness of the palettes' meeting. */
  horizon: [62, 2],
  /** Where the light source sits, in field units. */
  sunPosition: [64, 2],
} as const satisfies Record<string, readonly [number, number]>;
export const EMBEDDING_SIZE = 66;

export type PromptEmbedding = Float32Array;

const STOP_WORDS = new Set(
  'a an the of in on at over under with and or to by through from into onto is are was were be its it this that as for while near above below across'.split(' '),
);
/** Horizon height when a prompt names a sky and a ground: a little below the middle, as landscapes are framed. */
const HORIZON = 0.15;
const HORIZON_SOFTNESS = 0.22;
/** How far one colour word pulls a scene palette towards its own colour; more words pull further, up to the cap. */
const TINT_PER_WORD = 0.35;
const TINT_MAX = 0.6;

export function tokenize(text: string): string[] {
  return text
    .toLowerCase()
    .replaceAll(/black\s+and\s+white/g, 'monochrome')
    .split(/[^\p{L}\p{N}]+/u)
    .filter((word) => word !== '' && !STOP_WORDS.has(word));
}

/** The entry for a word in `table`, trying its singular when the word ends in s. */
function lookUp<T>(table: Readonly<Record<string, T>>, word: string): T | undefined {
  if (Object.hasOwn(table, word)) return table[word];
  if (word.length > 3 && word.endsWith('s') && Object.hasOwn(table, word.slice(0, -1))) return table[word.slice(0, -1)];
  return undefined;
}

interface Reading {
  skies: SceneWord[];
  grounds: SceneWord[];
  tints: Rgb[];
  deltas: LookDelta[];
  hazeColours: Rgb[];
}

/** What the lexicon makes of the words. Synonyms count once: "bright sunny noon" is as bright as "bright". */
function read(words: readonly string[]): Reading {
  const reading: Reading = { skies: [], grounds: [], tints: [], deltas: [], hazeColours: [] };
  const seen = new Set<object>();
  const once = <T extends object>(entry: T | undefined): T | undefined => {
    if (entry === undefined || seen.has(entry)) return undefined;
    seen.add(entry);
    return entry;
  };
  for (const word of words) {
    const scene = once(lookUp(SCENE_WORDS, word));
    if (scene) {
      (scene.role === 'sky' ? reading.skies : reading.grounds).push(scene);
      if (scene.look) reading.deltas.push(scene.look);
    }
    const colour = once(lookUp(COLOUR_WORDS, word));
    if (colour) reading.tints.push(colour.tint);
    const mood = once(lookUp(MOOD_WORDS, word));
    if (mood) {
      reading.deltas.push(mood.look);
      if (mood.hazeColour) reading.hazeColours.push(mood.hazeColour);
    }
  }
  return reading;
}

export function embedPrompt(text: string, negative = ''): PromptEmbedding {
  const words = tokenize(text);
  const avoided = read(tokenize(negative));
  const reading = read(words);
  const keep = (scene: SceneWord) => !avoided.skies.includes(scene) && !avoided.grounds.includes(scene);
  const skies = reading.skies.filter(keep);
  const grounds = reading.grounds.filter(keep);

  const hash = hashText([...words].sort().join(' '));
  let sky = averagePalette(skies.map((s) => s.palette)) ?? averagePalette(grounds.map((s) => s.palette));
  let ground = averagePalette(grounds.map((s) => s.palette)) ?? sky;
  const tint = averageColour(reading.tints);
  if (sky === undefined || ground === undefined) {
    sky = ground = tint ? tintPalette(tint) : hashPalette(hash);
  } else if (tint) {
    const amount = Math.min(TINT_MAX, TINT_PER_WORD * reading.tints.length);
    sky = mixPalettes(sky, tintPalette(tint), amount);
    ground = mixPalettes(ground, tintPalette(tint), amount);
  }
  const lights = [...skies, ...grounds].flatMap((s) => (s.light ? [s.light] : []));
  const light = averageColour(lights) ?? sky[4];
  const hazeColour = averageColour(reading.hazeColours) ?? mixColours(sky[3], [0.8, 0.8, 0.82], 0.5);

  const look = { ...DEFAULT_LOOK };
  for (const delta of reading.deltas) addLook(look, delta, 1);
  for (const delta of avoided.deltas) addLook(look, delta, -0.5);
  for (const key of LOOK_KEYS) look[key] = Math.min(LOOK_RANGE[key][1], Math.max(LOOK_RANGE[key][0], look[key]));

  const random = seededRandom(hash ^ 0x5bd1e995);
  const split = skies.length > 0 && grounds.length > 0;
  // The light sits just above the horizon when a sky is named, else high in the frame; its side follows the hash.
  const sunX = (random() * 2 - 1) * 0.8;
  const sunY = split ? HORIZON - 0.2 : -0.45 + 0.2 * random();

  const embedding = new Float32Array(EMBEDDING_SIZE);
  embedding.set(wordVector(words), EMBEDDING_LAYOUT.words[0]);
  embedding.set(sky.flat(), EMBEDDING_LAYOUT.sky[0]);
  embedding.set(ground.flat(), EMBEDDING_LAYOUT.ground[0]);
  embedding.set(light, EMBEDDING_LAYOUT.light[0]);
  embedding.set(hazeColour, EMBEDDING_LAYOUT.hazeColour[0]);
  embedding.set(LOOK_KEYS.map((key) => look[key]), EMBEDDING_LAYOUT.look[0]);
  embedding.set([HORIZON, HORIZON_SOFTNESS], EMBEDDING_LAYOUT.horizon[0]);
  embedding.set([sunX, sunY], EMBEDDING_LAYOUT.sunPosition[0]);
  return embedding;
}

/** (1 − t)·a + t·b: how a prompt schedule moves from one prompt to the next. */
export function mixEmbeddings(a: PromptEmbedding, b: PromptEmbedding, t: number): PromptEmbedding {
  if (t <= 0) return a;
  if (t >= 1) return b;
  return a.map((v, i) => v + (b[i]! - v) * t);
}

/** The look controls stored in an embedding. */
export function lookOf(embedding: PromptEmbedding): Look {
  const [offset] = EMBEDDING_LAYOUT.look;
  return Object.fromEntries(LOOK_KEYS.map((key, i) => [key, embedding[offset + i]!])) as unknown as Look;
}

/** The sum of each word's hashed Gaussian vector, scaled to unit length (zero for no words). */
function wordVector(words: readonly string[]): Float32Array {
  const sum = new Float64Array(WORD_DIMENSIONS);
  for (const word of words) {
    const normal = gaussian(seededRandom(hashText(word)));
    for (let i = 0; i < WORD_DIMENSIONS; i++) sum[i]! += normal();
  }
  const length = Math.hypot(...sum);
  return Float32Array.from(sum, (v) => (length > 0 ? v / length : 0));
}

function addLook(look: Look, delta: LookDelta, weight: number): void {
  for (const key of LOOK_KEYS) look[key] += (delta[key] ?? 0) * weight;
}

function mixColours(a: Rgb, b: Rgb, t: number): Rgb {
  return [a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t, a[2] + (b[2] - a[2]) * t];
}

function averageColour(colours: readonly Rgb[]): Rgb | undefined {
  if (colours.length === 0) return undefined;
  const sum = colours.reduce<[number, number, number]>((acc, c) => [acc[0] + c[0], acc[1] + c[1], acc[2] + c[2]], [0, 0, 0]);
  return [sum[0] / colours.length, sum[1] / colours.length, sum[2] / colours.length];
}

function averagePalette(palettes: readonly Palette[]): Palette | undefined {
  if (palettes.length === 0) return undefined;
  return [0, 1, 2, 3, 4].map((stop) => averageColour(palettes.map((p) => p[stop]!))!) as unknown as Palette;
}

function mixPalettes(a: Palette, b: Palette, t: number): Palette {
  return a.map((colour, stop) => mixColours(colour, b[stop]!, t)) as unknown as Palette;
}

/** Shadow to highlight around one colour. */
function tintPalette(colour: Rgb): Palette {
  const black: Rgb = [0.02, 0.02, 0.03];
  const white: Rgb = [1, 1, 1];
  return [mixColours(black, colour, 0.15), mixColours(black, colour, 0.5), colour, mixColours(colour, white, 0.45), mixColours(colour, white, 0.85)];
}

/** An analogous palette around a hue drawn from the hash: dark and cool-shifted shadows, light and warm-shifted highlights. */
function hashPalette(hash: number): Palette {
  const hue = (hash % 360) / 360;
  const stops: [number, number, number][] = [
    [-0.06, 0.45, 0.08],
    [-0.03, 0.5, 0.24],
    [0, 0.55, 0.46],
    [0.05, 0.6, 0.68],
    [0.1, 0.5, 0.9],
  ];
  return stops.map(([shift, s, l]) => hslToRgb(hue + shift, s, l)) as unknown as Palette;
}

function hslToRgb(h: number, s: number, l: number): Rgb {
  const hue = ((h % 1) + 1) % 1;
  const q = l < 0.5 ? l * (1 + s) : l + s - l * s;
  const p = 2 * l - q;
  const channel = (t: number) => {
    const x = ((t % 1) + 1) % 1;
    if (x < 1 / 6) return p + (q - p) * 6 * x;
    if (x < 1 / 2) return q;
    if (x < 2 / 3) return p + (q - p) * (2 / 3 - x) * 6;
    return p;
  };
  return [channel(hue + 1 / 3), channel(hue), channel(hue - 1 / 3)];
}
