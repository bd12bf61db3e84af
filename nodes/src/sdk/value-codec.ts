/**
 * Turns node outputs into bytes and back, for the disk cache: a JSON header
 * (the values, with each pixel buffer replaced by a reference and its chunk
 * layout), then every buffer's chunks, compressed and checksummed
 * (pixel-chunks.ts). An entry of an older layout, or with a damaged chunk,
 * decodes as CorruptEntryError, and the cache computes it again.
 */
import { DamagedChunkError, chunkBytesFor, packPixels, unpackPixels, type PackedPixels } from './pixel-chunks.ts';
import type { Value } from './values.ts';

const MAGIC = Buffer.from('RGC2');
const HEADER_LENGTH_BYTES = 4;

interface Header {
  outputs: unknown;
  blobs: PackedPixels[];
}

export type Outputs = Record<string, Value>;

interface BlobToPack {
  data: Uint8Array;
  rowBytes: number;
  frameBytes: number;
}

/** How a buffer is cut: by the value that holds it (RGB frames, a picture, gray mask frames). */
function blobShape(holder: unknown, data: Uint8Array): BlobToPack {
  const value = holder as { kind?: string; width?: number; height?: number };
  const width = value.width ?? 0;
  const height = value.height ?? 0;
  if (value.kind === 'mask' && width * height > 0) return { data, rowBytes: width, frameBytes: width * height };
  if ((value.kind === 'video' || value.kind === 'image') && width * height > 0) return { data, rowBytes: width * 3, frameBytes: width * height * 3 };
  return { data, rowBytes: data.byteLength, frameBytes: data.byteLength };
}

/** The pieces of an encoded entry, ready for a vectored write. */
export async function encodeOutputs(outputs: Outputs): Promise<Buffer[]> {
  const toPack: BlobToPack[] = [];
  const json = JSON.stringify(outputs, function (this: unknown, _key, value: unknown) {
    if (value instanceof Uint8Array) {
      toPack.push(blobShape(this, value));
      return { $blob: toPack.length - 1 };
    }
    return value;
  });
  const blobs: PackedPixels[] = [];
  const data: Buffer[] = [];
  for (const blob of toPack) {
    const { packed, pieces } = await packPixels(blob.data, blob.rowBytes, chunkBytesFor(blob.frameBytes));
    blobs.push(packed);
    data.push(...pieces);
  }
  const header: Header = { outputs: JSON.parse(json), blobs };
  const headerBytes = Buffer.from(JSON.stringify(header));
  const prefix = Buffer.alloc(MAGIC.length + HEADER_LENGTH_BYTES);
  MAGIC.copy(prefix, 0);
  prefix.writeUInt32LE(headerBytes.length, MAGIC.length);
  return [prefix, headerBytes, ...data];
}

export class CorruptEntryError extends Error {
  override name = 'CorruptEntryError';
}

/** How many leading bytes of an entry tell the length of its header. */
export const ENTRY_PREFIX_BYTES = MAGIC.length + HEADER_LENGTH_BYTES;

/** The header's length from an entry's first ENTRY_PREFIX_BYTES bytes. */
export function entryHeaderLength(prefix: Uint8Array): number {
  const bytes = Buffer.from(prefix.buffer, prefix.byteOffset, prefix.byteLength);
  if (bytes.length < ENTRY_PREFIX_BYTES || !bytes.subarray(0, MAGIC.length).equals(MAGIC)) {
    throw new CorruptEntryError('not a cache entry of this version of Reelgraph');
  }
  return bytes.readUInt32LE(MAGIC.length);
}

function parseHeader(bytes: Uint8Array): Header {
  let header: Header;
  try {
    header = JSON.parse(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8')) as Header;
  } catch {
    throw new CorruptEntryError('header is not JSON');
  }
  if (!Array.isArray(header.blobs) || !header.blobs.every((blob) => Array.isArray(blob?.chunks))) throw new CorruptEntryError('header lists no chunks');
  return header;
}

/**
 * The outputs an entry holds, from its header alone, with every pixel buffer
 * empty: enough to describe them (summarizeValue) without reading the pixels.
 */
export function decodeOutputsShape(header: Uint8Array): Outputs {
  const parsed = parseHeader(header);
  return revive(parsed.outputs, parsed.blobs.map(() => new Uint8Array(0))) as Outputs;
}

/** Decodes an entry; throws CorruptEntryError for anything truncated, damaged or foreign, saying where. */
export async function decodeOutputs(bytes: Buffer): Promise<Outputs> {
  const start = ENTRY_PREFIX_BYTES;
  const headerLength = entryHeaderLength(bytes);
  if (start + headerLength > bytes.length) throw new CorruptEntryError('header is truncated');
  const header = parseHeader(bytes.subarray(start, start + headerLength));
  const pixels: Uint8Array[] = [];
  let offset = start + headerLength;
  for (const [index, blob] of header.blobs.entries()) {
    const stored = blob.chunks.reduce((sum, chunk) => sum + chunk.stored, 0);
    if (offset + stored > bytes.length) throw new CorruptEntryError(`buffer ${index} is truncated`);
    try {
      pixels.push(await unpackPixels(blob, bytes.subarray(offset, offset + stored)));
    } catch (error) {
      if (error instanceof DamagedChunkError) throw new CorruptEntryError(`buffer ${index}: ${error.message}`);
      throw error;
    }
    offset += stored;
  }
  if (offset !== bytes.length) throw new CorruptEntryError('entry has trailing bytes');
  return revive(header.outputs, pixels) as Outputs;
}

function revive(value: unknown, blobs: Uint8Array[]): unknown {
  if (Array.isArray(value)) return value.map((item) => revive(item, blobs));
  if (value !== null && typeof value === 'object') {
    const record = value as Record<string, unknown>;
    if (typeof record.$blob === 'number' && Object.keys(record).length === 1) {
      const blob = blobs[record.$blob];
      if (!blob) throw new CorruptEntryError(`blob ${record.$blob} is missing`);
      return blob;
    }
    return Object.fromEntries(Object.entries(record).map(([k, v]) => [k, revive(v, blobs)]));
  }
  return value;
}

/** Bytes a value holds in memory, for the memory tier's budget. */
export function outputsByteSize(outputs: Outputs): number {
  let total = 0;
  JSON.stringify(outputs, (_key, value: unknown) => {
    if (value instanceof Uint8Array) {
      total += value.byteLength;
      return null;
    }
    if (typeof value === 'string') total += value.length * 2;
    return value;
  });
  return total + 64;
}

/** What a client is told about a value: its shape, never its pixels. */
export function summarizeValue(value: Value): Record<string, unknown> {
  switch (value.kind) {
    case 'prompt':
    case 'camera':
      return { ...value };
    case 'image':
      return { kind: value.kind, width: value.width, height: value.height };
    case 'mask':
      return { kind: value.kind, width: value.width, height: value.height, frameCount: value.frameCount };
    case 'video':
      return {
        kind: value.kind,
        width: value.width,
        height: value.height,
        fps: value.fps,
        frameCount: value.frameCount,
        duration: value.frameCount / value.fps,
      };
    case 'file':
      return { ...value };
  }
}
