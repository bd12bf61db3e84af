import { describe, expect, it } from 'vitest';
import { halfToFloat } from '../ncnn/ncnn-model.ts';
import { toHalves } from './session-io.ts';

describe('float16 for exports that compute in half precision', () => {
  it('rounds to the nearest half, ties to even, with subnormals, overflow and NaN', () => {
    const values = Float32Array.from([0, -0, 1, -2.5, 0.1, 65504, 65520, 1e6, 6.1e-5, 5.96e-8, 2.98e-8, 1 + 2 ** -11, 1 + 3 * 2 ** -11, NaN]);
    const halves = toHalves(values);
    expect(Array.from(halves.subarray(0, 4), halfToFloat)).toEqual([0, -0, 1, -2.5]);
    expect(halfToFloat(halves[4]!)).toBeCloseTo(0.1, 3);
    expect(halfToFloat(halves[5]!)).toBe(65504);
    // 65520 is the first value that rounds past the largest half: infinity, as IEEE rounding gives.
    expect(halfToFloat(halves[6]!)).toBe(Infinity);
    expect(halfToFloat(halves[7]!)).toBe(Infinity);
    expect(halfToFloat(halves[8]!)).toBeCloseTo(6.1e-5, 7);
    expect(halfToFloat(halves[9]!)).toBe(2 ** -24);
    // Exactly half the smallest subnormal ties to even: zero.
    expect(halfToFloat(halves[10]!)).toBe(0);
    expect(halfToFloat(halves[11]!)).toBe(1);
    expect(halfToFloat(halves[12]!)).toBe(1 + 2 ** -9);
    expect(Number.isNaN(halfToFloat(halves[13]!))).toBe(true);
  });

  it('gives back every half exactly', () => {
    const all = Uint16Array.from({ length: 0x7c00 }, (_, i) => i);
    const floats = Float32Array.from(all, halfToFloat);
    expect(toHalves(floats)).toEqual(all);
  });
});
