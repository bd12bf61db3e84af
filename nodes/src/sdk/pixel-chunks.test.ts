import { seededRandom } from '@reelgraph/models/seeded-random';
import { describe, expect, it } from 'vitest';
import { crc32 } from '../media/crc32.ts';
import {
  CHUNK_TARGET_BYTES,
  chunkBytesFor,
  chunkFramesFor,
  DamagedChunkError,
  packChunk,
  unpackChunk,
  unUpFilter,
  upFilter,
} from './pixel-chunks.ts';

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

/** A chunk's expectations as an entry records them. */
const expected = (raw: Uint8Array, crc: number, rowBytes: number) => ({ raw: raw.byteLength, crc, rowBytes });

describe('pixel chunks', () => {
  it('cuts whole frames into chunks of about 4 MiB, one frame when a frame is larger', () => {
    expect(CHUNK_TARGET_BYTES).toBe(4 * 1024 * 1024);
    expect(chunkBytesFor(512 * 288 * 3)).toBe(512 * 288 * 3 * 9);
    expect(chunkBytesFor(1920 * 1080 * 3)).toBe(1920 * 1080 * 3);
    expect(chunkBytesFor(0)).toBe(4 * 1024 * 1024);
  });

  it('gives at least one frame per chunk and keeps a chunk as near 4 MiB as whole frames allow', () => {
    expect(chunkFramesFor(512 * 288 * 3)).toBe(9);
    expect(chunkFramesFor(512 * 288)).toBe(28);
    expect(chunkFramesFor(1920 * 1080 * 3)).toBe(1);
    expect(chunkFramesFor(4096 * 4096 * 3)).toBe(1);
    expect(chunkFramesFor(CHUNK_TARGET_BYTES)).toBe(1);
    expect(chunkFramesFor(CHUNK_TARGET_BYTES + 1)).toBe(1);
    expect(chunkFramesFor(1)).toBe(CHUNK_TARGET_BYTES);
    for (const frameBytes of [1, 3, 12, 97 * 3, 640 * 480, 640 * 480 * 3, 1280 * 720 * 3, CHUNK_TARGET_BYTES / 2 + 1, CHUNK_TARGET_BYTES - 1]) {
      const frames = chunkFramesFor(frameBytes);
      expect(Number.isInteger(frames), `${frameBytes}`).toBe(true);
      expect(frames, `${frameBytes}`).toBeGreaterThanOrEqual(1);
      // No more than the target, and one more frame would pass it.
      expect(frames * frameBytes, `${frameBytes}`).toBeLessThanOrEqual(CHUNK_TARGET_BYTES);
      expect((frames + 1) * frameBytes, `${frameBytes}`).toBeGreaterThan(CHUNK_TARGET_BYTES);
      expect(chunkBytesFor(frameBytes)).toBe(frames * frameBytes);
    }
  });

  it('gives back exactly the pixels, chunk by chunk, and stores smooth frames in far fewer bytes', async () => {
    const data = frames(96, 54, 10);
    const frameBytes = 96 * 54 * 3;
    const rowBytes = 96 * 3;
    const raws = [0, 3, 6, 9].map((first) => data.subarray(first * frameBytes, Math.min(10, first + 3) * frameBytes));
    expect(raws.map((raw) => raw.byteLength)).toEqual([3, 3, 3, 1].map((n) => n * frameBytes));
    const packed = await Promise.all(raws.map((raw) => packChunk(raw, rowBytes)));
    for (const [i, { stored, crc }] of packed.entries()) expect(crc, `chunk ${i}`).toBe(crc32(stored));
    const storedBytes = packed.reduce((sum, { stored }) => sum + stored.byteLength, 0);
    expect(storedBytes / data.length).toBeLessThan(0.35);
    const back = await Promise.all(packed.map(({ stored, crc }, i) => unpackChunk(stored, expected(raws[i]!, crc, rowBytes))));
    expect(Buffer.concat(back)).toEqual(Buffer.from(data));
    for (const [i, raw] of raws.entries()) expect(back[i]).toEqual(Uint8Array.from(raw));
  });

  it('packs a copy: the raw bytes may change once packChunk returns', async () => {
    const raw = frames(16, 8, 2);
    const original = raw.slice();
    const packing = packChunk(raw, 16 * 3);
    raw.fill(0);
    const { stored, crc } = await packing;
    expect(await unpackChunk(stored, expected(original, crc, 16 * 3))).toEqual(original);
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
      unUpFilter(filtered, filtered, rowBytes);
      expect(filtered).toEqual(bytes);
    }
  });

  it('refuses a chunk whose stored bytes were flipped or cut short: it fails its checksum', async () => {
    const raw = frames(32, 32, 2);
    const rowBytes = 32 * 3;
    const { stored, crc } = await packChunk(raw, rowBytes);
    const damaged = Buffer.from(stored);
    damaged[5] = damaged[5]! ^ 0x40;
    await expect(unpackChunk(damaged, expected(raw, crc, rowBytes))).rejects.toThrow(new DamagedChunkError('fails its checksum'));
    await expect(unpackChunk(stored.subarray(0, stored.length - 1), expected(raw, crc, rowBytes))).rejects.toThrow(
      new DamagedChunkError('fails its checksum'),
    );
    // The same bytes with a damaged checksum.
    await expect(unpackChunk(stored, expected(raw, (crc ^ 1) >>> 0, rowBytes))).rejects.toBeInstanceOf(DamagedChunkError);
    // Undamaged, it still reads back.
    expect(await unpackChunk(stored, expected(raw, crc, rowBytes))).toEqual(raw);
  });

  it('refuses stored bytes that match their checksum but do not inflate', async () => {
    const raw = frames(32, 32, 2);
    const rowBytes = 32 * 3;
    const { stored } = await packChunk(raw, rowBytes);
    // A flipped byte in the first block header: block type 3 is reserved in deflate.
    const damaged = Buffer.from(stored);
    damaged[0] = damaged[0]! | 0x06;
    const error = await unpackChunk(damaged, expected(raw, crc32(damaged), rowBytes)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DamagedChunkError);
    expect((error as Error).message).toMatch(/^does not inflate: \S/);
    // Cut short, with the checksum of what is left.
    const cut = stored.subarray(0, stored.length >> 1);
    await expect(unpackChunk(cut, expected(raw, crc32(cut), rowBytes))).rejects.toThrow(/^does not inflate: /);
  });

  it('refuses a chunk that inflates to another size than the entry recorded', async () => {
    const raw = frames(32, 32, 2);
    const rowBytes = 32 * 3;
    const { stored, crc } = await packChunk(raw, rowBytes);
    await expect(unpackChunk(stored, { raw: raw.byteLength + 1, crc, rowBytes })).rejects.toThrow(
      new DamagedChunkError(`holds ${raw.byteLength} bytes, not ${raw.byteLength + 1}`),
    );
    await expect(unpackChunk(stored, { raw: raw.byteLength - 32 * 3, crc, rowBytes })).rejects.toThrow(
      new DamagedChunkError(`holds ${raw.byteLength} bytes, not ${raw.byteLength - 32 * 3}`),
    );
  });

  it('packs an empty chunk and gives it back empty', async () => {
    const { stored, crc } = await packChunk(new Uint8Array(0), 96);
    expect(await unpackChunk(stored, { raw: 0, crc, rowBytes: 96 })).toEqual(new Uint8Array(0));
  });
});
