/**
 * The declared size of a still image, read from its header bytes without
 * decoding anything. A decompression bomb (a 300 KiB PNG declaring
 * 12000×12000 pixels) costs gigabytes once ffmpeg decodes it, so the size is
 * checked before any decoder sees the file.
 *
 * Every reader treats the bytes as hostile: each offset is bounds-checked,
 * every read has a fixed size (never one taken from the file), walks are
 * capped, and a recognised but broken header throws ImageHeaderError, nothing
 * else. One parser serves bytes in memory and files: it asks for byte ranges,
 * and a file is read with positioned reads of just those ranges.
 */
import { open, type FileHandle } from 'node:fs/promises';

export type ImageFormat = 'png' | 'jpeg' | 'webp' | 'gif' | 'bmp' | 'tiff';

export interface ImageSize {
  format: ImageFormat;
  width: number;
  height: number;
}

/** The file is a recognised image format, but its header is truncated or malformed. */
export class ImageHeaderError extends Error {
  override name = 'ImageHeaderError';
}

/** Bytes read first; every format's fixed header, and GIF's frame walk, lie within it. */
const HEAD_BYTES = 64 * 1024;
/** JPEG markers (segments, fill bytes, standalone markers) walked before giving up on finding the frame header. */
const MAX_JPEG_STEPS = 10_000;
/** Window read at each JPEG marker: fill bytes, marker, length and a frame header's size fields. */
const JPEG_WINDOW = 16;
/** TIFF directory entries read at a time (12 bytes each). */
const TIFF_ENTRIES_PER_READ = 256;
const PNG_MAX_DIMENSION = 2 ** 31 - 1;

/** A request for the bytes at [offset, offset + length); the answer is shorter where the file ends. */
interface ByteRange {
  offset: number;
  length: number;
}

type Parser = Generator<ByteRange, ImageSize | undefined, Uint8Array>;

/**
 * The declared size of a still image, read from its header; undefined when
 * the bytes are not a recognised image format (e.g. a video). Throws
 * ImageHeaderError when the format is recognised but the header is truncated
 * or malformed.
 */
export async function readImageSize(file: string): Promise<ImageSize | undefined> {
  const handle = await open(file, 'r');
  try {
    const head = await readAt(handle, 0, HEAD_BYTES);
    const parser = parseImage();
    let step = parser.next();
    while (!step.done) {
      const { offset, length } = step.value;
      // Whatever lies in the head is served from it; a head shorter than HEAD_BYTES is the whole file.
      const cached = offset + length <= head.length || head.length < HEAD_BYTES;
      step = parser.next(cached ? head.subarray(offset, offset + length) : await readAt(handle, offset, length));
    }
    return step.value;
  } finally {
    await handle.close();
  }
}

/** Same, from bytes already in memory. */
export function imageSizeOf(bytes: Uint8Array): ImageSize | undefined {
  const parser = parseImage();
  let step = parser.next();
  while (!step.done) step = parser.next(bytes.subarray(step.value.offset, step.value.offset + step.value.length));
  return step.value;
}

/** Up to `length` bytes at `offset`; fewer where the file ends. `length` is always one of this file's constants. */
async function readAt(handle: FileHandle, offset: number, length: number): Promise<Uint8Array> {
  const buffer = Buffer.alloc(length);
  let filled = 0;
  while (filled < length) {
    const { bytesRead } = await handle.read(buffer, filled, length - filled, offset + filled);
    if (bytesRead === 0) break;
    filled += bytesRead;
  }
  return buffer.subarray(0, filled);
}

function* parseImage(): Parser {
  const head = yield { offset: 0, length: HEAD_BYTES };
  const size = yield* sniff(head);
  if (size && (size.width === 0 || size.height === 0)) {
    throw new ImageHeaderError(`The ${NAMES[size.format]} header declares an empty picture (${size.width}×${size.height}).`);
  }
  return size;
}

const NAMES: Record<ImageFormat, string> = { png: 'PNG', jpeg: 'JPEG', webp: 'WebP', gif: 'GIF', bmp: 'BMP', tiff: 'TIFF' };

