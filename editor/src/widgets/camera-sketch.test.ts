import { describe, expect, it } from 'vitest';
import { readCameraSettings, sketchPath, sketchSeconds } from './camera-sketch.ts';

describe('camera sketch', () => {
  it('reads the node params, falling back where one is missing or malformed', () => {
    expect(readCameraSettings({ preset: 'pan-left', intensity: 'lots', keyframes: [{ time: 0, zoom: 1, x: 0, y: 0, roll: 0 }, { time: 'x' }] })).toEqual({
      preset: 'pan-left',
      framing: 'wide',
      intensity: 0.5,
      easing: 'linear',
      seed: 0,
      keyframes: [{ time: 0, zoom: 1, x: 0, y: 0, roll: 0 }],
    });
  });

  it('pushes in from the framing by up to 1.6× at full intensity', () => {
    const path = sketchPath(readCameraSettings({ preset: 'push-in', framing: 'wide', intensity: 1, easing: 'linear' }), 11);
    expect(path[0]!.zoom).toBeCloseTo(1);
    expect(path[10]!.zoom).toBeCloseTo(1.6);
    expect(path.every((pose, i) => i === 0 || pose.zoom > path[i - 1]!.zoom)).toBe(true);
  });

  it('zooms a pan in just enough that the view stays on the picture', () => {
    const path = sketchPath(readCameraSettings({ preset: 'pan-right', framing: 'wide', intensity: 1, easing: 'linear' }), 11);
    expect(path[0]!.x).toBeCloseTo(-0.15);
    expect(path[10]!.x).toBeCloseTo(0.15);
    for (const pose of path) expect(2 * Math.abs(pose.x) + 1 / pose.zoom).toBeLessThanOrEqual(1.0000001);
  });

  it('follows keyframes instead of the preset, interpolating zoom geometrically', () => {
    const keyframes = [
      { time: 0, zoom: 1, x: 0, y: 0, roll: 0 },
      { time: 2, zoom: 4, x: 0.2, y: 0, roll: 10 },
    ];
    const settings = readCameraSettings({ preset: 'push-in', keyframes, easing: 'linear' });
    expect(sketchSeconds(settings)).toBe(2);
    const [start, middle, end] = sketchPath(settings, 3);
    expect(start).toEqual({ zoom: 1, x: 0, y: 0, roll: 0 });
    expect(middle!.zoom).toBeCloseTo(2);
    expect(middle!.x).toBeCloseTo(0.1);
    expect(end).toEqual({ zoom: 4, x: 0.2, y: 0, roll: 10 });
  });
});
