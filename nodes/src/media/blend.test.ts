import { describe, expect, it } from 'vitest';
import { mixFrames, scaleFrame } from './blend.ts';

describe('mixFrames', () => {
  const red = Uint8Array.from([255, 0, 0, 255, 0, 0]);
  const blue = Uint8Array.from([0, 0, 255, 0, 0, 255]);

  it('gives either frame at the ends and the rounded average in the middle', () => {
    const out = new Uint8Array(6);
    mixFrames(red, blue, 0, out);
    expect([...out]).toEqual([...red]);
    mixFrames(red, blue, 1, out);
    expect([...out]).toEqual([...blue]);
    mixFrames(red, blue, 0.5, out);
    expect([...out]).toEqual([128, 0, 128, 128, 0, 128]);
  });

  it('weights linearly and may write over an input', () => {
    const a = Uint8Array.from([100, 200, 0]);
    mixFrames(a, Uint8Array.from([200, 0, 40]), 0.25, a);
    expect([...a]).toEqual([125, 150, 10]);
  });

  it('refuses frames of different sizes', () => {
    expect(() => mixFrames(red, blue.subarray(3), 0.5, new Uint8Array(6))).toThrow(RangeError);
  });
});

describe('scaleFrame', () => {
  it('darkens towards black', () => {
    const frame = Uint8Array.from([200, 100, 50]);
    const out = new Uint8Array(3);
    scaleFrame(frame, 0, out);
    expect([...out]).toEqual([0, 0, 0]);
    scaleFrame(frame, 0.5, out);
    expect([...out]).toEqual([100, 50, 25]);
    scaleFrame(frame, 1, out);
    expect([...out]).toEqual([200, 100, 50]);
  });
});
