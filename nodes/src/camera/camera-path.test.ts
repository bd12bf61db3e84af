import { describe, expect, it } from 'vitest';
import { CAMERA_EASINGS, CAMERA_FRAMINGS, CAMERA_PRESETS, type CameraKeyframe, type CameraValue } from '../sdk/values.ts';
import { type AffineMatrix, type CameraTransform, FRAMING_ZOOM, keyframePoseAt, resolveCameraPath } from './camera-path.ts';
import { ease } from './easing.ts';

function camera(overrides: Partial<CameraValue> = {}): CameraValue {
  return {
    kind: 'camera',
    preset: 'push-in',
    framing: 'medium',
    intensity: 0.5,
    easing: 'ease-in-out',
    seed: 0,
    keyframes: [],
    ...overrides,
  };
}

const SHOTS = [
  { fps: 24, frameCount: 120 },
  { fps: 12, frameCount: 12 },
];

function apply(matrix: AffineMatrix, u: number, v: number): [number, number] {
  const [a, b, c, d, e, f] = matrix;
  return [a * u + b * v + c, d * u + e * v + f];
}

function steps(path: CameraTransform[], read: (transform: CameraTransform) => number): number[] {
  return path.slice(1).map((transform, index) => read(transform) - read(path[index]!));
}

function first(path: CameraTransform[]): CameraTransform {
  return path[0]!;
}

function last(path: CameraTransform[]): CameraTransform {
  return path[path.length - 1]!;
}

