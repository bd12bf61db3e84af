import { describe, expect, it } from 'vitest';
import { clampWipe, wipeAfterKey, wipeClip, wipeFromPointer } from './wipe-geometry.ts';

describe('wipe geometry', () => {
  it('places the divider under the pointer, kept inside the frame', () => {
    const frame = { left: 100, width: 800 };
    expect(wipeFromPointer(300, frame)).toBe(0.25);
    expect(wipeFromPointer(50, frame)).toBe(0);
    expect(wipeFromPointer(2000, frame)).toBe(1);
    expect(wipeFromPointer(300, { left: 0, width: 0 })).toBe(0.5);
  });

  it('moves by keys as a slider does', () => {
    expect(wipeAfterKey(0.5, 'ArrowRight')).toBe(0.51);
    expect(wipeAfterKey(0.5, 'ArrowLeft', true)).toBe(0.4);
    expect(wipeAfterKey(0.95, 'PageUp')).toBe(1);
    expect(wipeAfterKey(0.3, 'Home')).toBe(0);
    expect(wipeAfterKey(0.3, 'End')).toBe(1);
    expect(wipeAfterKey(0.3, 'a')).toBeUndefined();
  });

  it('does not drift after many small steps', () => {
    let position = 0.5;
    for (let i = 0; i < 30; i++) position = wipeAfterKey(position, 'ArrowRight')!;
    expect(position).toBe(0.8);
  });

  it('clips B to the right of the divider', () => {
    expect(wipeClip(0.25)).toBe('inset(0 0 0 25.00%)');
    expect(wipeClip(7)).toBe('inset(0 0 0 100.00%)');
    expect(clampWipe(Number.NaN)).toBe(0.5);
  });
});
