import { seededRandom } from '@reelgraph/models/seeded-random';
import { describe, expect, it } from 'vitest';
import { chunkBytesFor, DamagedChunkError, packPixels, unpackPixels, unUpFilter, upFilter } from './pixel-chunks.ts';

/** Smooth RGB frames, as generated shots are: a gradient that drifts per frame, with a little noise. */
function frames(width: number, height: number, count: number): Uint8Array {
  const next = seededRandom(7);
  const data = new Uint8Array(width * height * 3 * count);
  let i = 0;
  for (let f = 0; f < count; f++)
    for (let y = 0; y < height; y++)
      for (let x = 0; x < width; x++) {
        data[i++] = (x + f) & 0xff;
        data[i++] = (y * 2 + f) & 0xff;
        data[i++] = (x + y + Math.floor(next() * 3)) & 0xff;
      }
  return data;
}

const join = (pieces: Uint8Array[]) => Buffer.concat(pieces);

describe('pixel chunks', () => {
  it('cuts whole frames into chunks of about 4 MiB, one frame when a frame is larger', () => {
    expect(chunkBytesFor(512 * 288 * 3)).toBe(512 * 288 * 3 * 9);
    expect(chunkBytesFor(1920 * 1080 * 3)).toBe(1920 * 1080 * 3);
    expect(chunkBytesFor(0)).toBe(4 * 1024 * 1024);
  });

  it('gives back exactly the pixels, across chunk boundaries, and stores smooth frames in far fewer bytes', async () => {
    const data = frames(96, 54, 10);
    const frameBytes = 96 * 54 * 3;
    const { packed, pieces } = await packPixels(data, 96 * 3, frameBytes * 3);
    expect(packed.chunks.map((c) => c.raw)).toEqual([3, 3, 3, 1].map((n) => n * frameBytes));
    const stored = join(pieces);
    expect(stored.length / data.length).toBeLessThan(0.35);
    expect(await unpackPixels(packed, stored)).toEqual(data);
  });

  it('undoes its filter for any bytes, four at a time or one by one', () => {
    const next = seededRandom(3);
    const raw = Uint8Array.from({ length: 1003 }, () => Math.floor(next() * 256));
    // Rows of 12 bytes take the four-at-a-time path, rows of 9 and an odd offset the other.
    for (const [bytes, rowBytes] of [[raw, 12], [raw, 9], [raw.subarray(1), 12]] as const) {
      const filtered = upFilter(bytes, rowBytes);
      expect(filtered[rowBytes + 2]).toBe((bytes[rowBytes + 2]! - bytes[2]!) & 0xff);
      const back = new Uint8Array(bytes.length);
      unUpFilter(filtered, back, rowBytes);
      expect(back).toEqual(bytes);
    }
  });

  it('names the chunk that a flipped byte damaged, and a truncated entry', async () => {
    const data = frames(32, 32, 6);
    const { packed, pieces } = await packPixels(data, 32 * 3, 32 * 32 * 3 * 2);
    const stored = join(pieces);
    const damaged = Buffer.from(stored);
    const second = packed.chunks[0]!.stored + 5;
    damaged[second] = damaged[second]! ^ 0x40;
    await expect(unpackPixels(packed, damaged)).rejects.toThrow(new DamagedChunkError('chunk 1 fails its checksum'));
    await expect(unpackPixels(packed, stored.subarray(0, stored.length - 1))).rejects.toBeInstanceOf(DamagedChunkError);
  });

  it('packs an empty buffer as no chunks', async () => {
    const { packed, pieces } = await packPixels(new Uint8Array(0), 96, 1024);
    expect(packed.chunks).toEqual([]);
    expect(await unpackPixels(packed, join(pieces))).toEqual(new Uint8Array(0));
  });
});
