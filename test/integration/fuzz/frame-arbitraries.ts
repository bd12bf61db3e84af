/**
 * fast-check arbitraries for raw WebSocket traffic (RFC 6455 §5.2), sent with
 * encodeFrame from test/support/raw-websocket.ts: random opcodes (reserved
 * ones too), RSV bits, fragments, unmasked frames, control frames over 125
 * bytes, invalid UTF-8, close frames with any code, lying length headers
 * (shorter, longer, past the 64 MiB message limit), and raw garbage between.
 */
import fc from 'fast-check';
import { encodeFrame, type FrameSpec } from '../../support/raw-websocket.ts';

export type Piece = { kind: 'frame'; spec: FrameSpec; label: string } | { kind: 'raw'; bytes: Uint8Array; label: string };

export interface ConnectionScript {
  pieces: Piece[];
  /** What the client does after its pieces: wait (then say hello), close its side, or reset the connection. */
  ending: 'wait' | 'end' | 'reset';
  /** Every frame's header tells the truth and nothing else is sent: the stream stays in step, so the server must answer or close. */
  honest: boolean;
}

const encoder = new TextEncoder();

export const HELLO_BYTES = encoder.encode('{"type":"hello","protocolVersion":1,"client":"raw"}');

const payloadArb: fc.Arbitrary<{ bytes: Uint8Array; label: string }> = fc.oneof(
  { weight: 2, arbitrary: fc.constant({ bytes: new Uint8Array(), label: 'empty' }) },
  {
    weight: 3,
    arbitrary: fc
      .constantFrom('{"type":"hello","protocolVersion":1}', '{"type":"validate","requestId":"raw","pipeline":{}}', '{"type":"cancel","runId":"x"}', '{"type":', 'not json', '{"type":"hello","protocolVersion":1,"__proto__":{}}')
      .map((text) => ({ bytes: encoder.encode(text), label: JSON.stringify(text) })),
  },
  { weight: 3, arbitrary: fc.uint8Array({ maxLength: 200 }).map((bytes) => ({ bytes, label: `${bytes.length} random bytes` })) },
  {
    weight: 2,
    arbitrary: fc
      .constantFrom([0xc3, 0x28], [0xff, 0xfe], [0xed, 0xa0, 0x80], [0xf4, 0x90, 0x80, 0x80], [0xe2, 0x82], [0x7b, 0x22, 0xc0, 0xaf, 0x22, 0x7d], [0xf0, 0x9f, 0x98])
      .map((bytes) => ({ bytes: Uint8Array.from(bytes), label: 'invalid UTF-8' })),
  },
  { weight: 1, arbitrary: fc.integer({ min: 126, max: 300 }).map((n) => ({ bytes: new Uint8Array(n).fill(0x61), label: `${n} bytes (too long for a control frame)` })) },
  {
    weight: 2,
    arbitrary: fc
      .tuple(fc.constantFrom(1000, 1001, 1002, 1003, 1004, 1005, 1006, 1007, 1011, 1015, 999, 2999, 3000, 4999, 5000, 65535, 0), fc.string({ maxLength: 20 }))
      .map(([code, reason]) => {
        const text = encoder.encode(reason);
        const bytes = new Uint8Array(2 + text.length);
        bytes[0] = code >> 8;
        bytes[1] = code & 0xff;
        bytes.set(text, 2);
        return { bytes, label: `close code ${code}` };
      }),
  },
  { weight: 1, arbitrary: fc.constant({ bytes: Uint8Array.from([0x03]), label: 'a one-byte close payload' }) },
  { weight: 1, arbitrary: fc.integer({ min: 65_536, max: 200_000 }).map((n) => ({ bytes: encoder.encode(`{"type":"validate","pipeline":"${'x'.repeat(n)}"}`), label: `a ${n}-byte message` })) },
);

const opcodeArb = fc.oneof(
  { weight: 5, arbitrary: fc.constant(0x1) },
  { weight: 3, arbitrary: fc.constant(0x2) },
  { weight: 2, arbitrary: fc.constant(0x0) },
  { weight: 2, arbitrary: fc.constant(0x8) },
  { weight: 2, arbitrary: fc.constant(0x9) },
  { weight: 2, arbitrary: fc.constant(0xa) },
  { weight: 3, arbitrary: fc.constantFrom(0x3, 0x4, 0x5, 0x6, 0x7, 0xb, 0xc, 0xd, 0xe, 0xf) },
);

