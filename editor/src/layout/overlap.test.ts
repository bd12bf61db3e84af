import { describe, expect, it } from 'vitest';
import { anyOverlap } from './overlap.ts';

describe('anyOverlap', () => {
  it('finds boxes that overlap and lets boxes that only come near pass', () => {
    const a = { x: 0, y: 0, width: 250, height: 300 };
    expect(anyOverlap([a, { x: 0, y: 220, width: 250, height: 200 }])).toBe(true);
    expect(anyOverlap([a, { x: 320, y: 0, width: 250, height: 300 }])).toBe(false);
    expect(anyOverlap([a, { x: 252, y: 0, width: 10, height: 10 }])).toBe(true);
    expect(anyOverlap([a])).toBe(false);
  });
});
