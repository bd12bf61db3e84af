/**
 * fast-check arbitraries for what a client may send over the socket: valid
 * and hostile `hello`, `run`, `validate`, `cancel`, `subscribe` and `list-runs`, unknown
 * types, extra fields, wrong types, huge ids, non-JSON text, binary frames,
 * extreme nesting, `__proto__` keys, and pipelines from the document
 * arbitraries (cheap ones, so the runs that are accepted stay tiny).
 *
 * Frames are built as text where the exact bytes matter (deep nesting,
 * `__proto__` keys), so nothing re-serialises them on the way.
 */
import fc from 'fast-check';
import {
  hostileKeyArb,
  hostileScalarArb,
  hostileStringArb,
  hostileValueArb,
  longStringArb,
  makeCase,
  missingRequiredParamArb,
  mutatedDocumentArb,
  pipelineShapedArb,
  randomTextArb,
  reservedKeyDocumentArb,
  runnableDocumentArb,
  type PipelineCase,
} from './pipeline-arbitraries.ts';
import { stringifyJson, type Json } from './json-tools.ts';

export interface ClientCase {
  readonly label: string;
  /** Text frames carry a string, binary frames bytes. */
  readonly frame: string | Uint8Array;
}

function clientCase(label: string, frame: string | Uint8Array): ClientCase {
  const result: ClientCase & { [fc.toStringMethod]: () => string } = {
    label,
    frame,
    [fc.toStringMethod]: () => {
      if (typeof frame !== 'string') return `«${label}» binary frame of ${frame.length} bytes: ${Buffer.from(frame.subarray(0, 64)).toString('hex')}`;
      return `«${label}» ${frame.length > 1_500 ? `${frame.slice(0, 1_500)}… (${frame.length} chars in all)` : frame}`;
    },
  };
  return result;
}

/** Run ids shared by run, cancel and subscribe, so that some cancels and subscribes find their run. */
export const SHARED_RUN_IDS = Array.from({ length: 16 }, (_, i) => `fuzz-run-${i}`);

export const runIdArb: fc.Arbitrary<Json> = fc.oneof(
  { weight: 12, arbitrary: fc.constantFrom(...SHARED_RUN_IDS) },
  { weight: 3, arbitrary: fc.stringMatching(/^[A-Za-z0-9_.:-]{1,24}$/) },
  { weight: 1, arbitrary: fc.constantFrom('x'.repeat(100), 'x'.repeat(101), '', 'a b', '__proto__', 'constructor', 'toString', '../x', 'é', '😀', 'id\n', '0') },
  { weight: 1, arbitrary: longStringArb },
  { weight: 1, arbitrary: hostileScalarArb },
);

/** Pipelines as JSON text: cheap mutated documents, cheap runnable ones, random shapes, reserved keys, missing media. */
const pipelineTextArb: fc.Arbitrary<{ label: string; text: string }> = fc
  .oneof(
    { weight: 4, arbitrary: runnableDocumentArb },
    { weight: 4, arbitrary: mutatedDocumentArb({ cheap: true, maxMutations: 3 }) },
    { weight: 1, arbitrary: pipelineShapedArb },
    { weight: 1, arbitrary: reservedKeyDocumentArb },
    { weight: 1, arbitrary: missingRequiredParamArb as fc.Arbitrary<PipelineCase> },
    { weight: 1, arbitrary: hostileValueArb.map((v) => makeCase({ label: 'hostile value as pipeline', text: stringifyJson(v) })) },
  )
  .map((c) => ({ label: c.label, text: c.text }));

/** JSON text to place as is. */
class RawJson {
  constructor(readonly text: string) {}
}

type Entry = [string, RawJson | Json | undefined];

/** `{ "k": v, … }` as text, where a value may be raw JSON text; keys keep their order and may repeat. */
function objectText(entries: Entry[]): string {
  return `{${entries
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => `${JSON.stringify(k)}:${v instanceof RawJson ? v.text : stringifyJson(v)}`)
    .join(',')}}`;
}

/** `arb` in `present` cases out of `present + absent`, else undefined (a field left out). */
function sometimes<T>(arb: fc.Arbitrary<T>, present: number, absent: number): fc.Arbitrary<T | undefined> {
  return fc.oneof({ weight: absent, arbitrary: fc.constant(undefined) }, { weight: present, arbitrary: arb });
}

/** An unexpected extra field, in one message of eight. */
const extraFieldArb = sometimes(fc.tuple(hostileKeyArb, hostileValueArb), 1, 7);

function withExtra(entries: Entry[], extra: [string, Json] | undefined): Entry[] {
  return extra ? [...entries, extra] : entries;
}

