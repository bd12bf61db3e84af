import { describe, expect, it } from 'vitest';
import { driftCorrection, durationOf, frameAt, frameTime, heldTime, pastEnd, timelineOf } from './frame-sync.ts';

describe('timeline', () => {
  it('runs as long as the longer video, at the higher frame rate', () => {
    expect(timelineOf({ fps: 12, frameCount: 12 }, { fps: 24, frameCount: 48 })).toEqual({ fps: 24, frameCount: 48 });
    expect(timelineOf({ fps: 12, frameCount: 36 }, { fps: 24, frameCount: 24 })).toEqual({ fps: 24, frameCount: 72 });
  });

  it('takes the length from the frame count, else the duration, and survives missing numbers', () => {
    expect(durationOf({ fps: 10, frameCount: 25, duration: 9 })).toBe(2.5);
    expect(durationOf({ duration: 1.5 })).toBe(1.5);
    expect(timelineOf({ fps: 'x' }, {})).toEqual({ fps: 24, frameCount: 1 });
  });

  it('seeks to the middle of a frame, and reads the frame back from that time', () => {
    const timeline = { fps: 12, frameCount: 24 };
    for (const frame of [0, 1, 11, 23]) expect(frameAt(frameTime(frame, 12), timeline)).toBe(frame);
    expect(frameAt(99, timeline)).toBe(23);
    expect(frameAt(-1, timeline)).toBe(0);
  });
});

describe('the shorter video', () => {
  it('follows the timeline, then holds its last frame past its end', () => {
    expect(heldTime(0.5, 1, 12)).toBe(0.5);
    expect(heldTime(1.7, 1, 12)).toBeCloseTo(1 - 0.5 / 12);
    expect(frameAt(heldTime(1.7, 1, 12), { fps: 12, frameCount: 12 })).toBe(11);
    expect(pastEnd(0.5, 1, 12)).toBe(false);
    expect(pastEnd(0.97, 1, 12)).toBe(true);
  });
});

describe('driftCorrection', () => {
  it('leaves a follower within a quarter frame alone', () => {
    expect(driftCorrection(1, 1.01, 24)).toEqual({ rate: 1 });
  });

  it('nudges the rate of a follower a little off, towards the leader', () => {
    expect(driftCorrection(1, 1 + 1 / 24, 24).rate).toBeLessThan(1);
    expect(driftCorrection(1, 1 - 1 / 24, 24).rate).toBeGreaterThan(1);
  });

  it('seeks a follower more than two frames off onto the leader', () => {
    expect(driftCorrection(1, 1.2, 24)).toEqual({ seekTo: 1, rate: 1 });
    expect(driftCorrection(2, 0, 24)).toEqual({ seekTo: 2, rate: 1 });
  });
});
