import { describe, expect, it } from 'vitest';
import { decodeImage } from './decode.ts';
import { encodeImage, fitWithin } from './encode-image.ts';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';

function halves(width: number, height: number) {
  const pixels = new Uint8Array(width * height * 3);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) pixels.set(x < width / 2 ? [220, 30, 30] : [30, 30, 220], (y * width + x) * 3);
  }
  return { kind: 'image' as const, width, height, pixels };
}

describe('encodeImage', () => {
  it('writes a PNG and a JPEG scaled into the box that decode back to the picture', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'reelgraph-img-'));
    try {
      for (const format of ['png', 'jpeg'] as const) {
        const bytes = await encodeImage(halves(320, 180), { format, maxWidth: 160 });
        const signature = format === 'png' ? '89504e47' : 'ffd8ff';
        expect(bytes.subarray(0, signature.length / 2).toString('hex')).toBe(signature);
        const file = path.join(dir, `p.${format}`);
        await writeFile(file, bytes);
        const back = await decodeImage(file);
        expect([back.width, back.height]).toEqual([160, 90]);
        const at = (x: number) => [...back.pixels.subarray((45 * 160 + x) * 3, (45 * 160 + x) * 3 + 3)];
        expect(at(20)[0]).toBeGreaterThan(180);
        expect(at(140)[2]).toBeGreaterThan(180);
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('never scales up and keeps sizes even when it scales', () => {
    expect(fitWithin(100, 50, 400, 400)).toEqual({ width: 100, height: 50 });
    expect(fitWithin(1280, 720, 256, 256)).toEqual({ width: 256, height: 144 });
    expect(fitWithin(1001, 1001, 99, 99)).toEqual({ width: 98, height: 98 });
  });
});
