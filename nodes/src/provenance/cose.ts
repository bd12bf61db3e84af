/**
 * The claim signature of a C2PA manifest: a COSE_Sign1 (RFC 9052) with a
 * detached payload, the certificate chain in the protected `x5chain` header
 * (C2PA 2.x, §14.5), and zero padding in the unprotected `pad` header so the
 * structure fills exactly the space the manifest reserved for it.
 */
import { sign as cryptoSign, type KeyObject } from 'node:crypto';
import { encodeCbor, type CborValue } from './cbor.ts';

export type C2paAlgorithm = 'es256' | 'es384' | 'es512' | 'ed25519';

/** COSE algorithm ids (IANA) and the hash each signs with. */
const ALGORITHMS: Record<C2paAlgorithm, { id: number; hash: string | null }> = {
  es256: { id: -7, hash: 'sha256' },
  es384: { id: -35, hash: 'sha384' },
  es512: { id: -36, hash: 'sha512' },
  ed25519: { id: -8, hash: null },
};

const COSE_SIGN1_TAG = 18;
const HEADER_ALG = 1;
const HEADER_X5CHAIN = 33;

/** Room for the COSE framing around the signature and the chain (C2PA's own libraries reserve about this much). */
export function coseReserveSize(chain: readonly Uint8Array[]): number {
  return chain.reduce((sum, cert) => sum + cert.length, 0) + 2048;
}

export interface CoseSignOptions {
  algorithm: C2paAlgorithm;
  key: KeyObject;
  /** DER certificates, the signing certificate first. */
  chain: readonly Uint8Array[];
  /** The exact size of the result. */
  size: number;
}

/** Signs `payload` (the claim's bytes) and returns the tagged COSE_Sign1 of exactly `size` bytes. */
export function coseSign1(payload: Uint8Array, options: CoseSignOptions): Uint8Array {
  const { id, hash } = ALGORITHMS[options.algorithm];
  const x5chain: CborValue = options.chain.length === 1 ? options.chain[0]! : [...options.chain];
  const protectedHeader = encodeCbor(new Map<CborValue, CborValue>([[HEADER_ALG, id], [HEADER_X5CHAIN, x5chain]]));
  const toBeSigned = encodeCbor(['Signature1', protectedHeader, new Uint8Array(0), payload]);
  // ECDSA signatures in COSE are r‖s (IEEE P1363), not DER.
  const signature = new Uint8Array(cryptoSign(hash, toBeSigned, { key: options.key, dsaEncoding: 'ieee-p1363' }));
  const build = (pad: number) =>
    encodeCbor({ tag: COSE_SIGN1_TAG, value: [protectedHeader, new Map([['pad', new Uint8Array(pad)]]), null, signature] });
  // The pad's own length prefix grows at 24, 256 and 65536 bytes: step down from the first guess until it fits.
  for (let pad = options.size - build(0).length; pad >= 0; pad--) {
    const bytes = build(pad);
    if (bytes.length === options.size) return bytes;
    if (bytes.length < options.size) break;
  }
  throw new Error(`The signature does not fit the ${options.size} bytes reserved for it.`);
}
