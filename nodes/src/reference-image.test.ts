import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BLUE, GREEN, RED, WHITE, colourDistance, fill, pixelAt, quadrants, tempDir, testContext, writeWithFfmpeg, removeTempDirs } from './testing/node-test-kit.ts';
import referenceImage from './reference-image.ts';
import { CancelledError, NodeError } from './sdk/define-node.ts';
import type { ResolvedFile } from './sdk/param.ts';

afterAll(removeTempDirs);

let dir: string;
let photo: ResolvedFile;
/** 40×20 PNG (lossless): red | green over blue | white. */
let quads: ResolvedFile;

beforeAll(async () => {
  dir = await tempDir();
  const file = await writeWithFfmpeg(path.join(dir, 'photo.jpg'), { width: 64, height: 32, fps: 1, frames: quadrants(64, 32, [RED, GREEN, BLUE, WHITE]) }, ['-q:v', '2']);
  photo = { path: file, name: 'photo.jpg', sha256: 'unused', bytes: 0 };
  const png = await writeWithFfmpeg(path.join(dir, 'quads.png'), { width: 40, height: 20, fps: 1, frames: quadrants(40, 20, [RED, GREEN, BLUE, WHITE]) });
  quads = { path: png, name: 'quads.png', sha256: 'unused', bytes: 0 };
});

/** Within a bicubic filter's ringing of a sharp edge's neighbourhood, away from the edges themselves. */
const NEAR = 8;

const run = (image: ResolvedFile, params: Partial<{ width: number; height: number; fit: 'cover' | 'contain' | 'stretch' }> = {}, ctx = testContext()) =>
  referenceImage.run({ inputs: {}, params: { image, width: 512, height: 288, fit: 'cover', ...params }, ctx });

describe('reference-image node', () => {
  it('declares its params with the documented defaults and an IMAGE output', () => {
    expect(referenceImage).toMatchObject({ type: 'reference-image', category: 'Input', device: 'cpu' });
    expect(referenceImage.params.width).toMatchObject({ default: 512, min: 16, max: 4096 });
    expect(referenceImage.params.height).toMatchObject({ default: 288, min: 16, max: 4096 });
    expect(referenceImage.params.fit).toMatchObject({ default: 'cover', options: ['cover', 'contain', 'stretch'] });
    expect(referenceImage.params.image).toMatchObject({ kind: 'file', accept: ['image'] });
    expect(referenceImage.outputs.image.type).toBe('IMAGE');
  });

  it('outputs the picture at the requested size and fit', async () => {
    const ctx = testContext();
    const { image } = await run(photo, { width: 64, height: 64, fit: 'contain' }, ctx);
    expect([image.kind, image.width, image.height]).toEqual(['image', 64, 64]);
    expect(Math.max(...pixelAt(image, 32, 4))).toBe(0);
    expect(colourDistance(pixelAt(image, 8, 24), RED)).toBeLessThan(16);
    expect(colourDistance(pixelAt(image, 56, 40), WHITE)).toBeLessThan(16);
    expect(ctx.reports.at(-1)).toEqual([1, 1]);
  });

  it('cover: fills the size and crops the overflow evenly', async () => {
    const { image } = await run(quads, { width: 20, height: 20, fit: 'cover' });
    // The 40×20 picture keeps its scale; columns 10..29 remain.
    expect(colourDistance(pixelAt(image, 2, 2), RED)).toBeLessThanOrEqual(NEAR);
    expect(colourDistance(pixelAt(image, 17, 2), GREEN)).toBeLessThanOrEqual(NEAR);
    expect(colourDistance(pixelAt(image, 2, 17), BLUE)).toBeLessThanOrEqual(NEAR);
    expect(colourDistance(pixelAt(image, 17, 17), WHITE)).toBeLessThanOrEqual(NEAR);
    // No black bars: every row and column has a bright pixel.
    for (let i = 0; i < 20; i++) {
      expect(Math.max(...pixelAt(image, i, 0), ...pixelAt(image, i, 19), ...pixelAt(image, 0, i), ...pixelAt(image, 19, i))).toBeGreaterThan(200);
    }
  });

  it('stretch: exact size, aspect ignored', async () => {
    const { image } = await run(quads, { width: 16, height: 64, fit: 'stretch' });
    expect([image.width, image.height]).toEqual([16, 64]);
    expect(colourDistance(pixelAt(image, 3, 10), RED)).toBeLessThanOrEqual(NEAR);
    expect(colourDistance(pixelAt(image, 12, 10), GREEN)).toBeLessThanOrEqual(NEAR);
    expect(colourDistance(pixelAt(image, 3, 54), BLUE)).toBeLessThanOrEqual(NEAR);
    expect(colourDistance(pixelAt(image, 12, 54), WHITE)).toBeLessThanOrEqual(NEAR);
  });

  it('shrinks a large photo to the size with an antialiased filter: fine stripes average to grey', async () => {
    const stripes = await writeWithFfmpeg(path.join(dir, 'stripes.png'), {
      width: 400,
      height: 200,
      fps: 1,
      frames: fill(400, 200, 1, (_f, x) => (x % 2 === 0 ? WHITE : [0, 0, 0])),
    });
    const { image } = await run({ path: stripes, name: 'stripes.png', sha256: '', bytes: 0 }, { width: 40, height: 20, fit: 'cover' });
    // One-pixel stripes shrunk 10×: a filter that skipped pixels would alias to white or black bands.
    for (const x of [5, 17, 31]) expect(colourDistance(pixelAt(image, x, 10), [128, 128, 128])).toBeLessThanOrEqual(12);
  });

  it('names the file in a readable error when it is not an image', async () => {
    const bad = path.join(dir, 'notes.png');
    await writeFile(bad, 'not an image');
    const failure = run({ path: bad, name: 'notes.png', sha256: '', bytes: 12 });
    await expect(failure).rejects.toBeInstanceOf(NodeError);
    await expect(failure).rejects.toThrow(/^Could not read the image "notes.png": /);
  });

  it('stops when cancelled', async () => {
    const controller = new AbortController();
    controller.abort();
    await expect(run(photo, {}, testContext({ signal: controller.signal }))).rejects.toBeInstanceOf(CancelledError);
  });
});
