import { describe, expect, it } from 'vitest';
import cameraMove, { MAX_CAMERA_KEYFRAMES } from './camera-move.ts';
import type { CameraKeyframe } from './sdk/values.ts';
import { testContext } from './testing/node-test-kit.ts';

const ctx = testContext({ nodeId: 'camera-1', dataDir: '/tmp/reelgraph-test', pipeline: {} });

const checkKeyframes = (value: unknown) => cameraMove.params.keyframes.check(value);

function keyframe(overrides: Partial<CameraKeyframe> = {}): CameraKeyframe {
  return { time: 0, zoom: 1, x: 0, y: 0, roll: 0, ...overrides };
}

describe('camera-move node', () => {
  it('is a Camera node with a CAMERA output and the documented defaults', () => {
    expect(cameraMove.type).toBe('camera-move');
    expect(cameraMove.category).toBe('Camera');
    expect(cameraMove.outputs.camera.type).toBe('CAMERA');
    const { preset, framing, intensity, easing, seed, keyframes } = cameraMove.params;
    expect([preset.default, framing.default, intensity.default, easing.default, seed.default]).toEqual([
      'push-in',
      'medium',
      0.5,
      'ease-in-out',
      0,
    ]);
    expect(keyframes.default).toEqual([]);
    expect(keyframes.widget).toBe('camera-keyframes');
    expect(intensity.check(1.5)).toMatch(/between 0 and 1/);
    expect(preset.check('zoom-in')).toMatch(/must be one of/);
  });

  it('runs into a camera value carrying its params', async () => {
    const keyframes = [keyframe(), keyframe({ time: 1, zoom: 2 })];
    const { camera } = await cameraMove.run({
      inputs: {},
      params: { preset: 'orbit-left', framing: 'wide', intensity: 0.8, easing: 'linear', seed: 17, keyframes },
      ctx,
    });
    expect(camera).toEqual({
      kind: 'camera',
      preset: 'orbit-left',
      framing: 'wide',
      intensity: 0.8,
      easing: 'linear',
      seed: 17,
      keyframes,
    });
    expect(camera.keyframes).not.toBe(keyframes);
  });
});

describe('camera-move keyframes check', () => {
  it('accepts an empty list and a well-formed path', () => {
    expect(checkKeyframes([])).toBeUndefined();
    expect(
      checkKeyframes([keyframe(), keyframe({ time: 1.5, zoom: 10, x: -5, y: 5, roll: 180 }), keyframe({ time: 2, zoom: 0.11, roll: -180 })]),
    ).toBeUndefined();
  });

  it('needs a list', () => {
    expect(checkKeyframes({ time: 0 })).toMatch(/^must be a list of keyframes/);
  });

  it('names the keyframe that is not an object of numbers', () => {
    expect(checkKeyframes([keyframe(), 'oops'])).toBe('keyframe 2 must be an object with time, zoom, x, y, roll');
    expect(checkKeyframes([keyframe({ zoom: '2' as unknown as number })])).toBe('keyframe 1 has zoom "2"; it must be a finite number');
    expect(checkKeyframes([keyframe({ x: Number.NaN })])).toBe('keyframe 1 has x NaN; it must be a finite number');
    const { roll: _roll, ...missingRoll } = keyframe();
    expect(checkKeyframes([missingRoll])).toBe('keyframe 1 is missing roll');
    expect(checkKeyframes([{ ...keyframe(), fov: 40 }])).toBe(
      'keyframe 1 has an unknown field "fov"; a keyframe has time, zoom, x, y, roll',
    );
  });

  it('requires times from 0 that strictly ascend', () => {
    expect(checkKeyframes([keyframe({ time: -1 })])).toBe('keyframe 1 is at -1s; times start at 0');
    expect(checkKeyframes([keyframe(), keyframe({ time: 2 }), keyframe({ time: 2 })])).toBe(
      'keyframe 3 is at 2s, not after keyframe 2 at 2s; order keyframes by time, each later than the one before',
    );
    expect(checkKeyframes([keyframe({ time: 3 }), 'oops', keyframe({ time: 1 })])).toMatch(
      /keyframe 3 is at 1s, not after keyframe 1 at 3s/,
    );
  });

  it('bounds zoom, position and roll, naming the keyframe', () => {
    expect(checkKeyframes([keyframe(), keyframe({ time: 1, zoom: 0.1 })])).toBe(
      'keyframe 2 has zoom 0.1; use more than 0.1 and at most 10 (1 shows the whole picture)',
    );
    expect(checkKeyframes([keyframe({ zoom: 10.5 })])).toMatch(/^keyframe 1 has zoom 10.5/);
    expect(checkKeyframes([keyframe({ x: 5.1 })])).toBe('keyframe 1 has x 5.1; keep it between -5 and 5 frame widths');
    expect(checkKeyframes([keyframe({ y: -6 })])).toBe('keyframe 1 has y -6; keep it between -5 and 5 frame heights');
    expect(checkKeyframes([keyframe({ roll: 181 })])).toBe('keyframe 1 has roll 181°; keep it between -180 and 180 degrees');
  });

  it('reports several problems together, and says how many more there are', () => {
    const message = checkKeyframes([keyframe({ zoom: 0 }), keyframe({ time: 1, x: 9 })]);
    expect(message).toBe(
      'keyframe 1 has zoom 0; use more than 0.1 and at most 10 (1 shows the whole picture); keyframe 2 has x 9; keep it between -5 and 5 frame widths',
    );
    const many = checkKeyframes(Array.from({ length: 8 }, (_, index) => keyframe({ time: index, roll: 200 })));
    expect(many).toMatch(/keyframe 5 has roll 200°.*; and 3 more$/);
    expect(many).not.toMatch(/keyframe 6/);
  });

  it(`allows at most ${MAX_CAMERA_KEYFRAMES} keyframes`, () => {
    const path = (count: number) => Array.from({ length: count }, (_, index) => keyframe({ time: index }));
    expect(checkKeyframes(path(MAX_CAMERA_KEYFRAMES))).toBeUndefined();
    expect(checkKeyframes(path(MAX_CAMERA_KEYFRAMES + 1))).toBe(`has 65 keyframes; the limit is 64: remove some`);
  });
});
