/**
 * The little CBOR (RFC 8949) a COSE_Sign1 needs: unsigned and negative
 * integers, byte and text strings, arrays, maps in the order given, null and
 * tags. Definite lengths only, shortest head, so the bytes are deterministic.
 */
export type CborValue = number | string | Uint8Array | null | CborValue[] | Map<CborValue, CborValue> | CborTag;

export interface CborTag {
  tag: number;
  value: CborValue;
}

function head(major: number, n: number): Uint8Array {
  if (!Number.isSafeInteger(n) || n < 0) throw new RangeError(`CBOR cannot encode the length or value ${n}.`);
  if (n < 24) return Uint8Array.of((major << 5) | n);
  if (n < 0x100) return Uint8Array.of((major << 5) | 24, n);
  if (n < 0x10000) return Uint8Array.of((major << 5) | 25, n >> 8, n & 0xff);
  if (n < 0x100000000) return Uint8Array.of((major << 5) | 26, n >>> 24, (n >> 16) & 0xff, (n >> 8) & 0xff, n & 0xff);
  throw new RangeError(`CBOR values of ${n} are not needed here.`);
}

function parts(value: CborValue, out: Uint8Array[]): void {
  if (value === null) {
    out.push(Uint8Array.of(0xf6));
  } else if (typeof value === 'number') {
    if (!Number.isInteger(value)) throw new RangeError(`Only integers are encoded, not ${value}.`);
    out.push(value >= 0 ? head(0, value) : head(1, -1 - value));
  } else if (typeof value === 'string') {
    const bytes = Buffer.from(value, 'utf8');
    out.push(head(3, bytes.length), bytes);
  } else if (value instanceof Uint8Array) {
    out.push(head(2, value.length), value);
  } else if (Array.isArray(value)) {
    out.push(head(4, value.length));
    for (const item of value) parts(item, out);
  } else if (value instanceof Map) {
    out.push(head(5, value.size));
    for (const [key, item] of value) {
      parts(key, out);
      parts(item, out);
    }
  } else {
    out.push(head(6, value.tag));
    parts(value.value, out);
  }
}

export function encodeCbor(value: CborValue): Uint8Array {
  const out: Uint8Array[] = [];
  parts(value, out);
  return new Uint8Array(Buffer.concat(out));
}