function* sniff(head: Uint8Array): Generator<ByteRange, ImageSize | undefined, Uint8Array> {
  if (startsWith(head, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return png(head);
  if (startsWith(head, [0xff, 0xd8, 0xff])) return yield* jpeg();
  if (startsWith(head, ascii('GIF87a')) || startsWith(head, ascii('GIF89a'))) return gif(head);
  if (startsWith(head, ascii('RIFF')) && startsWith(head.subarray(8), ascii('WEBP'))) return webp(head);
  if (startsWith(head, ascii('BM'))) return bmp(head);
  if (startsWith(head, [0x49, 0x49, 0x2a, 0x00])) return yield* tiff(head, true);
  if (startsWith(head, [0x4d, 0x4d, 0x00, 0x2a])) return yield* tiff(head, false);
  if (startsWith(head, [0x49, 0x49, 0x2b, 0x00]) || startsWith(head, [0x4d, 0x4d, 0x00, 0x2b])) {
    throw new ImageHeaderError('BigTIFF files are not supported.');
  }
  return undefined;
}

/** Signature, then IHDR, which must be the first chunk: length 13, width and height as 32-bit big-endian. */
function png(bytes: Uint8Array): ImageSize {
  const view = reader(bytes, 'png', 24);
  if (view.u32be(8) !== 13 || latin1(bytes, 12, 4) !== 'IHDR') {
    throw new ImageHeaderError('The PNG file is malformed: its first chunk is not a 13-byte IHDR.');
  }
  const width = view.u32be(16);
  const height = view.u32be(20);
  if (width > PNG_MAX_DIMENSION || height > PNG_MAX_DIMENSION) {
    throw new ImageHeaderError(`The PNG header declares an impossible size (${width}×${height}).`);
  }
  return { format: 'png', width, height };
}

/**
 * Walks the segments from SOI, following each length with positioned reads,
 * up to the first frame header (SOF0–SOF15 except DHT C4, JPG C8 and DAC CC):
 * precision, then height and width as 16-bit big-endian.
 */
function* jpeg(): Generator<ByteRange, ImageSize, Uint8Array> {
  let offset = 2;
  for (let step = 0; step < MAX_JPEG_STEPS; step++) {
    const window = yield { offset, length: JPEG_WINDOW };
    if (window.length === 0) throw truncated('jpeg');
    if (window[0] !== 0xff) {
      throw new ImageHeaderError(`The JPEG file is malformed: expected a marker at byte ${offset}.`);
    }
    // Any number of 0xFF fill bytes may precede a marker; skip a window of them at a time.
    let at = 1;
    while (at < window.length && window[at] === 0xff) at++;
    if (at === window.length) {
      if (window.length < JPEG_WINDOW) throw truncated('jpeg');
      offset += at - 1;
      continue;
    }
    const marker = window[at]!;
    const segment = offset + at - 1; // the 0xFF just before the marker
    if (marker === 0x01 || marker === 0xd8 || (marker >= 0xd0 && marker <= 0xd7)) {
      offset = segment + 2; // TEM, SOI and RSTn stand alone
      continue;
    }
    if (marker === 0x00) throw new ImageHeaderError(`The JPEG file is malformed: a stuffed 0xFF00 where a marker belongs, at byte ${segment}.`);
    if (marker === 0xd9 || marker === 0xda) {
      throw new ImageHeaderError('The JPEG file is malformed: it has no frame header (SOF) before its image data.');
    }
    const fields = window.length - at - 1;
    const isFrameHeader = marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc;
    if (fields < (isFrameHeader ? 7 : 2)) {
      // Too few bytes left in this window: read again from the marker, unless the file ends here.
      if (window.length < JPEG_WINDOW) throw truncated('jpeg');
      offset = segment;
      continue;
    }
    const view = reader(window.subarray(at + 1), 'jpeg', 2);
    const length = view.u16be(0);
    if (length < 2) throw new ImageHeaderError(`The JPEG file is malformed: a segment at byte ${segment} has length ${length}.`);
    if (isFrameHeader) {
      if (length < 8) throw new ImageHeaderError(`The JPEG file is malformed: its frame header has length ${length}.`);
      return { format: 'jpeg', height: view.u16be(3), width: view.u16be(5) };
    }
    offset = segment + 2 + length;
  }
  throw new ImageHeaderError(`The JPEG file has no frame header (SOF) within its first ${MAX_JPEG_STEPS} markers.`);
}

/**
 * The logical screen size, widened to cover every image descriptor (left +
 * width, top + height) found within the first 64 KiB: a decoder that grows
 * its canvas to fit a frame needs that much. The frame walk stops quietly at
 * the end of those bytes or at anything it does not recognise.
 */
function gif(bytes: Uint8Array): ImageSize {
  const view = reader(bytes, 'gif', 13);
  let width = view.u16le(6);
  let height = view.u16le(8);
  let offset = 13 + colourTableSize(view.u8(10));
  // Every step moves forward by at least one byte, within bytes already read.
  while (offset < bytes.length) {
    const introducer = bytes[offset];
    if (introducer === 0x21) {
      offset = skipSubBlocks(bytes, offset + 2);
    } else if (introducer === 0x2c) {
      if (offset + 10 > bytes.length) break;
      width = Math.max(width, view.u16le(offset + 1) + view.u16le(offset + 5));
      height = Math.max(height, view.u16le(offset + 3) + view.u16le(offset + 7));
      // descriptor, local colour table, LZW minimum code size, then the data sub-blocks
      offset = skipSubBlocks(bytes, offset + 10 + colourTableSize(view.u8(offset + 9)) + 1);
    } else {
      break; // the trailer, or bytes ffmpeg can judge
    }
  }
  return { format: 'gif', width, height };
}

function colourTableSize(packed: number): number {
  return packed & 0x80 ? 3 * 2 ** ((packed & 0x07) + 1) : 0;
}

/** Offset just past the zero-length terminator of the sub-blocks at `offset`, or past the end of `bytes`. */
function skipSubBlocks(bytes: Uint8Array, offset: number): number {
  let at = offset;
  while (at < bytes.length) {
    const size = bytes[at]!;
    at += 1 + size;
    if (size === 0) return at;
  }
  return bytes.length;
}

/**
 * RIFF/WEBP, then the first chunk: VP8 (lossy: key frame start code, 14-bit
 * sizes), VP8L (lossless: signature, 14-bit sizes minus one) or VP8X
 * (extended: 24-bit canvas sizes minus one).
 */
function webp(bytes: Uint8Array): ImageSize {
  const view = reader(bytes, 'webp', 20);
  const chunk = latin1(bytes, 12, 4);
  const data = 20;
  if (chunk === 'VP8 ') {
    view.need(data + 10);
    if (view.u8(data) & 0x01 || view.u8(data + 3) !== 0x9d || view.u8(data + 4) !== 0x01 || view.u8(data + 5) !== 0x2a) {
      throw new ImageHeaderError('The WebP file is malformed: its VP8 data does not start with a key frame.');
    }
    return { format: 'webp', width: view.u16le(data + 6) & 0x3fff, height: view.u16le(data + 8) & 0x3fff };
  }
  if (chunk === 'VP8L') {
    view.need(data + 5);
    if (view.u8(data) !== 0x2f) throw new ImageHeaderError('The WebP file is malformed: its VP8L signature is missing.');
    const bits = view.u32le(data + 1);
    return { format: 'webp', width: (bits & 0x3fff) + 1, height: ((bits >>> 14) & 0x3fff) + 1 };
  }
  if (chunk === 'VP8X') {
    view.need(data + 10);
    return { format: 'webp', width: view.u24le(data + 4) + 1, height: view.u24le(data + 7) + 1 };
  }
  throw new ImageHeaderError(`The WebP file is malformed: its first chunk is "${printable(chunk)}", not VP8, VP8L or VP8X.`);
}

/**
 * The DIB header after the 14-byte file header: BITMAPCOREHEADER (12 bytes,
 * unsigned 16-bit sizes) or BITMAPINFOHEADER and its longer successors
 * (signed 32-bit sizes; a negative height means rows run top-down).
 */
function bmp(bytes: Uint8Array): ImageSize {
  const view = reader(bytes, 'bmp', 18);
  const headerSize = view.u32le(14);
  if (headerSize === 12) {
    view.need(22);
    return { format: 'bmp', width: view.u16le(18), height: view.u16le(20) };
  }
  if (![16, 40, 52, 56, 64, 108, 124].includes(headerSize)) {
    throw new ImageHeaderError(`The BMP file is malformed: its DIB header has an unknown size (${headerSize}).`);
  }
  view.need(26);
  const width = view.i32le(18);
  if (width < 0) throw new ImageHeaderError(`The BMP header declares a negative width (${width}).`);
  return { format: 'bmp', width, height: Math.abs(view.i32le(22)) };
}

/**
 * The first image file directory: its offset from the header, its entry
 * count, then entries read a block at a time until ImageWidth (256) and
 * ImageLength (257) are both found, each a SHORT or LONG.
 */
function* tiff(head: Uint8Array, little: boolean): Generator<ByteRange, ImageSize, Uint8Array> {
  const ifd = reader(head, 'tiff', 8, little).u32(4);
  if (ifd < 8) throw new ImageHeaderError(`The TIFF file is malformed: its first directory is at byte ${ifd}, inside the header.`);
  const count = reader(yield { offset: ifd, length: 2 }, 'tiff', 2, little).u16(0);
  const found = new Map<number, number>();
  for (let first = 0; first < count && found.size < 2; first += TIFF_ENTRIES_PER_READ) {
    const entries = Math.min(TIFF_ENTRIES_PER_READ, count - first);
    const block = reader(yield { offset: ifd + 2 + first * 12, length: TIFF_ENTRIES_PER_READ * 12 }, 'tiff', entries * 12, little);
    for (let i = 0; i < entries; i++) {
      const entry = i * 12;
      const tag = block.u16(entry);
      if ((tag !== 256 && tag !== 257) || found.has(tag)) continue;
      const type = block.u16(entry + 2);
      if (type === 3) found.set(tag, block.u16(entry + 8));
      else if (type === 4) found.set(tag, block.u32(entry + 8));
      else throw new ImageHeaderError(`The TIFF file is malformed: tag ${tag} has type ${type}, not SHORT or LONG.`);
    }
  }
  const width = found.get(256);
  const height = found.get(257);
  if (width === undefined || height === undefined) {
    throw new ImageHeaderError('The TIFF file is malformed: its first directory lacks ImageWidth or ImageLength.');
  }
  return { format: 'tiff', width, height };
}

/** Bounds-checked reads: any read past the end throws ImageHeaderError for `format`, never RangeError. */
function reader(bytes: Uint8Array, format: ImageFormat, minimum: number, little = false) {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const need = (end: number) => {
    if (end > bytes.length) throw truncated(format);
  };
  need(minimum);
  const at = (offset: number, size: number) => {
    need(offset + size);
    return offset;
  };
  return {
    need,
    u8: (offset: number) => view.getUint8(at(offset, 1)),
    u16be: (offset: number) => view.getUint16(at(offset, 2)),
    u32be: (offset: number) => view.getUint32(at(offset, 4)),
    u16le: (offset: number) => view.getUint16(at(offset, 2), true),
    u24le: (offset: number) => view.getUint16(at(offset, 3), true) + view.getUint8(offset + 2) * 0x10000,
    u32le: (offset: number) => view.getUint32(at(offset, 4), true),
    i32le: (offset: number) => view.getInt32(at(offset, 4), true),
    u16: (offset: number) => view.getUint16(at(offset, 2), little),
    u32: (offset: number) => view.getUint32(at(offset, 4), little),
  };
}

function truncated(format: ImageFormat): ImageHeaderError {
  return new ImageHeaderError(`The ${NAMES[format]} header is truncated.`);
}

function startsWith(bytes: Uint8Array, prefix: readonly number[]): boolean {
  return bytes.length >= prefix.length && prefix.every((byte, i) => bytes[i] === byte);
}

function ascii(text: string): number[] {
  return [...text].map((char) => char.charCodeAt(0));
}

function latin1(bytes: Uint8Array, offset: number, length: number): string {
  return String.fromCharCode(...bytes.subarray(offset, offset + length));
}

function printable(text: string): string {
  return text.replace(/[^\x20-\x7e]/g, '?');
}
