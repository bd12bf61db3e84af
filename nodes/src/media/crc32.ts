/**
 * CRC-32 (ISO-HDLC, as PNG and zlib use it): zlib's own where Node has it
 * (20.15 and later; several times faster, and every frame chunk the cache
 * writes or reads is checked), a table otherwise.
 */
import * as zlib from 'node:zlib';

const TABLE = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

type Crc32 = (bytes: Uint8Array, crc?: number) => number;

/** The CRC of `bytes`, byte by byte through the table. */
export function tableCrc32(bytes: Uint8Array, crc = 0): number {
  let c = (crc ^ 0xffffffff) >>> 0;
  for (let i = 0; i < bytes.length; i++) c = TABLE[(c ^ bytes[i]!) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

const nativeCrc32 = (zlib as { crc32?: Crc32 }).crc32;

/** The CRC of `bytes`; pass a previous result as `crc` to continue over several pieces. */
export const crc32: Crc32 = nativeCrc32 ?? tableCrc32;
