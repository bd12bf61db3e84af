import { describe, expect, it } from 'vitest';
import type { GrayFrames } from '../frames.ts';
import { blendMasked, featherKernel } from './blend-masked.ts';
import { makeFrames, pixelAt } from './test-frames.ts';

const W = 24;
const H = 12;
const a = makeFrames(W, H, 2, (x, y, n) => [x * 10, y * 20, 30 + n]);
const b = makeFrames(W, H, 2, (x, y, n) => [250 - x * 10, 200 - y * 15, 200 + n]);

function makeMask(frameCount: number, inside: (x: number, y: number, n: number) => boolean): GrayFrames {
  const data = new Uint8Array(W * H * frameCount);
  for (let n = 0; n < frameCount; n++) for (let y = 0; y < H; y++) for (let x = 0; x < W; x++) data[(n * H + y) * W + x] = inside(x, y, n) ? 255 : 0;
  return { width: W, height: H, frameCount, data };
}

const inBox = (x: number, y: number) => x >= 6 && x < 14 && y >= 3 && y < 9;

describe('featherKernel', () => {
  it('is normalised and symmetric', () => {
    const k = featherKernel(3);
    expect(k.length).toBe(7);
    expect(k.reduce((s, v) => s + v, 0)).toBeCloseTo(1, 6);
    expect(k[0]).toBeCloseTo(k[6]!, 7);
    expect(k[3]).toBeGreaterThan(k[2]!);
  });
});

describe('blendMasked', () => {
  it('with a hard mask takes b exactly inside and a exactly outside', async () => {
    const out = await blendMasked(a, b, makeMask(1, inBox));
    for (let n = 0; n < 2; n++)
      for (let y = 0; y < H; y++)
        for (let x = 0; x < W; x++) expect(pixelAt(out, x, y, n)).toEqual(pixelAt(inBox(x, y) ? b : a, x, y, n));
  });

  it('follows a mask per frame', async () => {
    const out = await blendMasked(a, b, makeMask(2, (x, _y, n) => (n === 0 ? x < 4 : x >= 20)));
    expect(pixelAt(out, 2, 5, 0)).toEqual(pixelAt(b, 2, 5, 0));
    expect(pixelAt(out, 2, 5, 1)).toEqual(pixelAt(a, 2, 5, 1));
    expect(pixelAt(out, 21, 5, 1)).toEqual(pixelAt(b, 21, 5, 1));
  });

  it('with feather ramps monotonically across the edge', async () => {
    const black = makeFrames(W, H, 1, () => [0, 0, 0]);
    const white = makeFrames(W, H, 1, () => [255, 255, 255]);
    const out = await blendMasked(black, white, makeMask(1, (x) => x < W / 2), { feather: 4 });
    const row = Array.from({ length: W }, (_, x) => pixelAt(out, x, 6)[0]!);
    for (let x = 1; x < W; x++) expect(row[x]!).toBeLessThanOrEqual(row[x - 1]!);
    expect(row[0]).toBe(255);
    expect(row[W - 1]).toBe(0);
    expect(row[W / 2 - 1]).toBeGreaterThan(128);
    expect(row[W / 2 - 1]).toBeLessThan(255);
    expect(row[W / 2]).toBeLessThan(128);
    expect(row[W / 2]).toBeGreaterThan(0);
    // the edge-replicated padding keeps the mask whole along the frame's top and bottom
    expect(pixelAt(out, 2, 0)[0]).toBe(255);
  });

  it('refuses a mask of another size', async () => {
    await expect(blendMasked(a, b, { width: 8, height: 8, frameCount: 1, data: new Uint8Array(64) })).rejects.toThrow(/mask is 8×8/);
  });
});
