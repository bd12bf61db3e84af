import { X509Certificate } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { encodeCbor } from './cbor.ts';
import { coseSign1 } from './cose.ts';
import { makeLocalSigner } from './credentials.ts';
import { referenceIngredients } from './manifest.ts';
import { drawWatermark, watermarkPlacement } from './watermark.ts';
import { createPrivateKey } from 'node:crypto';

describe('provenance pieces', () => {
  it('encodes CBOR as RFC 8949 shows', () => {
    const hex = (v: Parameters<typeof encodeCbor>[0]) => Buffer.from(encodeCbor(v)).toString('hex');
    expect(hex(0)).toBe('00');
    expect(hex(-7)).toBe('26');
    expect(hex(1000)).toBe('1903e8');
    expect(hex('a')).toBe('6161');
    expect(hex(new Uint8Array([1, 2]))).toBe('420102');
    expect(hex([1, null])).toBe('8201f6');
    expect(hex(new Map([[1, 2]]))).toBe('a10102');
    expect(hex({ tag: 18, value: [] })).toBe('d280');
  });

  it('issues a signing certificate C2PA accepts: not self-signed, digitalSignature, emailProtection, from a local CA', () => {
    const { chainPem, keyPem } = makeLocalSigner();
    const [leaf, ca] = chainPem.match(/-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/g)!.map((pem) => new X509Certificate(pem));
    expect(leaf!.subject).toBe('CN=Reelgraph local signer\nO=Reelgraph');
    expect(leaf!.issuer).toBe(ca!.subject);
    expect(leaf!.checkIssued(ca!)).toBe(true);
    expect(leaf!.verify(ca!.publicKey)).toBe(true);
    expect(ca!.ca).toBe(true);
    expect(leaf!.ca).toBe(false);
    expect(leaf!.keyUsage).toEqual(['1.3.6.1.5.5.7.3.4']);
    expect(leaf!.checkPrivateKey(createPrivateKey(keyPem))).toBe(true);
  });

  it('pads the COSE signature to exactly the reserved size', () => {
    const { chainPem, keyPem } = makeLocalSigner();
    const chain = [new Uint8Array(new X509Certificate(chainPem).raw)];
    for (const size of [1200, 1500, 4096]) {
      expect(coseSign1(new Uint8Array(50), { algorithm: 'es256', key: createPrivateKey(keyPem), chain, size }).length).toBe(size);
    }
    expect(() => coseSign1(new Uint8Array(50), { algorithm: 'es256', key: createPrivateKey(keyPem), chain, size: 100 })).toThrow(/does not fit/);
  });

  it('takes as ingredients the reference images upstream of the export, each once', () => {
    const pipeline = {
      nodes: [
        { id: 'a', type: 'reference-image', params: { image: 'x/a.png' } },
        { id: 'b', type: 'reference-image', params: { image: 'x/a.png' } },
        { id: 'c', type: 'reference-image', params: { image: 'c.webp' } },
        { id: 'e', type: 'export' },
      ],
      edges: [
        { from: { node: 'a' }, to: { node: 'e' } },
        { from: { node: 'b' }, to: { node: 'e' } },
      ],
    };
    expect(referenceIngredients(pipeline, 'e')).toEqual([{ title: 'a.png', format: 'image/png', relationship: 'inputTo', label: 'reference-1' }]);
    // Without the export node in the document (a run of the node alone): every reference image.
    expect(referenceIngredients(pipeline, 'elsewhere').map((i) => i.title)).toEqual(['a.png', 'c.webp']);
    expect(referenceIngredients(undefined, 'e')).toEqual([]);
  });

  it('keeps the mark inside its box and scales it with the frame', () => {
    expect(watermarkPlacement(1920, 1080, 'bottom-right').scale).toBe(6);
    const frame = new Uint8Array(64 * 20 * 3).fill(10);
    drawWatermark(frame, 64, 20, 'top-left', 1);
    // A frame narrower than the text is drawn clipped, never out of bounds.
    expect(frame.length).toBe(64 * 20 * 3);
    expect(frame.includes(255)).toBe(true);
  });
});
