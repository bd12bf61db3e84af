import { describe, expect, it } from 'vitest';
import { DEFAULT_LOOK, SCENE_WORDS } from './lexicon.ts';
import { EMBEDDING_LAYOUT, EMBEDDING_SIZE, embedPrompt, lookOf, mixEmbeddings, tokenize, WORD_DIMENSIONS } from './prompt-embedding.ts';

const slice = (e: Float32Array, [offset, length]: readonly [number, number]) => [...e.subarray(offset, offset + length)];
const words = (e: Float32Array) => slice(e, EMBEDDING_LAYOUT.words);
/** Mean colour of a five-stop palette stored at `layout`. */
function paletteMean(e: Float32Array, layout: readonly [number, number]): [number, number, number] {
  const stops = slice(e, layout);
  const mean = [0, 1, 2].map((c) => (stops[c]! + stops[3 + c]! + stops[6 + c]! + stops[9 + c]! + stops[12 + c]!) / 5);
  return mean as [number, number, number];
}

describe('tokenize', () => {
  it('lower-cases, splits on anything but letters and digits, and drops stop words', () => {
    expect(tokenize('A Sunset over the OCEAN, 35mm!')).toEqual(['sunset', 'ocean', '35mm']);
    expect(tokenize('black and white street')).toEqual(['monochrome', 'street']);
  });
});

describe('embedPrompt', () => {
  it('has a fixed size and is the same for the same words, in any order and with any stop words', () => {
    const a = embedPrompt('sunset over the ocean');
    expect(a.length).toBe(EMBEDDING_SIZE);
    expect(embedPrompt('sunset over the ocean')).toEqual(a);
    expect(embedPrompt('the ocean, sunset')).toEqual(a);
  });

  it('hashes every word into a unit word vector, so unknown words still change it', () => {
    const paris = words(embedPrompt('dinosaurs in Paris'));
    const rome = words(embedPrompt('dinosaurs in Rome'));
    expect(paris).toHaveLength(WORD_DIMENSIONS);
    expect(Math.hypot(...paris)).toBeCloseTo(1, 5);
    // Two unit vectors sharing one of two words: far from equal, far from opposite.
    const cosine = paris.reduce((sum, v, i) => sum + v * rome[i]!, 0);
    expect(cosine).toBeGreaterThan(0.1);
    expect(cosine).toBeLessThan(0.95);
    expect(words(embedPrompt(''))).toEqual(new Array(WORD_DIMENSIONS).fill(0));
  });

  it('takes the palette from scene words: warm for a sunset, blue for the ocean, green for a forest', () => {
    const [sr, , sb] = paletteMean(embedPrompt('sunset'), EMBEDDING_LAYOUT.sky);
    const [or, , ob] = paletteMean(embedPrompt('ocean'), EMBEDDING_LAYOUT.sky);
    const [fr, fg, fb] = paletteMean(embedPrompt('forest'), EMBEDDING_LAYOUT.sky);
    expect(sr).toBeGreaterThan(sb);
    expect(ob).toBeGreaterThan(or);
    expect(fg).toBeGreaterThan(Math.max(fr, fb));
  });

  it('puts a sky word above the horizon and a ground word below it', () => {
    const e = embedPrompt('sunset over the ocean');
    expect(slice(e, EMBEDDING_LAYOUT.sky)).toEqual(slice(embedPrompt('sunset'), EMBEDDING_LAYOUT.sky));
    expect(slice(e, EMBEDDING_LAYOUT.ground)).toEqual(slice(embedPrompt('ocean'), EMBEDDING_LAYOUT.ground));
    // One scene word colours both halves.
    const ocean = embedPrompt('ocean');
    expect(slice(ocean, EMBEDDING_LAYOUT.sky)).toEqual(slice(ocean, EMBEDDING_LAYOUT.ground));
  });

  it('finds plurals through their singular', () => {
    expect(slice(embedPrompt('waves'), EMBEDDING_LAYOUT.sky)).toEqual(slice(embedPrompt('wave'), EMBEDDING_LAYOUT.sky));
    expect(SCENE_WORDS.wave).toBe(SCENE_WORDS.ocean);
  });

  it('tints scene palettes with colour words, and builds one from a colour word alone', () => {
    const [fr] = paletteMean(embedPrompt('forest'), EMBEDDING_LAYOUT.ground);
    const [rr] = paletteMean(embedPrompt('red forest'), EMBEDDING_LAYOUT.ground);
    expect(rr).toBeGreaterThan(fr + 0.1);
    const [br, , bb] = paletteMean(embedPrompt('blue'), EMBEDDING_LAYOUT.sky);
    expect(bb).toBeGreaterThan(br + 0.2);
  });

  it('gives a prompt without lexicon words a palette of its own, from its hash', () => {
    const a = slice(embedPrompt('dinosaurs in Paris'), EMBEDDING_LAYOUT.sky);
    const b = slice(embedPrompt('a quiet library'), EMBEDDING_LAYOUT.sky);
    expect(a).not.toEqual(b);
  });

  it('adds up light and mood words and clamps them', () => {
    expect(lookOf(embedPrompt('a dinosaur')).haze).toBeCloseTo(DEFAULT_LOOK.haze, 5);
    expect(lookOf(embedPrompt('misty')).haze).toBeGreaterThan(DEFAULT_LOOK.haze);
    expect(lookOf(embedPrompt('dark')).exposure).toBeLessThan(DEFAULT_LOOK.exposure);
    expect(lookOf(embedPrompt('calm')).motion).toBeLessThan(DEFAULT_LOOK.motion);
    // Synonyms count once; different darkening words add up, down to the bound.
    expect(lookOf(embedPrompt('dark dim gloomy')).exposure).toBeCloseTo(lookOf(embedPrompt('dark')).exposure, 5);
    expect(lookOf(embedPrompt('dark mysterious night')).exposure).toBeCloseTo(0.45, 5);
  });

  it('reverses light and mood words of the negative prompt at half strength, and drops the scenes it names', () => {
    const plain = lookOf(embedPrompt('forest'));
    const notDark = lookOf(embedPrompt('forest', 'dark'));
    expect(notDark.exposure).toBeCloseTo(plain.exposure + 0.15, 5);
    const e = embedPrompt('sunset over the ocean', 'ocean');
    expect(slice(e, EMBEDDING_LAYOUT.ground)).toEqual(slice(embedPrompt('sunset'), EMBEDDING_LAYOUT.ground));
  });
});

describe('mixEmbeddings', () => {
  it('runs linearly from one embedding to the other', () => {
    const a = embedPrompt('sunset');
    const b = embedPrompt('ocean');
    expect(mixEmbeddings(a, b, 0)).toEqual(a);
    expect(mixEmbeddings(a, b, 1)).toEqual(b);
    const half = mixEmbeddings(a, b, 0.5);
    half.forEach((v, i) => expect(v).toBeCloseTo((a[i]! + b[i]!) / 2, 6));
  });
});