const helloArb = fc
  .tuple(
    fc.oneof({ weight: 8, arbitrary: fc.constant<Json>(1) }, { weight: 2, arbitrary: fc.constantFrom<Json>(0, 2, -1, 1.5, '1', null, 1e308, 2 ** 53, 999) }, { weight: 1, arbitrary: hostileValueArb }),
    sometimes(fc.oneof({ weight: 4, arbitrary: fc.string({ maxLength: 40 }) }, { weight: 1, arbitrary: fc.constant('x'.repeat(201)) }, { weight: 1, arbitrary: hostileValueArb }), 1, 1),
    extraFieldArb,
  )
  .map(([version, client, extra]) => clientCase('hello', objectText(withExtra([['type', 'hello'], ['protocolVersion', version], ['client', client]], extra))));

const targetsArb: fc.Arbitrary<Json | undefined> = sometimes(
  fc.oneof(
    { weight: 4, arbitrary: fc.array(fc.constantFrom('prompt', 'shot', 'export', 'join', 'fill', 'mask', 'only', 'camera', 'photo', 'nope', '', '__proto__'), { maxLength: 4 }) },
    { weight: 1, arbitrary: fc.constantFrom<Json>(Array.from({ length: 1_001 }, (_, i) => `n${i}`), ['x'.repeat(65)], 'shot', null, {}, [1, 2]) },
    { weight: 1, arbitrary: hostileValueArb },
  ),
  1,
  5,
);

const runArb = fc
  .tuple(sometimes(runIdArb, 4, 1), pipelineTextArb, targetsArb, sometimes(fc.oneof({ weight: 5, arbitrary: fc.boolean() }, { weight: 1, arbitrary: hostileScalarArb }), 1, 2), extraFieldArb)
  .map(([runId, pipeline, targets, noCache, extra]) =>
    clientCase(
      `run: ${pipeline.label}`,
      objectText(withExtra([['type', 'run'], ['runId', runId], ['pipeline', new RawJson(pipeline.text)], ['targets', targets], ['noCache', noCache]], extra)),
    ),
  );

const validateArb = fc
  .tuple(sometimes(fc.oneof({ weight: 4, arbitrary: fc.string({ maxLength: 30 }) }, { weight: 1, arbitrary: fc.constant('r'.repeat(101)) }, { weight: 1, arbitrary: hostileValueArb }), 2, 1), pipelineTextArb, extraFieldArb)
  .map(([requestId, pipeline, extra]) =>
    clientCase(`validate: ${pipeline.label}`, objectText(withExtra([['type', 'validate'], ['requestId', requestId], ['pipeline', new RawJson(pipeline.text)]], extra))),
  );

const cancelOrSubscribeArb = fc
  .tuple(fc.constantFrom('cancel', 'subscribe'), sometimes(runIdArb, 12, 1), extraFieldArb)
  .map(([type, runId, extra]) => clientCase(type, objectText(withExtra([['type', type], ['runId', runId]], extra))));

const listRunsArb = extraFieldArb.map((extra) => clientCase('list-runs', objectText(withExtra([['type', 'list-runs']], extra))));

const unknownTypeArb = fc
  .tuple(
    fc.oneof(fc.constantFrom<Json>('Hello', 'HELLO', 'ping', 'pong', '', ' hello', 'run ', 'welcome', 'error', 'run.accepted', '__proto__', 'constructor', 'toString'), hostileValueArb),
    fc.dictionary(hostileKeyArb, hostileValueArb, { maxKeys: 3 }),
  )
  .map(([type, rest]) => clientCase('unknown type', objectText([['type', type], ...(Object.entries(rest) as [string, Json][])])));

const notObjectArb = fc.oneof(
  fc.jsonValue({ maxDepth: 3 }).map((v) => clientCase('random JSON', stringifyJson(v))),
  fc.constantFrom<Json>(null, [], [{ type: 'hello', protocolVersion: 1 }], 'hello', 1, true, {}).map((v) => clientCase('not a message object', stringifyJson(v))),
);

const notJsonArb = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 200 }).map((text) => clientCase('random text', text)),
  randomTextArb.map((c) => clientCase(`text: ${c.label}`, c.text)),
  fc
    .constantFrom(
      '', ' ', '{', '}', '{"type":"hello","protocolVersion":1', '{"type":"hello","protocolVersion":1}}', '{"type":"hello","protocolVersion":1}{"type":"hello","protocolVersion":1}',
      "{'type':'hello'}", '{type:"hello"}', '\ufeff{"type":"hello","protocolVersion":1}', '{"type":"hello","protocolVersion":1,}', 'NaN', '{"type":"hello","protocolVersion":NaN}',
      '{"type":"hello","protocolVersion":1e999}', '{"type":"hello","protocolVersion":-0}', '{"type":"hello","protocolVersion":1.0}', '{"type":"hello","type":"run","protocolVersion":1}',
      '{"type":"cancel","runId":"fuzz-run-0","runId":"fuzz-run-1"}',
    )
    .map((text) => clientCase('odd text', text)),
);

