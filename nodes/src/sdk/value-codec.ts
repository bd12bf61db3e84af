/**
 * Turns node outputs into bytes and back, for the disk cache. Pixel buffers
 * are written as raw blobs after a JSON header, and read back as views into
 * the one buffer that was read, so decoding costs no copy.
 */
import type { Value } from './values.ts';

const MAGIC = Buffer.from('RGC1');
const HEADER_LENGTH_BYTES = 4;

interface Header {
  outputs: unknown;
  blobs: number[];
}

export type Outputs = Record<string, Value>;

/** The chunks of an encoded entry, ready for a vectored write. */
export function encodeOutputs(outputs: Outputs): Buffer[] {
  const blobs: Uint8Array[] = [];
  const json = JSON.stringify(outputs, (_key, value: unknown) => {
    if (value instanceof Uint8Array) {
      blobs.push(value);
      return { $blob: blobs.length - 1 };
    }
    return value;
  });
  const header: Header = { outputs: JSON.parse(json), blobs: blobs.map((b) => b.byteLength) };
  const headerBytes = Buffer.from(JSON.stringify(header));
  const prefix = Buffer.alloc(MAGIC.length + HEADER_LENGTH_BYTES);
  MAGIC.copy(prefix, 0);
  prefix.writeUInt32LE(headerBytes.length, MAGIC.length);
  return [prefix, headerBytes, ...blobs.map((b) => Buffer.from(b.buffer, b.byteOffset, b.byteLength))];
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
    throw new CorruptEntryError('not a Reelgraph cache entry');
  }
  return bytes.readUInt32LE(MAGIC.length);
}

/**
 * The outputs an entry holds, from its header alone, with every pixel buffer
 * empty: enough to describe them (summarizeValue) without reading the pixels.
 */
export function decodeOutputsShape(header: Uint8Array): Outputs {
  let parsed: Header;
  try {
    parsed = JSON.parse(Buffer.from(header.buffer, header.byteOffset, header.byteLength).toString('utf8')) as Header;
  } catch {
    throw new CorruptEntryError('header is not JSON');
  }
  return revive(parsed.outputs, parsed.blobs.map(() => new Uint8Array(0))) as Outputs;
}

/** Decodes an entry; throws CorruptEntryError for anything truncated or foreign. */
export function decodeOutputs(bytes: Buffer): Outputs {
  const start = ENTRY_PREFIX_BYTES;
  const headerLength = entryHeaderLength(bytes);
  if (start + headerLength > bytes.length) throw new CorruptEntryError('header is truncated');
  let header: Header;
  try {
    header = JSON.parse(bytes.subarray(start, start + headerLength).toString('utf8')) as Header;
  } catch {
    throw new CorruptEntryError('header is not JSON');
  }
  const views: Uint8Array[] = [];
  let offset = start + headerLength;
  for (const length of header.blobs) {
    if (offset + length > bytes.length) throw new CorruptEntryError('data is truncated');
    views.push(new Uint8Array(bytes.buffer, bytes.byteOffset + offset, length));
    offset += length;
  }
  if (offset !== bytes.length) throw new CorruptEntryError('entry has trailing bytes');
  return revive(header.outputs, views) as Outputs;
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
