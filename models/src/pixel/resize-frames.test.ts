import { describe, expect, it } from 'vitest';
import { planResize, resizeFrames } from './resize-frames.ts';
import { makeFrames, maxDifference, pixelAt } from './test-frames.ts';

const RED = [255, 0, 0];
const GREEN = [0, 255, 0];
const BLUE = [0, 0, 255];
const WHITE = [255, 255, 255];
const BLACK = [0, 0, 0];

// 128×64 in four colour quadrants meeting off-centre at (32, 16), so every fit puts the corner somewhere else.
const quadrants = makeFrames(128, 64, 1, (x, y) => (y < 16 ? (x < 32 ? RED : GREEN) : x < 32 ? BLUE : WHITE));

function expectColour(actual: number[], expected: number[]): void {
  actual.forEach((v, i) => expect(Math.abs(v - expected[i]!)).toBeLessThanOrEqual(1));
}

describe('planResize', () => {
  it('crops the overflow of cover and pads contain, centred', () => {
    expect(planResize(128, 64, 32, 64, 'cover')).toMatchObject({ scaledWidth: 128, scaledHeight: 64, crop: { left: 48, top: 0 } });
    expect(planResize(128, 64, 32, 64, 'contain')).toMatchObject({ scaledWidth: 32, scaledHeight: 16, pad: { left: 0, top: 24, right: 0, bottom: 24 } });
    expect(planResize(100, 50, 33, 20, 'contain').pad).toEqual({ left: 0, top: 1, right: 0, bottom: 2 });
  });
});

describe('resizeFrames', () => {
  it('stretch squeezes the whole frame into the box', async () => {
    const out = await resizeFrames(quadrants, { width: 32, height: 64, fit: 'stretch' });
    expect(out).toMatchObject({ width: 32, height: 64, frameCount: 1 });
    // the corner moves to (8, 16)
    expectColour(pixelAt(out, 1, 5), RED);
    expectColour(pixelAt(out, 20, 5), GREEN);
    expectColour(pixelAt(out, 1, 40), BLUE);
    expectColour(pixelAt(out, 20, 40), WHITE);
  });

  it('cover fills the box and crops the sides', async () => {
    const out = await resizeFrames(quadrants, { width: 32, height: 64, fit: 'cover' });
    // columns 48..79 of the source: all right of the corner
    for (const x of [0, 15, 31]) {
      expectColour(pixelAt(out, x, 5), GREEN);
      expectColour(pixelAt(out, x, 40), WHITE);
    }
  });

  it('contain fits the frame inside and pads with black', async () => {
    const out = await resizeFrames(quadrants, { width: 32, height: 64, fit: 'contain' });
    // a 32×16 picture in rows 24..39, its corner at (8, 28)
    expectColour(pixelAt(out, 16, 10), BLACK);
    expectColour(pixelAt(out, 16, 50), BLACK);
    expectColour(pixelAt(out, 2, 25), RED);
    expectColour(pixelAt(out, 20, 25), GREEN);
    expectColour(pixelAt(out, 2, 33), BLUE);
    expectColour(pixelAt(out, 20, 33), WHITE);
  });

  it('averages fine detail when shrinking instead of aliasing it', async () => {
    const stripes = makeFrames(64, 64, 1, (x) => (x % 2 === 0 ? WHITE : BLACK));
    const out = await resizeFrames(stripes, { width: 16, height: 16 });
    const [r] = pixelAt(out, 8, 8);
    expect(Math.abs(r! - 127.5)).toBeLessThan(3);
  });

  it('leaves frames of the target size unchanged, over several frames', async () => {
    const video = makeFrames(12, 10, 3, (x, y, n) => [x * 20, y * 25, n * 60]);
    const out = await resizeFrames(video, { width: 12, height: 10, fit: 'cover', chunkBytes: 1 });
    expect(maxDifference(out.frames, video.frames)).toBe(0);
  });

  it('upscales a smooth ramp smoothly', async () => {
    const ramp = makeFrames(8, 4, 1, (x) => [x * 30, 0, 0]);
    const out = await resizeFrames(ramp, { width: 16, height: 8 });
    const row = Array.from({ length: 16 }, (_, x) => pixelAt(out, x, 4)[0]!);
    for (let x = 1; x < 16; x++) expect(row[x]!).toBeGreaterThanOrEqual(row[x - 1]!);
    expect(row[0]).toBeLessThanOrEqual(5);
    expect(row[15]).toBeGreaterThanOrEqual(205);
  });
});