/** undefined keeps the header honest; a number lies (in either direction). */
const lieArb = (length: number): fc.Arbitrary<number | undefined> =>
  fc.oneof(
    { weight: 8, arbitrary: fc.constant(undefined) },
    { weight: 1, arbitrary: fc.integer({ min: 0, max: Math.max(0, length - 1) }) },
    { weight: 1, arbitrary: fc.integer({ min: length + 1, max: length + 1_000 }) },
    { weight: 1, arbitrary: fc.constantFrom(125, 126, 127, 65_535, 65_536, 64 * 1024 ** 2, 64 * 1024 ** 2 + 1, 2 ** 32, Number.MAX_SAFE_INTEGER) },
  );

const frameArb: fc.Arbitrary<Piece> = fc
  .tuple(opcodeArb, payloadArb, fc.oneof({ weight: 4, arbitrary: fc.constant(true) }, { weight: 1, arbitrary: fc.constant(false) }), fc.oneof({ weight: 6, arbitrary: fc.constant(0) }, { weight: 1, arbitrary: fc.integer({ min: 1, max: 7 }) }), fc.oneof({ weight: 8, arbitrary: fc.constant(true) }, { weight: 1, arbitrary: fc.constant(false) }))
  .chain(([opcode, payload, fin, rsv, masked]) =>
    lieArb(payload.bytes.length).map((declaredLength): Piece => {
      const spec: FrameSpec = { opcode, payload: payload.bytes, fin, rsv, masked, ...(declaredLength !== undefined ? { declaredLength } : {}) };
      const traits = [`opcode 0x${opcode.toString(16)}`, payload.label, fin ? '' : 'fin=0', rsv ? `rsv=${rsv}` : '', masked ? '' : 'unmasked', declaredLength !== undefined ? `declares ${declaredLength} bytes` : ''];
      return { kind: 'frame', spec, label: traits.filter(Boolean).join(', ') };
    }),
  );

const rawArb: fc.Arbitrary<Piece> = fc.oneof(
  fc.uint8Array({ minLength: 1, maxLength: 64 }).map((bytes): Piece => ({ kind: 'raw', bytes, label: `${bytes.length} raw bytes` })),
  fc.constantFrom([0x81], [0x81, 0xfe], [0x81, 0xff, 0, 0], [0x81, 0x85], [0x82, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff]).map((bytes): Piece => ({ kind: 'raw', bytes: Uint8Array.from(bytes), label: `a partial header ${Buffer.from(bytes).toString('hex')}` })),
);

/** Frames a well-behaved client sends (data messages, pings, pongs), with the payloads above: the connection should stay usable. */
const wellFormedFrameArb: fc.Arbitrary<Piece> = fc
  .tuple(fc.constantFrom(0x1, 0x2, 0x9, 0xa), payloadArb)
  .filter(([opcode, payload]) => opcode < 0x8 || payload.bytes.length <= 125)
  .map(([opcode, payload]): Piece => ({ kind: 'frame', spec: { opcode, payload: payload.bytes }, label: `well-formed opcode 0x${opcode.toString(16)}, ${payload.label}` }));

const pieceArb: fc.Arbitrary<Piece> = fc.oneof({ weight: 5, arbitrary: frameArb }, { weight: 4, arbitrary: wellFormedFrameArb }, { weight: 1, arbitrary: rawArb });

export function pieceBytes(piece: Piece): Uint8Array {
  return piece.kind === 'raw' ? piece.bytes : encodeFrame(piece.spec);
}

function isHonest(piece: Piece): boolean {
  return piece.kind === 'frame' && (piece.spec.declaredLength === undefined || piece.spec.declaredLength === (piece.spec.payload?.length ?? 0));
}

export const connectionScriptArb: fc.Arbitrary<ConnectionScript> = fc
  .tuple(fc.array(pieceArb, { minLength: 1, maxLength: 4 }), fc.oneof({ weight: 6, arbitrary: fc.constant('wait' as const) }, { weight: 1, arbitrary: fc.constantFrom('end' as const, 'reset' as const) }))
  .map(([pieces, ending]) => {
    const script: ConnectionScript & { [fc.toStringMethod]: () => string } = {
      pieces,
      ending,
      honest: pieces.every(isHonest),
      [fc.toStringMethod]: () => `[${pieces.map((p) => p.label).join(' | ')}] then ${ending}${script.honest ? '' : ' (headers lie)'}`,
    };
    return script;
  });

