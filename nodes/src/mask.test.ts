import { describe, expect, it } from 'vitest';
import mask from './mask.ts';
import { checkMaskKeyframes, maskBoxes, maskKeyframeAt, type MaskKeyframe } from './mask/mask-keyframes.ts';
import { allFrames, solidVideo, testContext } from './testing/node-test-kit.ts';
import type { MaskValue, VideoValue } from './sdk/values.ts';

type Params = Parameters<typeof mask.run>[0]['params'];
const defaults: Params = {
  shape: 'rectangle',
  region: [{ time: 0, x: 0.5, y: 0.5, width: 0.5, height: 0.5 }],
  feather: 0,
  invert: false,
  width: 40,
  height: 20,
  fps: 10,
  duration: 1,
};
const run = (params: Partial<Params> = {}, video?: VideoValue) => mask.run({ inputs: { video }, params: { ...defaults, ...params }, ctx: testContext() });
/** Reads a mask's frames once; the returned function gives the coverage at x, y of a frame. */
async function valuesOf(m: MaskValue): Promise<(x: number, y: number, frame?: number) => number> {
  const data = await allFrames(m);
  return (x, y, frame = 0) => data[(frame * m.height + y) * m.width + x]!;
}

describe('mask node', () => {
  it('declares an optional video input, a MASK output and keyframed region params', () => {
    expect(mask).toMatchObject({ type: 'mask', category: 'Edit', device: 'cpu' });
    expect(mask.inputs.video.optional).toBe(true);
    expect(mask.outputs.mask.type).toBe('MASK');
    expect(mask.params.region).toMatchObject({ kind: 'json', widget: 'mask-keyframes' });
  });

  it('draws a static region as one frame that stands for all', async () => {
    const { mask: out } = await run();
    expect(out).toMatchObject({ kind: 'mask', width: 40, height: 20, frameCount: 1 });
    const value = await valuesOf(out);
    // Centre 20,10 with size 20×10: columns 10..29, rows 5..14.
    expect(value(10, 5)).toBe(255);
    expect(value(9, 5)).toBe(0);
    expect(value(20, 15)).toBe(0);
  });

  it('moves along keyframes, one frame per video frame', async () => {
    const region: MaskKeyframe[] = [
      { time: 0, x: 0.25, y: 0.5, width: 0.2, height: 0.4 },
      { time: 0.9, x: 0.75, y: 0.5, width: 0.2, height: 0.4 },
    ];
    const { mask: out } = await run({ region });
    expect(out.frameCount).toBe(10);
    const value = await valuesOf(out);
    expect(value(10, 10, 0)).toBe(255);
    expect(value(30, 10, 0)).toBe(0);
    expect(value(10, 10, 9)).toBe(0);
    expect(value(30, 10, 9)).toBe(255);
  });

  it('takes the size, rate and length of a wired video', async () => {
    const region: MaskKeyframe[] = [
      { time: 0, x: 0.5, y: 0.5, width: 0.5, height: 0.5 },
      { time: 1, x: 0.5, y: 0.5, width: 1, height: 1 },
    ];
    const { mask: out } = await run({ region }, solidVideo(16, 12, 5, 7, [0, 0, 0]));
    expect(out).toMatchObject({ width: 16, height: 12, frameCount: 7 });
  });

  it('inverts and feathers', async () => {
    const { mask: out } = await run({ invert: true, feather: 6 });
    const value = await valuesOf(out);
    expect(value(20, 10)).toBe(0);
    expect(value(0, 0)).toBe(255);
    const edge = value(10, 10);
    expect(edge).toBeGreaterThan(0);
    expect(edge).toBeLessThan(255);
  });
});

describe('mask keyframes', () => {
  it('accepts a good list and explains what is wrong with a bad one', () => {
    expect(checkMaskKeyframes([{ time: 0, x: 0.5, y: 0.5, width: 0.4, height: 0.5 }])).toBeUndefined();
    expect(checkMaskKeyframes([])).toMatch(/at least one keyframe/);
    expect(checkMaskKeyframes([{ time: 0, x: 0.5, y: 0.5, width: 0.4 }])).toMatch(/keyframe 1 needs height/);
    expect(checkMaskKeyframes([{ time: 0, x: 0.5, y: 0.5, width: 0.4, height: 0.5, size: 3 }])).toMatch(/unknown field "size"/);
    expect(
      checkMaskKeyframes([
        { time: 1, x: 0.5, y: 0.5, width: 0.4, height: 0.5 },
        { time: 1, x: 0.5, y: 0.5, width: 0.4, height: 0.5 },
      ]),
    ).toMatch(/keyframe 2 is at 1s, not after keyframe 1/);
    expect(checkMaskKeyframes([{ time: 0, x: 9, y: 0.5, width: 0.4, height: 0.5 }])).toMatch(/centre/);
    expect(checkMaskKeyframes([{ time: 0, x: 0.5, y: 0.5, width: -1, height: 0.5 }])).toMatch(/fractions of the frame/);
  });

  it('holds the ends and interpolates linearly between keyframes', () => {
    const keyframes: MaskKeyframe[] = [
      { time: 1, x: 0, y: 0, width: 0.2, height: 0.2 },
      { time: 3, x: 1, y: 0.5, width: 0.6, height: 0.2 },
    ];
    expect(maskKeyframeAt(keyframes, 0)).toMatchObject({ x: 0, width: 0.2 });
    expect(maskKeyframeAt(keyframes, 2)).toMatchObject({ x: 0.5, y: 0.25, width: 0.4 });
    expect(maskKeyframeAt(keyframes, 5)).toMatchObject({ x: 1, width: 0.6 });
    expect(maskBoxes(keyframes, { width: 100, height: 50, fps: 1, frameCount: 4 })[2]).toEqual({ x: 50, y: 12.5, width: 40, height: 10 });
  });
});