describe('resolveCameraPath presets', () => {
  it.each(SHOTS)('push-in zooms in on every frame at $fps fps × $frameCount frames, whatever the easing', (shot) => {
    for (const easing of CAMERA_EASINGS) {
      const path = resolveCameraPath(camera({ preset: 'push-in', easing }), shot);
      expect(path).toHaveLength(shot.frameCount);
      expect(Math.min(...steps(path, (t) => t.zoom))).toBeGreaterThan(0);
    }
  });

  it.each(SHOTS)('pull-out zooms out on every frame at $fps fps × $frameCount frames', (shot) => {
    const path = resolveCameraPath(camera({ preset: 'pull-out' }), shot);
    expect(Math.max(...steps(path, (t) => t.zoom))).toBeLessThan(0);
  });

  it('push-in starts on the framing and pull-out ends on it', () => {
    const shot = { fps: 24, frameCount: 48 };
    for (const framing of CAMERA_FRAMINGS) {
      const pushIn = resolveCameraPath(camera({ preset: 'push-in', framing, intensity: 1 }), shot);
      const pullOut = resolveCameraPath(camera({ preset: 'pull-out', framing, intensity: 1 }), shot);
      expect(first(pushIn).zoom).toBe(FRAMING_ZOOM[framing]);
      expect(last(pushIn).zoom).toBeCloseTo(FRAMING_ZOOM[framing] * 1.6, 12);
      expect(first(pullOut).zoom).toBeCloseTo(FRAMING_ZOOM[framing] * 1.6, 12);
      expect(last(pullOut).zoom).toBe(FRAMING_ZOOM[framing]);
    }
  });

  it('pan-right looks further right on every frame and ends right of centre', () => {
    const path = resolveCameraPath(camera({ preset: 'pan-right' }), { fps: 24, frameCount: 72 });
    expect(Math.min(...steps(path, (t) => t.x))).toBeGreaterThan(0);
    expect(first(path).matrix[2]).toBeLessThan(0);
    expect(last(path).matrix[2]).toBeGreaterThan(0);
    expect(apply(last(path).matrix, 0, 0)[0]).toBeGreaterThan(0);
    expect(path.every((t) => t.y === 0 && t.roll === 0)).toBe(true);
  });

  it('pan-left mirrors pan-right', () => {
    const shot = { fps: 24, frameCount: 72 };
    const left = resolveCameraPath(camera({ preset: 'pan-left' }), shot);
    const right = resolveCameraPath(camera({ preset: 'pan-right' }), shot);
    expect(Math.max(...steps(left, (t) => t.x))).toBeLessThan(0);
    expect(last(left).matrix[2]).toBeLessThan(0);
    left.forEach((transform, index) => expect(transform.x).toBeCloseTo(-right[index]!.x, 12));
  });

  it('pans are centred on the framing', () => {
    const path = resolveCameraPath(camera({ preset: 'pan-right', easing: 'linear' }), { fps: 24, frameCount: 49 });
    expect(path[24]!.x).toBeCloseTo(0, 12);
    expect(last(path).x).toBeCloseTo(0.075, 12);
  });

  it('tilt-up looks higher (y falls) and tilt-down lower (y rises)', () => {
    const shot = { fps: 24, frameCount: 48 };
    const up = resolveCameraPath(camera({ preset: 'tilt-up' }), shot);
    const down = resolveCameraPath(camera({ preset: 'tilt-down' }), shot);
    expect(Math.max(...steps(up, (t) => t.y))).toBeLessThan(0);
    expect(last(up).matrix[5]).toBeLessThan(0);
    expect(Math.min(...steps(down, (t) => t.y))).toBeGreaterThan(0);
    expect(last(down).matrix[5]).toBeGreaterThan(0);
    expect(up.every((t) => t.x === 0)).toBe(true);
  });

  it('a truck travels like a pan but also grows the frame, so the two differ', () => {
    const shot = { fps: 24, frameCount: 48 };
    const truck = resolveCameraPath(camera({ preset: 'truck-right' }), shot);
    const pan = resolveCameraPath(camera({ preset: 'pan-right' }), shot);
    expect(Math.min(...steps(truck, (t) => t.x))).toBeGreaterThan(0);
    expect(Math.min(...steps(truck, (t) => t.zoom))).toBeGreaterThan(0);
    expect(new Set(pan.map((t) => t.zoom)).size).toBe(1);
    const truckLeft = resolveCameraPath(camera({ preset: 'truck-left' }), shot);
    expect(Math.max(...steps(truckLeft, (t) => t.x))).toBeLessThan(0);
  });

  it('an orbit travels sideways along an arc that banks and comes closer in the middle', () => {
    const shot = { fps: 24, frameCount: 49 };
    const right = resolveCameraPath(camera({ preset: 'orbit-right', intensity: 1 }), shot);
    const left = resolveCameraPath(camera({ preset: 'orbit-left', intensity: 1 }), shot);
    const middle = right[24]!;
    expect(Math.min(...steps(right, (t) => t.x))).toBeGreaterThan(0);
    expect(middle.roll).toBeCloseTo(3, 9);
    expect(first(right).roll).toBeCloseTo(0, 9);
    expect(last(right).roll).toBeCloseTo(0, 9);
    expect(middle.zoom).toBeGreaterThan(first(right).zoom * 1.05);
    expect(middle.zoom).toBeGreaterThan(last(right).zoom * 1.05);
    left.forEach((transform, index) => {
      expect(transform.x).toBeCloseTo(-right[index]!.x, 12);
      expect(transform.roll).toBeCloseTo(-right[index]!.roll, 12);
    });
  });

  it('dolly-zoom widens the field slowly and then faster, ending on the framing', () => {
    const path = resolveCameraPath(camera({ preset: 'dolly-zoom', easing: 'linear', intensity: 1 }), { fps: 24, frameCount: 49 });
    const zoomSteps = steps(path, (t) => t.zoom);
    expect(Math.max(...zoomSteps)).toBeLessThan(0);
    expect(Math.abs(zoomSteps[zoomSteps.length - 1]!)).toBeGreaterThan(Math.abs(zoomSteps[0]!) * 1.5);
    expect(last(path).zoom).toBeCloseTo(FRAMING_ZOOM.medium, 12);
    expect(first(path).zoom).toBeCloseTo(FRAMING_ZOOM.medium * 1.5, 12);
  });

  it('static holds the framing zoom with identity-like matrices', () => {
    for (const framing of CAMERA_FRAMINGS) {
      const zoom = FRAMING_ZOOM[framing];
      const path = resolveCameraPath(camera({ preset: 'static', framing, intensity: 1 }), { fps: 24, frameCount: 10 });
      for (const transform of path) {
        expect(transform).toMatchObject({ zoom, x: 0, y: 0, roll: 0 });
        const [a, b, c, d, e, f] = transform.matrix;
        expect([a, e]).toEqual([1 / zoom, 1 / zoom]);
        expect([b, c, d, f].every((entry) => entry === 0)).toBe(true);
      }
    }
    expect(FRAMING_ZOOM.wide).toBe(1);
    expect(FRAMING_ZOOM.medium).toBeLessThan(FRAMING_ZOOM['close-up']);
  });

  it('holds the framing at intensity 0 for every preset', () => {
    for (const preset of CAMERA_PRESETS) {
      const path = resolveCameraPath(camera({ preset, intensity: 0, framing: 'close-up', seed: 7 }), { fps: 24, frameCount: 30 });
      for (const transform of path) {
        expect(transform.zoom, preset).toBeCloseTo(FRAMING_ZOOM['close-up'], 12);
        expect(Math.abs(transform.x) + Math.abs(transform.y) + Math.abs(transform.roll), preset).toBe(0);
      }
    }
  });

  it('never shows beyond the source picture, for any preset at full intensity', () => {
    for (const preset of CAMERA_PRESETS) {
      const path = resolveCameraPath(camera({ preset, intensity: 1, framing: 'wide', seed: 3 }), { fps: 24, frameCount: 96 });
      for (const { matrix } of path) {
        for (const [u, v] of [
          [-1, -1],
          [1, -1],
          [-1, 1],
          [1, 1],
        ] as const) {
          const [srcU, srcV] = apply(matrix, u, v);
          expect(Math.max(Math.abs(srcU), Math.abs(srcV)), preset).toBeLessThanOrEqual(1 + 1e-9);
        }
      }
    }
  });

  it('works for a single frame, which sits at the start of the move', () => {
    const [only, ...rest] = resolveCameraPath(camera({ preset: 'push-in' }), { fps: 24, frameCount: 1 });
    expect(rest).toEqual([]);
    expect(only?.zoom).toBe(FRAMING_ZOOM.medium);
    expect(resolveCameraPath(camera({ preset: 'handheld' }), { fps: 24, frameCount: 1 })).toHaveLength(1);
    expect(resolveCameraPath(camera(), { fps: 24, frameCount: 0 })).toEqual([]);
  });

  it('refuses timings that make no sense', () => {
    expect(() => resolveCameraPath(camera(), { fps: 0, frameCount: 10 })).toThrow(RangeError);
    expect(() => resolveCameraPath(camera(), { fps: Number.NaN, frameCount: 10 })).toThrow(RangeError);
    expect(() => resolveCameraPath(camera(), { fps: 24, frameCount: 2.5 })).toThrow(RangeError);
    expect(() => resolveCameraPath(camera(), { fps: 24, frameCount: -1 })).toThrow(RangeError);
  });
});

