import { describe, expect, it } from 'vitest';
import { PROCEDURAL_MODEL } from '../procedural/procedural-manifest.ts';
import { seededRandom } from '../procedural/seeded-random.ts';
import { openUpscaler } from '../upscaler.ts';
import { ESRGAN_SLIM_MODEL, PSNR_SMALL_MODEL } from './esrgan-manifest.ts';
import { tilesFor } from './tiles.ts';

/** A frame with edges, gradients and grain everywhere, so a seam would show. */
function texture(width: number, height: number): Uint8Array {
  const random = seededRandom(5);
  const out = new Uint8Array(width * height * 3);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const stripe = (Math.floor((x + 2 * y) / 5) % 2) * 90;
      for (let c = 0; c < 3; c++) out[(y * width + x) * 3 + c] = Math.min(255, 30 + stripe + x * (c + 1) + 25 * random());
    }
  }
  return out;
}

describe('tiles', () => {
  it('cover every pixel once, and read context inside the frame', () => {
    const tiles = tilesFor(50, 23, 16, 4);
    const covered = new Uint8Array(50 * 23);
    for (const t of tiles) {
      for (let y = t.y; y < t.y + t.height; y++) for (let x = t.x; x < t.x + t.width; x++) covered[y * 50 + x]!++;
      expect(t.readX).toBe(Math.max(0, t.x - 4));
      expect(t.readX + t.readWidth).toBe(Math.min(50, t.x + t.width + 4));
      expect(t.readY + t.readHeight).toBe(Math.min(23, t.y + t.height + 4));
    }
    expect(covered.every((n) => n === 1)).toBe(true);
    expect(tiles).toHaveLength(4 * 2);
  });
});

describe('ESRGAN slim on frames', () => {
  it('gives the same picture tiled as whole: no seams', async () => {
    const [width, height] = [45, 33];
    const image = { width, height, pixels: texture(width, height) };
    const whole = await (await openUpscaler(ESRGAN_SLIM_MODEL.id, 2, { device: 'cpu', tile: 1000 })).upscale(image);
    const tiled = await (await openUpscaler(ESRGAN_SLIM_MODEL.id, 2, { device: 'cpu', tile: 16 })).upscale(image);
    expect([tiled.width, tiled.height]).toEqual([90, 66]);
    let worst = 0;
    let differing = 0;
    for (let i = 0; i < whole.pixels.length; i++) {
      const d = Math.abs(whole.pixels[i]! - tiled.pixels[i]!);
      worst = Math.max(worst, d);
      if (d > 0) differing++;
    }
    // Float sums in another order may round a level the other way; a seam would be tens of levels along whole rows.
    expect(worst).toBeLessThanOrEqual(1);
    expect(differing / whole.pixels.length).toBeLessThan(0.01);
  });

  it('refuses a scale it does not ship and a model of another family', async () => {
    await expect(openUpscaler(ESRGAN_SLIM_MODEL.id, 5)).rejects.toThrow('ESRGAN slim upscales ×2, ×3, ×4, ×8, not ×5.');
    await expect(openUpscaler(PROCEDURAL_MODEL.id, 2)).rejects.toThrow('is not an upscaling model');
    await expect(openUpscaler('someone/missing', 2)).rejects.toThrow('No model "someone/missing" is installed.');
  });

  it('stops between tiles when cancelled', async () => {
    const upscaler = await openUpscaler(ESRGAN_SLIM_MODEL.id, 2, { device: 'cpu', tile: 8 });
    const controller = new AbortController();
    controller.abort();
    await expect(upscaler.upscale({ width: 20, height: 20, pixels: texture(20, 20) }, controller.signal)).rejects.toThrow();
  });
});

describe('RDN psnr-small on frames', () => {
  /** Whole and tiled, at most a level apart at under 1% of values (float sums in another order). */
  const expectSame = (whole: Uint8Array, tiled: Uint8Array, what: string) => {
    let worst = 0;
    let differing = 0;
    for (let i = 0; i < whole.length; i++) {
      const d = Math.abs(whole[i]! - tiled[i]!);
      worst = Math.max(worst, d);
      if (d > 0) differing++;
    }
    expect(worst, what).toBeLessThanOrEqual(1);
    expect(differing / whole.length, what).toBeLessThan(0.01);
  };

  it('gives the same picture tiled as whole: no seams, with its 38 pixels of context cut by the frame on both sides', async () => {
    // 120 wide in tiles of 32: the middle tiles read 38 pixels either side, inside the frame.
    const image = { width: 120, height: 30, pixels: texture(120, 30) };
    const whole = await (await openUpscaler(PSNR_SMALL_MODEL.id, 2, { device: 'cpu', tile: 1000 })).upscale(image);
    const tiled = await (await openUpscaler(PSNR_SMALL_MODEL.id, 2, { device: 'cpu', tile: 32 })).upscale(image);
    expect([tiled.width, tiled.height]).toEqual([240, 60]);
    expectSame(whole.pixels, tiled.pixels, '×2');
  });

  it('enlarges ×4 as its ×2 network twice, tiled or not', async () => {
    const image = { width: 40, height: 12, pixels: texture(40, 12) };
    const x2 = await openUpscaler(PSNR_SMALL_MODEL.id, 2, { device: 'cpu', tile: 1000 });
    const twice = await x2.upscale(await x2.upscale(image));
    const whole = await (await openUpscaler(PSNR_SMALL_MODEL.id, 4, { device: 'cpu', tile: 1000 })).upscale(image);
    const tiled = await (await openUpscaler(PSNR_SMALL_MODEL.id, 4, { device: 'cpu', tile: 32 })).upscale(image);
    expect([whole.width, whole.height]).toEqual([160, 48]);
    expect(whole.pixels).toEqual(twice.pixels);
    expectSame(whole.pixels, tiled.pixels, '×4');
  });

  it('refuses a scale that is not a power of two', async () => {
    await expect(openUpscaler(PSNR_SMALL_MODEL.id, 3)).rejects.toThrow('RDN psnr-small upscales ×2, ×4, ×8, not ×3.');
  });
});
