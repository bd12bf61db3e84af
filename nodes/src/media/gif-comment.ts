/**
 * GIF Comment Extensions (GIF89a §24): writes them right after the header,
 * colour table and any application extension (the NETSCAPE loop block stays
 * where players look for it), and reads them back.
 */

const EXTENSION = 0x21;
const COMMENT_LABEL = 0xfe;
const APPLICATION_LABEL = 0xff;
const IMAGE_DESCRIPTOR = 0x2c;
const TRAILER = 0x3b;
const SUB_BLOCK_MAX = 255;

const utf8 = new TextDecoder('utf-8');

/** The bytes of one comment extension. The spec recommends 7-bit ASCII; other text is stored as UTF-8. */
export function gifCommentExtension(text: string): Uint8Array {
  const data = Buffer.from(text, 'utf8');
  const blocks = Math.ceil(data.length / SUB_BLOCK_MAX);
  const out = new Uint8Array(2 + blocks + data.length + 1);
  out[0] = EXTENSION;
  out[1] = COMMENT_LABEL;
  let offset = 2;
  for (let start = 0; start < data.length; start += SUB_BLOCK_MAX) {
    const block = data.subarray(start, start + SUB_BLOCK_MAX);
    out[offset++] = block.length;
    out.set(block, offset);
    offset += block.length;
  }
  out[offset] = 0;
  return out;
}

/** A copy of `gif` with one comment extension per string, in order; a GIF87a file becomes GIF89a. */
export function insertGifComments(gif: Uint8Array, comments: readonly string[]): Uint8Array {
  const at = insertionOffset(gif);
  const extensions = comments.map(gifCommentExtension);
  const size = extensions.reduce((sum, bytes) => sum + bytes.length, 0);
  const out = new Uint8Array(gif.length + size);
  out.set(gif.subarray(0, at), 0);
  let offset = at;
  for (const bytes of extensions) {
    out.set(bytes, offset);
    offset += bytes.length;
  }
  out.set(gif.subarray(at), offset);
  out.set(Buffer.from('89a', 'latin1'), 3);
  return out;
}

/** The text of every comment extension, in file order. */
export function readGifComments(gif: Uint8Array): string[] {
  const comments: string[] = [];
  let offset = afterColourTable(gif);
  for (;;) {
    const introducer = byteAt(gif, offset);
    if (introducer === TRAILER) return comments;
    if (introducer === EXTENSION) {
      const label = byteAt(gif, offset + 1);
      const { end, data } = readSubBlocks(gif, offset + 2, label === COMMENT_LABEL);
      if (label === COMMENT_LABEL) comments.push(utf8.decode(data));
      offset = end;
    } else if (introducer === IMAGE_DESCRIPTOR) {
      const packed = byteAt(gif, offset + 9);
      // descriptor (10 bytes), local colour table, LZW minimum code size (1 byte), then the data sub-blocks
      offset = readSubBlocks(gif, offset + 10 + colourTableSize(packed) + 1).end;
    } else {
      throw new Error(`The GIF file is malformed: unexpected byte 0x${introducer.toString(16)} at ${offset}.`);
    }
  }
}

function insertionOffset(gif: Uint8Array): number {
  let offset = afterColourTable(gif);
  while (byteAt(gif, offset) === EXTENSION && byteAt(gif, offset + 1) === APPLICATION_LABEL) {
    offset = readSubBlocks(gif, offset + 2).end;
  }
  return offset;
}

/** Offset just past the header, logical screen descriptor and global colour table. */
function afterColourTable(gif: Uint8Array): number {
  const signature = Buffer.from(gif.subarray(0, 6)).toString('latin1');
  if (signature !== 'GIF87a' && signature !== 'GIF89a') throw new Error('Not a GIF file: the signature is missing.');
  return 13 + colourTableSize(byteAt(gif, 10));
}

function colourTableSize(packed: number): number {
  return packed & 0x80 ? 3 * 2 ** ((packed & 0x07) + 1) : 0;
}

/** Walks data sub-blocks from `offset` up to and including the zero-length terminator; `collect` keeps their data. */
function readSubBlocks(gif: Uint8Array, offset: number, collect = false): { end: number; data: Uint8Array } {
  const parts: Uint8Array[] = [];
  let at = offset;
  for (let size = byteAt(gif, at); size !== 0; size = byteAt(gif, at)) {
    if (at + 1 + size > gif.length) throw new Error('The GIF file is truncated.');
    if (collect) parts.push(gif.subarray(at + 1, at + 1 + size));
    at += 1 + size;
  }
  return { end: at + 1, data: Buffer.concat(parts) };
}

function byteAt(gif: Uint8Array, offset: number): number {
  const value = gif[offset];
  if (value === undefined) throw new Error('The GIF file is truncated.');
  return value;
}
