import { describe, expect, it } from 'vitest';
import { crossfade } from './crossfade.ts';
import { makeFrames, pixelAt } from './test-frames.ts';

const black = makeFrames(10, 6, 3, () => [0, 0, 0]);
const white = makeFrames(10, 6, 3, () => [255, 255, 255]);

describe('crossfade', () => {
  it('at t = 0.5 of black and white gives mid grey', async () => {
    const out = await crossfade(black, white, [0.5, 0.5, 0.5]);
    for (const v of out.frames) expect(Math.abs(v - 128)).toBeLessThanOrEqual(1);
  });

  it('weights each frame by its own t, clamped to [0, 1]', async () => {
    const a = makeFrames(10, 6, 3, (x, y, n) => [x * 20, y * 30, n * 40]);
    const b = makeFrames(10, 6, 3, (x, y) => [200 - x * 10, 100 + y * 20, 250]);
    const out = await crossfade(a, b, [-1, 0.25, 7]);
    expect(pixelAt(out, 3, 2, 0)).toEqual(pixelAt(a, 3, 2, 0));
    expect(pixelAt(out, 3, 2, 2)).toEqual(pixelAt(b, 3, 2, 2));
    const [ar, ag, ab] = pixelAt(a, 3, 2, 1);
    const [br, bg, bb] = pixelAt(b, 3, 2, 1);
    const mix = (p: number, q: number) => Math.round(p * 0.75 + q * 0.25);
    pixelAt(out, 3, 2, 1).forEach((v, i) => expect(Math.abs(v - mix([ar, ag, ab][i]!, [br, bg, bb][i]!))).toBeLessThanOrEqual(1));
  });

  it('gives the same result in chunks of one frame', async () => {
    const whole = await crossfade(black, white, [0, 0.4, 0.9]);
    const chunked = await crossfade(black, white, [0, 0.4, 0.9], { chunkBytes: 1 });
    expect(chunked.frames).toEqual(whole.frames);
    expect(pixelAt(chunked, 0, 0, 1)).toEqual([102, 102, 102]);
  });

  it('refuses a weight count that does not match the frames', async () => {
    await expect(crossfade(black, white, [0.5])).rejects.toThrow(/1 weights for 3 frames/);
  });
});
