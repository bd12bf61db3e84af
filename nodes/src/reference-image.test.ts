import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BLUE, GREEN, RED, WHITE, colourDistance, pixelAt, quadrants, tempDir, testContext, writeWithFfmpeg, removeTempDirs } from './media/test-support.ts';
import referenceImage from './reference-image.ts';
import { CancelledError, NodeError } from './sdk/define-node.ts';
import type { ResolvedFile } from './sdk/param.ts';

afterAll(removeTempDirs);

let dir: string;
let photo: ResolvedFile;

beforeAll(async () => {
  dir = await tempDir();
  const file = await writeWithFfmpeg(path.join(dir, 'photo.jpg'), { width: 64, height: 32, fps: 1, frames: quadrants(64, 32, [RED, GREEN, BLUE, WHITE]) }, ['-q:v', '2']);
  photo = { path: file, name: 'photo.jpg', sha256: 'unused', bytes: 0 };
});

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
