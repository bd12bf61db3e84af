import { describe, expect, it } from 'vitest';
import { shapeMasks } from './shape-masks.ts';

const W = 64;
const H = 48;
const at = (data: Uint8Array, x: number, y: number, frame = 0) => data[(frame * H + y) * W + x]!;
const coverage = (data: Uint8Array, frame = 0) => data.subarray(frame * W * H, (frame + 1) * W * H).reduce((sum, v) => sum + v, 0) / 255;

describe('shapeMasks', () => {
  it('fills a rectangle exactly when its edges lie on pixel boundaries', async () => {
    const mask = await shapeMasks(W, H, 'rectangle', [{ x: 20, y: 16, width: 20, height: 12 }]);
    expect(mask).toMatchObject({ width: W, height: H, frameCount: 1 });
    // Columns 10..29, rows 10..21: fully inside; the neighbours outside.
    expect(at(mask.data, 10, 10)).toBe(255);
    expect(at(mask.data, 29, 21)).toBe(255);
    expect(at(mask.data, 9, 15)).toBe(0);
    expect(at(mask.data, 30, 15)).toBe(0);
    expect(at(mask.data, 15, 22)).toBe(0);
    expect(coverage(mask.data)).toBeCloseTo(20 * 12, 0);
  });

  it('covers an ellipse’s area and antialiases its edge', async () => {
    const mask = await shapeMasks(W, H, 'ellipse', [{ x: 32, y: 24, width: 40, height: 30 }]);
    expect(coverage(mask.data)).toBeCloseTo((Math.PI * 20 * 15), -1);
    expect(at(mask.data, 32, 24)).toBe(255);
    expect(at(mask.data, 2, 2)).toBe(0);
    const partial = [...mask.data].filter((v) => v > 0 && v < 255).length;
    expect(partial).toBeGreaterThan(20);
  });

  it('feathers across `feather` pixels centred on the outline', async () => {
    const mask = await shapeMasks(W, H, 'rectangle', [{ x: 32, y: 24, width: 32, height: 48 }], { feather: 8 });
    // The left edge is at x = 16: a linear ramp from 4 px inside to 4 px outside.
    const row = Array.from({ length: 12 }, (_, i) => at(mask.data, 10 + i, 24));
    expect(row[0]).toBe(0); // x = 10, 6 px out
    expect(row.at(-1)).toBe(255); // x = 21, 5.5 px in
    for (let i = 1; i < row.length; i++) expect(row[i]!).toBeGreaterThanOrEqual(row[i - 1]!);
    expect(at(mask.data, 15, 24)).toBe(Math.round(255 * (0.5 - 0.5 / 8))); // centre 15.5: 0.5 px out
  });

  it('inverts, and gives each frame its own box', async () => {
    const boxes = [
      { x: 16, y: 24, width: 16, height: 16 },
      { x: 48, y: 24, width: 16, height: 16 },
    ];
    const mask = await shapeMasks(W, H, 'rectangle', boxes, { invert: true });
    expect(mask.frameCount).toBe(2);
    expect(at(mask.data, 16, 24, 0)).toBe(0);
    expect(at(mask.data, 48, 24, 0)).toBe(255);
    expect(at(mask.data, 16, 24, 1)).toBe(255);
    expect(at(mask.data, 48, 24, 1)).toBe(0);
  });

  it('refuses bad sizes, boxes and feathers', async () => {
    await expect(shapeMasks(0, 4, 'ellipse', [])).rejects.toThrow(RangeError);
    await expect(shapeMasks(4, 4, 'ellipse', [{ x: 1, y: 1, width: -1, height: 1 }])).rejects.toThrow(/sizes of 0 or more/);
    await expect(shapeMasks(4, 4, 'ellipse', [], { feather: -2 })).rejects.toThrow(/feather/);
  });
});
