import { describe, expect, it } from 'vitest';
import { freeSpot, NODE_GAP } from './free-spot.ts';
import { overlap } from './overlap.ts';

const size = { width: 250, height: 200 };

describe('freeSpot', () => {
  it('keeps the spot asked for when it is free', () => {
    expect(freeSpot({ x: 100, y: 50 }, size, [{ x: 400, y: 50, width: 250, height: 300 }])).toEqual({ x: 100, y: 50 });
  });

  it('moves off an occupied spot to the nearest free one, clear of every node', () => {
    const others = [
      { x: 100, y: 50, width: 250, height: 300 },
      { x: 380, y: 50, width: 250, height: 300 },
    ];
    const spot = freeSpot({ x: 110, y: 60 }, size, others);
    expect(others.some((other) => overlap({ ...spot, ...size }, other, NODE_GAP))).toBe(false);
    expect(Math.hypot(spot.x - 110, spot.y - 60)).toBeLessThan(450);
  });

  it('places nodes added one after another on the same spot side by side, none on another', () => {
    const placed: { x: number; y: number; width: number; height: number }[] = [];
    for (let i = 0; i < 6; i++) placed.push({ ...freeSpot({ x: 0, y: 0 }, size, placed), ...size });
    for (let i = 0; i < placed.length; i++) for (let j = i + 1; j < placed.length; j++) expect(overlap(placed[i]!, placed[j]!, NODE_GAP - 1)).toBe(false);
  });
});
