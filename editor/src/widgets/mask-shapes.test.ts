import { describe, expect, it } from 'vitest';
import { boxFromDrag, maskAt, readMaskKeyframes, setMaskKeyframe } from './mask-shapes.ts';

const a = { time: 0, x: 0.25, y: 0.5, width: 0.2, height: 0.4 };
const b = { time: 2, x: 0.75, y: 0.5, width: 0.4, height: 0.4 };

describe('mask keyframes', () => {
  it('moves the region linearly between keyframes and holds it outside them', () => {
    expect(maskAt([a, b], 1)).toEqual({ time: 1, x: 0.5, y: 0.5, width: 0.30000000000000004, height: 0.4 });
    expect(maskAt([a, b], -1)).toEqual({ ...a, time: -1 });
    expect(maskAt([a, b], 9)).toEqual({ ...b, time: 9 });
    expect(maskAt([], 1)).toBeUndefined();
  });

  it('replaces the keyframe at the same time and keeps the others in time order', () => {
    expect(setMaskKeyframe([a, b], { ...a, time: 1, x: 0.1 }).map((k) => k.time)).toEqual([0, 1, 2]);
    const replaced = setMaskKeyframe([a, b], { ...b, time: 2.02, x: 0.9 });
    expect(replaced).toEqual([a, { ...b, time: 2.02, x: 0.9 }]);
  });

  it('turns a drag in any direction into a centred box inside the frame', () => {
    expect(boxFromDrag({ x: 0.6, y: 0.8 }, { x: 0.2, y: 0.4 })).toEqual({ x: 0.4, y: 0.6000000000000001, width: 0.39999999999999997, height: 0.4 });
    expect(boxFromDrag({ x: -0.5, y: 0.5 }, { x: 0.5, y: 1.5 })).toEqual({ x: 0.25, y: 0.75, width: 0.5, height: 0.5 });
  });

  it('reads only well-formed keyframes', () => {
    expect(readMaskKeyframes([a, { time: 1 }, 'x'])).toEqual([a]);
    expect(readMaskKeyframes('nope')).toEqual([]);
  });
});
