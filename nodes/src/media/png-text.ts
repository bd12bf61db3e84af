/**
 * Text chunks in PNG files: writes uncompressed iTXt (UTF-8) right after the
 * header chunk, where readers that stop at the image data still find it, and
 * reads back tEXt, zTXt and iTXt.
 */
import { inflateSync } from 'node:zlib';
import { crc32 } from './crc32.ts';

export interface PngText {
  keyword: string;
  text: string;
}

const SIGNATURE = Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
const latin1 = new TextDecoder('latin1');
const utf8 = new TextDecoder('utf-8');

interface Chunk {
  type: string;
  /** Offset just past its CRC. */
  end: number;
  data: Uint8Array;
}

/** A copy of `png` with an iTXt chunk per entry inserted after IHDR. */
export function insertPngText(png: Uint8Array, entries: readonly PngText[]): Uint8Array {
  const header = chunks(png).next().value;
  if (!header || header.type !== 'IHDR') throw new Error('Not a PNG file: it does not start with an IHDR chunk.');
  const inserted = entries.map((entry) => encodeChunk('iTXt', internationalText(entry)));
  const size = inserted.reduce((sum, chunk) => sum + chunk.length, 0);
  const out = new Uint8Array(png.length + size);
  out.set(png.subarray(0, header.end), 0);
  let offset = header.end;
  for (const chunk of inserted) {
    out.set(chunk, offset);
    offset += chunk.length;
  }
  out.set(png.subarray(header.end), offset);
  return out;
}

/** Every tEXt, zTXt and iTXt entry, in file order. */
export function readPngText(png: Uint8Array): PngText[] {
  const found: PngText[] = [];
  for (const chunk of chunks(png)) {
    if (chunk.type === 'tEXt') found.push(plainText(chunk.data));
    else if (chunk.type === 'zTXt') found.push(compressedText(chunk.data));
    else if (chunk.type === 'iTXt') found.push(readInternationalText(chunk.data));
    else if (chunk.type === 'IEND') break;
  }
  return found;
}

/** A chunk as it lies in the file: length, type, data, CRC of type and data. */
export function encodeChunk(type: string, data: Uint8Array): Uint8Array {
  const chunk = new Uint8Array(12 + data.length);
  const view = new DataView(chunk.buffer);
  view.setUint32(0, data.length);
  chunk.set(Buffer.from(type, 'latin1'), 4);
  chunk.set(data, 8);
  view.setUint32(8 + data.length, crc32(chunk.subarray(4, 8 + data.length)));
  return chunk;
}

function* chunks(png: Uint8Array): Generator<Chunk> {
  if (png.length < SIGNATURE.length || SIGNATURE.some((byte, i) => png[i] !== byte)) {
    throw new Error('Not a PNG file: the signature is missing.');
  }
  const view = new DataView(png.buffer, png.byteOffset, png.byteLength);
  let offset = SIGNATURE.length;
  while (offset < png.length) {
    if (offset + 12 > png.length) throw new Error('The PNG file is truncated.');
    const length = view.getUint32(offset);
    const end = offset + 12 + length;
    if (end > png.length) throw new Error('The PNG file is truncated.');
    const type = latin1.decode(png.subarray(offset + 4, offset + 8));
    yield { type, end, data: png.subarray(offset + 8, offset + 8 + length) };
    offset = end;
  }
}

function checkKeyword(keyword: string): void {
  const printable = /^[\x20-\x7e\xa1-\xff]{1,79}$/.test(keyword);
  if (!printable || keyword.startsWith(' ') || keyword.endsWith(' ') || keyword.includes('  ')) {
    throw new RangeError(`"${keyword}" is not a valid PNG keyword (1–79 printable Latin-1 characters, no leading, trailing or double spaces).`);
  }
}

function internationalText({ keyword, text }: PngText): Uint8Array {
  checkKeyword(keyword);
  const key = Buffer.from(keyword, 'latin1');
  const body = Buffer.from(text, 'utf8');
  // keyword NUL, compression flag 0, method 0, empty language tag NUL, empty translated keyword NUL, text
  return Buffer.concat([key, Uint8Array.from([0, 0, 0, 0, 0]), body]);
}

function splitAtNul(data: Uint8Array, from = 0): [Uint8Array, number] {
  const nul = data.indexOf(0, from);
  if (nul < 0) throw new Error('A PNG text chunk is malformed: a separator is missing.');
  return [data.subarray(from, nul), nul + 1];
}

function plainText(data: Uint8Array): PngText {
  const [keyword, rest] = splitAtNul(data);
  return { keyword: latin1.decode(keyword), text: latin1.decode(data.subarray(rest)) };
}

function compressedText(data: Uint8Array): PngText {
  const [keyword, rest] = splitAtNul(data);
  // rest points at the compression method byte (0 = zlib).
  return { keyword: latin1.decode(keyword), text: latin1.decode(inflateSync(data.subarray(rest + 1))) };
}

function readInternationalText(data: Uint8Array): PngText {
  const [keyword, afterKeyword] = splitAtNul(data);
  const compressed = data[afterKeyword] === 1;
  const [, afterLanguage] = splitAtNul(data, afterKeyword + 2);
  const [, afterTranslated] = splitAtNul(data, afterLanguage);
  const body = data.subarray(afterTranslated);
  return { keyword: latin1.decode(keyword), text: utf8.decode(compressed ? inflateSync(body) : body) };
}