describe('resolveCameraPath handheld', () => {
  const shot = { fps: 24, frameCount: 120 };

  it('is the same for the same seed and different for another', () => {
    const once = resolveCameraPath(camera({ preset: 'handheld', seed: 42 }), shot);
    const again = resolveCameraPath(camera({ preset: 'handheld', seed: 42 }), shot);
    const other = resolveCameraPath(camera({ preset: 'handheld', seed: 43 }), shot);
    expect(again).toEqual(once);
    const difference = Math.max(...once.map((transform, index) => Math.abs(transform.x - other[index]!.x)));
    expect(difference).toBeGreaterThan(0.001);
  });

  it('moves smoothly: each frame shifts only a small part of the whole sway', () => {
    const path = resolveCameraPath(camera({ preset: 'handheld', seed: 9, intensity: 1 }), shot);
    for (const read of [(t: CameraTransform) => t.x, (t: CameraTransform) => t.y, (t: CameraTransform) => t.roll]) {
      const values = path.map(read);
      const sway = Math.max(...values) - Math.min(...values);
      const largestStep = Math.max(...steps(path, read).map(Math.abs));
      expect(sway).toBeGreaterThan(0);
      expect(largestStep).toBeLessThan(sway * 0.2);
    }
    expect(Math.max(...steps(path, (t) => t.x).map(Math.abs))).toBeLessThan(0.005);
  });

  it('scales its sway with intensity', () => {
    const sway = (intensity: number) => {
      const xs = resolveCameraPath(camera({ preset: 'handheld', seed: 5, intensity }), shot).map((t) => t.x);
      return Math.max(...xs) - Math.min(...xs);
    };
    expect(sway(1)).toBeCloseTo(sway(0.5) * 2, 12);
    expect(sway(1)).toBeLessThanOrEqual(0.04);
  });

  it('follows time, not frame numbers, so it looks the same at any fps', () => {
    const at24 = resolveCameraPath(camera({ preset: 'handheld', seed: 11 }), { fps: 24, frameCount: 48 });
    const at12 = resolveCameraPath(camera({ preset: 'handheld', seed: 11 }), { fps: 12, frameCount: 24 });
    at12.forEach((transform, index) => {
      expect(transform.x).toBeCloseTo(at24[index * 2]!.x, 12);
      expect(transform.roll).toBeCloseTo(at24[index * 2]!.roll, 12);
    });
  });
});

