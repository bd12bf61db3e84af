/**
 * The DER (X.690) needed to issue the local signer's certificates: no more
 * than sequences, sets, integers, OIDs, strings, times and tagged values.
 */
const bytes = (...parts: Uint8Array[]) => new Uint8Array(Buffer.concat(parts));

function length(n: number): Uint8Array {
  if (n < 0x80) return Uint8Array.of(n);
  const out: number[] = [];
  for (let v = n; v > 0; v = Math.floor(v / 256)) out.unshift(v & 0xff);
  return Uint8Array.of(0x80 | out.length, ...out);
}

export function tlv(tag: number, ...content: Uint8Array[]): Uint8Array {
  const body = bytes(...content);
  return bytes(Uint8Array.of(tag), length(body.length), body);
}

export const sequence = (...items: Uint8Array[]) => tlv(0x30, ...items);
export const set = (...items: Uint8Array[]) => tlv(0x31, ...items);
export const octetString = (content: Uint8Array) => tlv(0x04, content);
export const utf8String = (text: string) => tlv(0x0c, Buffer.from(text, 'utf8'));
export const boolean = (value: boolean) => tlv(0x01, Uint8Array.of(value ? 0xff : 0));
/** Context-specific tag `n`, constructed (EXPLICIT) or primitive (IMPLICIT on a primitive). */
export const explicit = (n: number, ...items: Uint8Array[]) => tlv(0xa0 | n, ...items);
export const implicit = (n: number, content: Uint8Array) => tlv(0x80 | n, content);

/** A non-negative integer from big-endian bytes. */
export function integer(value: Uint8Array | number): Uint8Array {
  let b = typeof value === 'number' ? Uint8Array.of(...(value === 0 ? [0] : bigEndian(value))) : value;
  let start = 0;
  while (start < b.length - 1 && b[start] === 0 && b[start + 1]! < 0x80) start++;
  b = b.subarray(start);
  return tlv(0x02, b[0]! >= 0x80 ? bytes(Uint8Array.of(0), b) : b);
}

function bigEndian(n: number): number[] {
  const out: number[] = [];
  for (let v = n; v > 0; v = Math.floor(v / 256)) out.unshift(v & 0xff);
  return out;
}

/** A BIT STRING of whole bytes with `unused` bits of the last byte unused. */
export const bitString = (content: Uint8Array, unused = 0) => tlv(0x03, Uint8Array.of(unused), content);

export function oid(dotted: string): Uint8Array {
  const [a, b, ...rest] = dotted.split('.').map(Number);
  const out = [a! * 40 + b!];
  for (const arc of rest) {
    const group: number[] = [arc & 0x7f];
    for (let v = Math.floor(arc / 128); v > 0; v = Math.floor(v / 128)) group.unshift(0x80 | (v & 0x7f));
    out.push(...group);
  }
  return tlv(0x06, Uint8Array.of(...out));
}

/** UTCTime before 2050, GeneralizedTime from then on (RFC 5280, 4.1.2.5). */
export function time(date: Date): Uint8Array {
  const iso = date.toISOString().replace(/[-:T]/g, '').slice(0, 14);
  return date.getUTCFullYear() < 2050 ? tlv(0x17, Buffer.from(`${iso.slice(2)}Z`)) : tlv(0x18, Buffer.from(`${iso}Z`));
}
