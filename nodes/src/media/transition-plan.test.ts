import { describe, expect, it } from 'vitest';
import { crossfadeWeight, fadeHalves, fadeInGain, fadeOutGain, planTransitions } from './transition-plan.ts';

describe('planTransitions', () => {
  it('keeps every frame for a cut', () => {
    expect(planTransitions([30, 20, 10], { transition: 'cut', seconds: 0.5 }, 10)).toEqual({ transitionFrames: [0, 0], totalFrames: 60 });
  });

  it('overlaps clips by the crossfade length', () => {
    expect(planTransitions([30, 20], { transition: 'crossfade', seconds: 0.5 }, 10)).toEqual({ transitionFrames: [5], totalFrames: 45 });
  });

  it('keeps every frame for a fade through black', () => {
    expect(planTransitions([30, 20], { transition: 'fade-black', seconds: 0.5 }, 10)).toEqual({ transitionFrames: [5], totalFrames: 50 });
  });

  it('limits a transition to half of the shorter neighbour', () => {
    expect(planTransitions([30, 6, 40], { transition: 'crossfade', seconds: 2 }, 10)).toEqual({ transitionFrames: [3, 3], totalFrames: 70 });
    expect(planTransitions([1, 40], { transition: 'crossfade', seconds: 2 }, 10).transitionFrames).toEqual([0]);
  });
});

describe('transition weights', () => {
  it('crossfades strictly between the clips, half way in the middle', () => {
    const weights = [0, 1, 2, 3, 4].map((i) => crossfadeWeight(i, 5));
    expect(weights[2]).toBe(0.5);
    expect(Math.min(...weights)).toBeGreaterThan(0);
    expect(Math.max(...weights)).toBeLessThan(1);
  });

  it('fades out to black on the last outgoing frame and in from black', () => {
    expect(fadeHalves(5)).toEqual({ out: 3, in: 2 });
    expect([0, 1, 2].map((i) => fadeOutGain(i, 3))).toEqual([2 / 3, 1 / 3, 0]);
    expect([0, 1].map((i) => fadeInGain(i, 2))).toEqual([0, 0.5]);
  });
});