describe('resolveCameraPath keyframes', () => {
  const keyframes: CameraKeyframe[] = [
    { time: 0, zoom: 1, x: 0, y: 0, roll: 0 },
    { time: 0.5, zoom: 2, x: 0.25, y: -0.1, roll: 10 },
    { time: 2, zoom: 1.5, x: -0.3, y: 0.2, roll: -20 },
  ];
  const pose = ({ zoom, x, y, roll }: CameraKeyframe) => ({ zoom, x, y, roll });

  it('hits each keyframe exactly at its time', () => {
    const path = resolveCameraPath(camera({ keyframes }), { fps: 24, frameCount: 60 });
    expect(path[0]).toMatchObject(pose(keyframes[0]!));
    expect(path[12]).toMatchObject(pose(keyframes[1]!));
    expect(path[48]).toMatchObject(pose(keyframes[2]!));
  });

  it('holds the first pose before the first keyframe and the last after the last', () => {
    const late = keyframes.map((keyframe) => ({ ...keyframe, time: keyframe.time + 1 }));
    const path = resolveCameraPath(camera({ keyframes: late }), { fps: 10, frameCount: 50 });
    for (const transform of path.slice(0, 11)) expect(transform).toMatchObject(pose(late[0]!));
    for (const transform of path.slice(30)) expect(transform).toMatchObject(pose(late[2]!));
  });

  it('ignores the preset and the framing: keyframe zoom is absolute', () => {
    const path = resolveCameraPath(camera({ preset: 'pan-right', framing: 'close-up', keyframes: [keyframes[0]!] }), {
      fps: 24,
      frameCount: 5,
    });
    for (const transform of path) expect(transform).toMatchObject(pose(keyframes[0]!));
  });

  it('eases within each segment and zooms geometrically', () => {
    const pair: CameraKeyframe[] = [
      { time: 0, zoom: 1, x: 0, y: 0, roll: 0 },
      { time: 1, zoom: 4, x: 0.4, y: 0, roll: 0 },
    ];
    expect(keyframePoseAt(pair, 0.5, 'linear').zoom).toBeCloseTo(2, 12);
    expect(keyframePoseAt(pair, 0.5, 'linear').x).toBeCloseTo(0.2, 12);
    expect(keyframePoseAt(pair, 0.5, 'ease-in').x).toBeCloseTo(0.05, 12);
    expect(keyframePoseAt(pair, 0.5, 'ease-out').x).toBeCloseTo(0.35, 12);
    expect(keyframePoseAt([...pair, { time: 3, zoom: 1, x: 0, y: 0, roll: 0 }], 2, 'ease-in').x).toBeCloseTo(0.35, 12);
  });
});