const binaryArb = fc.oneof(
  fc.uint8Array({ maxLength: 300 }).map((bytes) => clientCase('random binary', bytes)),
  fc.constantFrom('{"type":"hello","protocolVersion":1}', '{"type":"validate","pipeline":{}}').map((text) => clientCase('a valid message as binary', new TextEncoder().encode(text))),
);

const deepArb = fc
  .tuple(
    fc.oneof(fc.integer({ min: 1, max: 200 }), fc.constantFrom(1_000, 5_000, 20_000, 100_000)),
    fc.constantFrom('validate-pipeline', 'run-pipeline', 'hello-client', 'top', 'run-targets', 'extra-field', 'pipeline-ui'),
    fc.constantFrom('[', '{"a":'),
  )
  .map(([depth, where, open]) => {
    const close = open === '[' ? ']' : '}';
    const deep = `${open.repeat(depth)}1${close.repeat(depth)}`;
    const frames: Record<typeof where, string> = {
      'validate-pipeline': `{"type":"validate","requestId":"deep","pipeline":${deep}}`,
      'run-pipeline': `{"type":"run","pipeline":${deep}}`,
      'hello-client': `{"type":"hello","protocolVersion":1,"client":${deep}}`,
      top: deep,
      'run-targets': `{"type":"run","targets":${deep},"pipeline":{}}`,
      'extra-field': `{"type":"cancel","runId":"fuzz-run-1","deep":${deep}}`,
      'pipeline-ui': `{"type":"validate","pipeline":{"format":"reelgraph.pipeline","version":1,"nodes":[],"ui":${deep}}}`,
    };
    return clientCase(`${depth} levels in ${where}`, frames[where]);
  });

const protoArb = fc.constantFrom(
  '{"type":"hello","protocolVersion":1,"__proto__":{"x":1}}',
  '{"__proto__":{"type":"hello","protocolVersion":1}}',
  '{"__proto__":{"type":"hello"},"protocolVersion":1}',
  '{"type":"cancel","__proto__":{"runId":"fuzz-run-0"}}',
  '{"type":"validate","requestId":"proto","pipeline":{"__proto__":{"format":"reelgraph.pipeline","version":1,"nodes":[]}}}',
  '{"type":"validate","requestId":"proto","pipeline":{"format":"reelgraph.pipeline","version":1,"nodes":[],"__proto__":{"polluted":true}}}',
  '{"type":"run","pipeline":{"format":"reelgraph.pipeline","version":1,"nodes":[{"id":"p","type":"prompt","params":{"text":"x","__proto__":{"text":""}}}]}}',
  '{"type":"run","pipeline":{"format":"reelgraph.pipeline","version":1,"nodes":[{"id":"p","type":"prompt","params":{"text":"x"},"ui":{"x":0,"y":0,"__proto__":{"x":"y"}}}]}}',
  '{"type":"run","pipeline":{"format":"reelgraph.pipeline","version":1,"nodes":[],"assets":{"__proto__":{"name":"x","mime":"image/png"}}}}',
  '{"type":"run","pipeline":{"format":"reelgraph.pipeline","version":1,"nodes":[{"id":"__proto__","type":"prompt","params":{"text":"x"}}]}}',
  '{"type":"run","pipeline":{"format":"reelgraph.pipeline","version":1,"nodes":[{"id":"p","type":"__proto__","params":{}}]}}',
  '{"type":"run","targets":["__proto__"],"pipeline":{"format":"reelgraph.pipeline","version":1,"nodes":[{"id":"p","type":"prompt","params":{"text":"x"}}]}}',
).map((text) => clientCase('__proto__ key', text));

const hugeArb = fc.constantFrom(1_000_000, 4_000_000).map((n) =>
  clientCase(`a ${n}-character message`, `{"type":"validate","requestId":"huge","pipeline":{"format":"reelgraph.pipeline","version":1,"nodes":[],"description":"${'d'.repeat(n)}"}}`),
);

export const clientMessageArb: fc.Arbitrary<ClientCase> = fc.oneof(
  { weight: 20, arbitrary: helloArb },
  { weight: 40, arbitrary: runArb },
  { weight: 25, arbitrary: validateArb },
  { weight: 20, arbitrary: cancelOrSubscribeArb },
  { weight: 3, arbitrary: listRunsArb },
  { weight: 8, arbitrary: unknownTypeArb },
  { weight: 6, arbitrary: notObjectArb },
  { weight: 10, arbitrary: notJsonArb },
  { weight: 5, arbitrary: binaryArb },
  { weight: 5, arbitrary: deepArb },
  { weight: 4, arbitrary: protoArb },
  { weight: 1, arbitrary: hugeArb },
  { weight: 4, arbitrary: hostileStringArb.map((s) => clientCase('hostile string as a message', s)) },
);
