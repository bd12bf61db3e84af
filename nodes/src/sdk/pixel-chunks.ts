/**
 * Frame chunks as cache entries store them: whole frames, filtered with PNG's Up predictor (a byte minus the byte one
 * row above), deflated at level 1 on zlib's thread pool, and given a CRC-32,
 * so damage is found chunk by chunk rather than passed on as wrong pixels.
 *
 * Why this codec, measured on one frame of a generated 1920×1080 shot
 * (6.2 MB raw): deflate alone keeps 0.42 of the bytes; after Sub 0.24,
 * after Up 0.22 (Up runs four bytes at a time, now 8 ms, where Sub took 90 ms
 * byte by byte); deflate level 6 or Paeth reach 0.17 at several times the
 * cost; FFV1 through ffmpeg 0.10–0.15, but a process per entry and no
 * random access to a chunk.
 */
import { promisify } from 'node:util';
import { deflateRaw, inflateRaw } from 'node:zlib';
import { crc32 } from '../media/crc32.ts';

const deflate = promisify(deflateRaw);
const inflate = promisify(inflateRaw);

/** About this many raw bytes per chunk, in whole frames (one frame when a frame is larger). */
export const CHUNK_TARGET_BYTES = 4 * 1024 * 1024;

/** A chunk as stored: filtered, deflated, with the CRC-32 of the stored bytes. */
export interface PackedChunk {
  stored: Buffer;
  crc: number;
}

export class DamagedChunkError extends Error {
  override name = 'DamagedChunkError';
}

/** Raw bytes per chunk for frames of `frameBytes`. */
export function chunkBytesFor(frameBytes: number): number {
  const frame = Math.max(1, frameBytes);
  return frame * Math.max(1, Math.floor(CHUNK_TARGET_BYTES / frame));
}

/** Whole frames per chunk for frames of `frameBytes`. */
export function chunkFramesFor(frameBytes: number): number {
  return chunkBytesFor(frameBytes) / Math.max(1, frameBytes);
}

/**
 * Filters `raw` on this thread (it may change once this returns) and deflates
 * it on zlib's thread pool.
 */
export function packChunk(raw: Uint8Array, rowBytes: number): Promise<PackedChunk> {
  const filtered = upFilter(raw, rowBytes);
  return deflate(filtered, { level: 1, chunkSize: outputPieceBytes(raw.byteLength / 2) }).then((stored) => ({ stored, crc: crc32(stored) }));
}

/**
 * zlib hands its output back in pieces of `chunkSize` (16 KiB by default), a
 * callback and a copy each: 170 of them for a 720p frame. Asking for pieces
 * about as large as the whole output costs one or two, which took a second
 * of main-thread time off a 120-frame 720p shot written and read back.
 */
function outputPieceBytes(expected: number): number {
  return Math.max(64 * 1024, Math.ceil(expected));
}

/** The raw bytes of a stored chunk; throws DamagedChunkError when it fails its checksum or size. */
export async function unpackChunk(stored: Uint8Array, expected: { raw: number; crc: number; rowBytes: number }): Promise<Uint8Array> {
  if (crc32(stored) !== expected.crc) throw new DamagedChunkError('fails its checksum');
  let filtered: Buffer;
  try {
    // One byte to spare, so that zlib sees the end of the stream before it runs out of room.
    filtered = await inflate(stored, { chunkSize: outputPieceBytes(expected.raw + 1) });
  } catch (error) {
    throw new DamagedChunkError(`does not inflate: ${(error as Error).message}`);
  }
  if (filtered.byteLength !== expected.raw) throw new DamagedChunkError(`holds ${filtered.byteLength} bytes, not ${expected.raw}`);
  // In place: the inflated bytes are ours alone, and a frame-sized buffer less per chunk is less for the collector.
  const out = new Uint8Array(filtered.buffer, filtered.byteOffset, filtered.byteLength);
  unUpFilter(out, out, expected.rowBytes);
  return out;
}

/** Each byte minus the byte one row above (the first row as is). */
export function upFilter(raw: Uint8Array, rowBytes: number): Uint8Array {
  const out = new Uint8Array(raw.byteLength);
  const row = Math.min(Math.max(1, rowBytes), raw.byteLength);
  out.set(raw.subarray(0, row));
  if (row % 4 === 0 && raw.byteOffset % 4 === 0) {
    // Four bytes per step, each subtracted on its own (no borrow between them). Signed words and `| 0` keep
    // V8 in 32-bit integers; unsigned ones past 2³¹ made it use doubles, 1.7× slower.
    const words = raw.byteLength >>> 2;
    const from = new Int32Array(raw.buffer, raw.byteOffset, words);
    const to = new Int32Array(out.buffer, 0, words);
    const step = row >>> 2;
    for (let j = step; j < words; j++) {
      const x = from[j]!;
      const y = from[j - step]!;
      to[j] = (((x | 0x80808080) - (y & 0x7f7f7f7f)) | 0) ^ ((x ^ ~y) & 0x80808080);
    }
    for (let i = words << 2; i < raw.byteLength; i++) out[i] = (raw[i]! - raw[i - row]!) & 0xff;
    return out;
  }
  for (let i = row; i < raw.byteLength; i++) out[i] = (raw[i]! - raw[i - row]!) & 0xff;
  return out;
}

/** Undoes upFilter into `out`, which may be `filtered` itself (each step reads its own byte before writing it). */
export function unUpFilter(filtered: Uint8Array, out: Uint8Array, rowBytes: number): void {
  const row = Math.min(Math.max(1, rowBytes), filtered.byteLength);
  out.set(filtered.subarray(0, row));
  if (row % 4 === 0 && filtered.byteOffset % 4 === 0 && out.byteOffset % 4 === 0) {
    // Four bytes per step, each added on its own (no carry between them).
    const words = filtered.byteLength >>> 2;
    const from = new Uint32Array(filtered.buffer, filtered.byteOffset, words);
    const to = new Uint32Array(out.buffer, out.byteOffset, words);
    const step = row >>> 2;
    for (let j = step; j < words; j++) {
      const x = from[j]!;
      const y = to[j - step]!;
      to[j] = ((x & 0x7f7f7f7f) + (y & 0x7f7f7f7f)) ^ ((x ^ y) & 0x80808080);
    }
    for (let i = words << 2; i < filtered.byteLength; i++) out[i] = (filtered[i]! + out[i - row]!) & 0xff;
    return;
  }
  for (let i = row; i < filtered.byteLength; i++) out[i] = (filtered[i]! + out[i - row]!) & 0xff;
}