describe('camera matrices', () => {
  function transformFor(keyframe: Omit<CameraKeyframe, 'time'>): CameraTransform {
    return resolveCameraPath(camera({ keyframes: [{ time: 0, ...keyframe }] }), { fps: 24, frameCount: 1 })[0]!;
  }

  it('maps the output centre to the camera position, in normalised units', () => {
    const transform = transformFor({ zoom: 2, x: 0.1, y: -0.2, roll: 0 });
    const [u, v] = apply(transform.matrix, 0, 0);
    expect(u).toBeCloseTo(0.2, 12);
    expect(v).toBeCloseTo(-0.4, 12);
  });

  it('shows 1/zoom of the source around the centre', () => {
    const [u, v] = apply(transformFor({ zoom: 2, x: 0, y: 0, roll: 0 }).matrix, 1, 1);
    expect(u).toBeCloseTo(0.5, 12);
    expect(v).toBeCloseTo(0.5, 12);
  });

  it('rolls clockwise: the right edge of a 90° roll samples straight below the centre', () => {
    const transform = transformFor({ zoom: 2, x: 0.1, y: 0.05, roll: 90 });
    const [rightU, rightV] = apply(transform.matrix, 1, 0);
    expect(rightU).toBeCloseTo(0.2, 12);
    expect(rightV).toBeCloseTo(0.1 + 0.5, 12);
    const [downU, downV] = apply(transform.matrix, 0, 1);
    expect(downU).toBeCloseTo(0.2 - 0.5, 12);
    expect(downV).toBeCloseTo(0.1, 12);
  });

  it('agrees with zoom, x, y and roll on every preset frame', () => {
    const path = resolveCameraPath(camera({ preset: 'orbit-left', intensity: 1 }), { fps: 24, frameCount: 24 });
    for (const { zoom, x, y, roll, matrix } of path) {
      const angle = (roll * Math.PI) / 180;
      const [u, v] = apply(matrix, 0.5, -0.25);
      expect(u).toBeCloseTo(2 * x + (0.5 * Math.cos(angle) + 0.25 * Math.sin(angle)) / zoom, 12);
      expect(v).toBeCloseTo(2 * y + (0.5 * Math.sin(angle) - 0.25 * Math.cos(angle)) / zoom, 12);
    }
  });
});

describe('ease', () => {
  it('fixes both ends and rises strictly in between', () => {
    for (const easing of CAMERA_EASINGS) {
      expect(ease(easing, 0), easing).toBe(0);
      expect(ease(easing, 1), easing).toBe(1);
      const samples = Array.from({ length: 101 }, (_, index) => ease(easing, index / 100));
      samples.slice(1).forEach((value, index) => expect(value, easing).toBeGreaterThan(samples[index]!));
    }
  });

  it('starts slow for ease-in, fast for ease-out, and is symmetric for ease-in-out', () => {
    expect(ease('ease-in', 0.25)).toBeLessThan(0.25);
    expect(ease('ease-out', 0.25)).toBeGreaterThan(0.25);
    expect(ease('ease-in-out', 0.5)).toBe(0.5);
    expect(ease('ease-in-out', 0.2)).toBeCloseTo(1 - ease('ease-in-out', 0.8), 12);
  });
});
