import { describe, expect, it } from 'vitest';
import { MAX_DELAY_MS, reconnectDelay } from './reconnect-backoff.ts';

describe('reconnectDelay', () => {
  it('doubles from half a second and stops at the cap', () => {
    const middle = () => 0.5;
    expect([0, 1, 2, 3, 4, 5, 9].map((attempt) => reconnectDelay(attempt, middle))).toEqual([500, 1000, 2000, 4000, 8000, 8000, 8000]);
  });

  it('spreads retries by ±20 %', () => {
    expect(reconnectDelay(4, () => 0)).toBe(MAX_DELAY_MS * 0.8);
    expect(reconnectDelay(4, () => 1)).toBe(MAX_DELAY_MS * 1.2);
  });
});
