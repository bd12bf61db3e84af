import { describe, expect, it } from 'vitest';
import { IDENTITY_MATRIX, warpFrames, type AffineMatrix } from './warp-frames.ts';
import { makeFrames, maxDifference, pixelAt } from './test-frames.ts';

const W = 16;
const H = 8;
// Linear in x and y, so bilinear sampling reproduces it exactly at any position.
const ramp = (x: number, y: number, n: number) => [10 * x + 5, 20 * y + 10, 50 * n + 7];
const video = makeFrames(W, H, 2, ramp);
const shiftRight: AffineMatrix = [1, 0, 0.5, 0, 1, 0];

describe('warpFrames', () => {
  it('reproduces the input with the identity matrix', async () => {
    const out = await warpFrames(video, [IDENTITY_MATRIX]);
    expect(out).toMatchObject({ width: W, height: H, frameCount: 2 });
    expect(maxDifference(out.frames, video.frames)).toBeLessThanOrEqual(1);
  });

  it('moves content left by a quarter width when srcU is shifted by +0.5', async () => {
    const out = await warpFrames(video, [shiftRight, shiftRight]);
    expect(pixelAt(out, 2, 3)).toEqual(pixelAt(video, 2 + W / 4, 3));
    expect(pixelAt(out, 11, 5, 1)).toEqual(pixelAt(video, 15, 5, 1));
  });

  it('shows the centre half at zoom 2', async () => {
    const out = await warpFrames(video, [[0.5, 0, 0, 0, 0.5, 0]]);
    for (let y = 0; y < H; y++) {
      for (let x = 0; x < W; x++) {
        // output pixel x samples source x/2 + W/4 - 1/4
        const [r, g] = ramp(x / 2 + W / 4 - 0.25, y / 2 + H / 4 - 0.25, 0);
        const [or, og] = pixelAt(out, x, y);
        expect(Math.abs(or! - r!)).toBeLessThanOrEqual(1);
        expect(Math.abs(og! - g!)).toBeLessThanOrEqual(1);
      }
    }
  });

  it('fills what lies outside the source according to the border mode', async () => {
    const [zeros, border, reflection] = await Promise.all(
      (['zeros', 'border', 'reflection'] as const).map((mode) => warpFrames(video, [shiftRight], { border: mode })),
    );
    for (const x of [12, 13, 15]) {
      expect(pixelAt(zeros!, x, 4)).toEqual([0, 0, 0]);
      expect(pixelAt(border!, x, 4)).toEqual(pixelAt(video, W - 1, 4));
      // mirrored about the right edge: source x + 4 beyond 15.5 reads 31 - (x + 4)
      expect(pixelAt(reflection!, x, 4)).toEqual(pixelAt(video, 2 * W - 1 - (x + W / 4), 4));
    }
    // inside the source the modes agree
    expect(pixelAt(zeros!, 5, 4)).toEqual(pixelAt(border!, 5, 4));
  });

  it('applies each frame its own matrix', async () => {
    const out = await warpFrames(video, [IDENTITY_MATRIX, shiftRight]);
    expect(pixelAt(out, 2, 3, 0)).toEqual(pixelAt(video, 2, 3, 0));
    expect(pixelAt(out, 2, 3, 1)).toEqual(pixelAt(video, 6, 3, 1));
  });

  it('gives the same result in chunks of one frame', async () => {
    const whole = await warpFrames(video, [IDENTITY_MATRIX, shiftRight]);
    const chunked = await warpFrames(video, [IDENTITY_MATRIX, shiftRight], { chunkBytes: 1 });
    expect(chunked.frames).toEqual(whole.frames);
  });

  it('stops when its signal is aborted', async () => {
    const controller = new AbortController();
    controller.abort(new Error('cancelled by the user'));
    await expect(warpFrames(video, [IDENTITY_MATRIX], { signal: controller.signal })).rejects.toThrow('cancelled by the user');
  });

  it('refuses a matrix count that does not match the frames', async () => {
    await expect(warpFrames(video, [IDENTITY_MATRIX, IDENTITY_MATRIX, IDENTITY_MATRIX])).rejects.toThrow(/3 matrices for 2 frames/);
  });
});
