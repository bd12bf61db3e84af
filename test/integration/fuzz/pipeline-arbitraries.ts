/**
 * fast-check arbitraries for hostile pipeline documents.
 *
 * Most cases start from a real, valid document (the examples, and small
 * graphs of the built-in node kinds at tiny sizes) and apply a few mutations,
 * so they get past the first checks and reach validation, media resolution,
 * planning and, for cheap ones, a real run. The rest are random JSON, random
 * objects, random text and extreme nesting.
 *
 * Every case is a `PipelineCase`: its JSON text (what a file or socket
 * carries), optionally a non-JSON value for the in-process value path, a label
 * saying how it was made, and whether it is cheap enough to run. fast-check
 * prints a case through its label and a preview of the text, never by walking
 * a value that may be thousands of levels deep.
 */
import { createHash } from 'node:crypto';
import { copyFile, mkdir, mkdtemp, symlink, writeFile } from 'node:fs/promises';
import { readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { builtinNodes, type AnyNodeDefinition, type ParamSpec, type PortSpec } from '@reelgraph/nodes';
import { REPO_ROOT } from '../../support/run-cli.ts';
import { cloneJson, nested, setOwn, stringifyJson, type Json, type JsonObject } from './json-tools.ts';


// ───────────────────────────── cases ─────────────────────────────

export interface PipelineCase {
  /** How the case was made: its base and each mutation. */
  readonly label: string;
  /** The document as text; for text-only cases, possibly not JSON at all. */
  readonly text: string;
  /** A value that is not JSON (Maps, null prototypes, NaN, …) for the in-process value path; absent for JSON cases. */
  readonly value?: unknown;
  /** Whether relative media paths resolve in the fuzz pipeline folder (else the document has no folder). */
  readonly withFolder: boolean;
  /** Built so that a run stays tiny (≤ 96 px, ≤ 0.5 s): safe to execute. */
  readonly cheap: boolean;
}

const PREVIEW_CHARS = 1_500;

export function makeCase(fields: { label: string; text: string; value?: unknown; withFolder?: boolean; cheap?: boolean }): PipelineCase {
  const result: PipelineCase & { [fc.toStringMethod]: () => string } = {
    label: fields.label,
    text: fields.text,
    ...(fields.value !== undefined ? { value: fields.value } : {}),
    withFolder: fields.withFolder ?? false,
    cheap: fields.cheap ?? false,
    [fc.toStringMethod]: () => describeCase(result),
  };
  return result;
}

export function describeCase(c: PipelineCase): string {
  const text = c.text.length > PREVIEW_CHARS ? `${c.text.slice(0, PREVIEW_CHARS)}… (${c.text.length} chars in all)` : c.text;
  return `«${c.label}»${c.withFolder ? ' [with folder]' : ''}${c.value !== undefined ? ' [non-JSON value]' : ''}\n${text}`;
}

function jsonCase(label: string, document: unknown, options: { withFolder?: boolean; cheap?: boolean } = {}): PipelineCase {
  return makeCase({ label, text: stringifyJson(document), ...options });
}

// ───────────────────────────── media ─────────────────────────────

interface MediaFile {
  /** Path relative to a pipeline folder. */
  relative: string;
  name: string;
  mime: string;
  base64: string;
  ref: string;
  kind: 'image' | 'video';
}

function readMedia(example: string, file: string, mime: string, kind: 'image' | 'video'): MediaFile {
  const bytes = readFileSync(path.join(REPO_ROOT, 'examples', example, 'media', file));
  return {
    relative: `media/${file}`,
    name: file,
    mime,
    base64: bytes.toString('base64'),
    ref: `sha256:${createHash('sha256').update(bytes).digest('hex')}`,
    kind,
  };
}

export const MEDIA = {
  photo: readMedia('reference-photo', 'lake-at-dusk.jpg', 'image/jpeg', 'image'),
  clipA: readMedia('two-clips', 'clip-a.mp4', 'video/mp4', 'video'),
  clipB: readMedia('two-clips', 'clip-b.mp4', 'video/mp4', 'video'),
};
const MEDIA_FILES = Object.values(MEDIA);

/** Bytes that are no picture and no video, embedded under their true hash. */
const NOT_MEDIA = (() => {
  const bytes = Buffer.from('just some text, not a picture\n');
  return { base64: bytes.toString('base64'), ref: `sha256:${createHash('sha256').update(bytes).digest('hex')}` };
})();

function assetEntry(file: MediaFile): JsonObject {
  return { name: file.name, mime: file.mime, data: file.base64 };
}

/**
 * A pipeline folder for cases `withFolder`: the example media under `media/`,
 * a text file, a subfolder, and symbolic links that lead out of the folder
 * (`media/escape.jpg` → /etc/passwd, `media/outside` → the temp dir's parent).
 */
export async function createPipelineFolder(): Promise<string> {
  const folder = await mkdtemp(path.join(tmpdir(), 'reelgraph-fuzz-folder-'));
  await mkdir(path.join(folder, 'media', 'sub'), { recursive: true });
  for (const [example, file] of [
    ['reference-photo', 'lake-at-dusk.jpg'],
    ['two-clips', 'clip-a.mp4'],
    ['two-clips', 'clip-b.mp4'],
  ] as const) {
    await copyFile(path.join(REPO_ROOT, 'examples', example, 'media', file), path.join(folder, 'media', file));
  }
  await writeFile(path.join(folder, 'notes.txt'), 'not media\n');
  await symlink('/etc/passwd', path.join(folder, 'media', 'escape.jpg')).catch(() => undefined);
  await symlink(path.dirname(folder), path.join(folder, 'media', 'outside')).catch(() => undefined);
  await symlink('../lake-at-dusk.jpg', path.join(folder, 'media', 'sub', 'inside.jpg')).catch(() => undefined);
  return folder;
}

// ───────────────────────────── the catalog ─────────────────────────────

const KINDS: readonly AnyNodeDefinition[] = builtinNodes;
const KIND_BY_TYPE = new Map(KINDS.map((k) => [k.type, k]));
export const NODE_TYPES = KINDS.map((k) => k.type);

function paramsOf(type: string): Record<string, ParamSpec> {
  return (KIND_BY_TYPE.get(type)?.params ?? {}) as Record<string, ParamSpec>;
}
function inputsOf(type: string): Record<string, PortSpec> {
  return (KIND_BY_TYPE.get(type)?.inputs ?? {}) as Record<string, PortSpec>;
}
function outputsOf(type: string): Record<string, PortSpec> {
  return (KIND_BY_TYPE.get(type)?.outputs ?? {}) as Record<string, PortSpec>;
}
const ALL_PARAM_NAMES = [...new Set(KINDS.flatMap((k) => Object.keys(k.params as object)))];
const ALL_PORT_NAMES = [...new Set(KINDS.flatMap((k) => [...Object.keys(k.inputs as object), ...Object.keys(k.outputs as object)]))];

/** The required file params of a node kind (`reference-image.image`, `load-video.video`). */
export function requiredFileParams(type: string): string[] {
  return Object.entries(paramsOf(type))
    .filter(([, spec]) => spec.kind === 'file' && spec.required)
    .map(([name]) => name);
}

/**
 * The nodes of a document with a required file param that is absent or empty
 * (a node without a params record counts as absent). Validation should refuse
 * every one of them.
 */
export function missingRequiredFileParams(document: { nodes: { id: string; type: string; params?: Record<string, unknown> }[] }): { nodeId: string; param: string }[] {
  const missing: { nodeId: string; param: string }[] = [];
  for (const node of document.nodes) {
    for (const name of requiredFileParams(node.type)) {
      const params = node.params ?? {};
      const value = Object.hasOwn(params, name) ? params[name] : undefined;
      if (value === undefined || value === '') missing.push({ nodeId: node.id, param: name });
    }
  }
  return missing;
}

// ───────────────────────────── paths in a document ─────────────────────────────

type PathStep = string | number;

interface PathEntry {
  parent: number;
  key: PathStep | undefined;
  value: Json;
}

type PathFilter = 'any' | 'not-root' | 'object' | 'named';

/**
 * A path to one value of the document, picked by `pick` among those the
 * filter allows (breadth first, at most `limit` values looked at): 'named'
 * are values under an object key, 'object' are objects. Paths are built only
 * for the pick, so a document thousands of levels deep stays cheap.
 */
function pickPath(root: Json, pick: number, filter: PathFilter = 'any', limit = 4_000): PathStep[] | undefined {
  const entries: PathEntry[] = [{ parent: -1, key: undefined, value: root }];
  for (let i = 0; i < entries.length && entries.length < limit; i++) {
    const value = entries[i]!.value;
    if (value === null || typeof value !== 'object') continue;
    if (Array.isArray(value)) value.forEach((child, index) => entries.push({ parent: i, key: index, value: child }));
    else for (const key of Object.keys(value)) entries.push({ parent: i, key, value: value[key]! });
  }
  const allowed = entries
    .map((entry, index) => ({ entry, index }))
    .filter(({ entry, index }) => {
      if (filter === 'not-root') return index > 0;
      if (filter === 'named') return typeof entry.key === 'string';
      if (filter === 'object') return entry.value !== null && typeof entry.value === 'object' && !Array.isArray(entry.value);
      return true;
    });
  const chosen = pickFrom(allowed, pick);
  if (!chosen) return undefined;
  const at: PathStep[] = [];
  for (let i = chosen.index; i > 0; i = entries[i]!.parent) at.unshift(entries[i]!.key!);
  return at;
}

function getAt(root: Json, at: readonly PathStep[]): Json | undefined {
  let current: Json | undefined = root;
  for (const step of at) {
    if (current === null || typeof current !== 'object') return undefined;
    current = Array.isArray(current) ? current[step as number] : Object.hasOwn(current, step) ? current[step as string] : undefined;
  }
  return current;
}

function showPath(at: readonly PathStep[]): string {
  if (at.length === 0) return '(root)';
  return at
    .map((step) => (typeof step === 'number' ? `[${step}]` : /^[A-Za-z_][A-Za-z0-9_-]*$/.test(step) ? `.${step}` : `.${preview(step, 30)}`))
    .join('')
    .replace(/^\./, '');
}

function preview(text: string, max: number): string {
  const shown = JSON.stringify(text.length > max ? `${text.slice(0, max)}…` : text);
  return text.length > max ? `${shown}(${text.length} chars)` : shown;
}

export function showValue(value: Json): string {
  const text = stringifyJson(value);
  return text.length > 60 ? `${text.slice(0, 60)}…(${text.length} chars)` : text;
}

// ───────────────────────────── hostile values ─────────────────────────────

const SPECIAL_STRINGS = [
  '', ' ', '\t', '\n', '\r\n', '\u0000', 'a\u0000b', '\u0007\u001b[31m', '\u007f', '\u200b', '\u202e', '\ufeff', '\ud800', '\udfff', '\uffff',
  'é', 'e\u0301', '😀', '👩‍👩‍👧', 'Ω≈ç√∫', '中文字符', 'עברית', '𝕳𝖊𝖑𝖑𝖔', 'İ', 'ß',
  'NaN', 'Infinity', '-Infinity', '1e308', '-1', '0', '512', '0x200', '1_000', ' 64 ', '1,5', '١٢٣',
  'null', 'true', 'undefined', '{}', '[]', '"', '\\', '\\u0000', '%s%s%s', '%n', '${process.exit()}', '{{x}}',
  '<script>alert(1)</script>', "'; DROP TABLE nodes; --", '../..', '/etc/passwd', 'C:\\x', 'sha256:',
  '__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty',
];

const LONG_LENGTHS = [64, 65, 100, 101, 200, 201, 255, 256, 1_000, 1_001, 10_000, 10_001, 100_001];

export const longStringArb: fc.Arbitrary<string> = fc
  .tuple(fc.constantFrom('a', 'x', 'é', '😀', '\u0000', ' ', 'ab/', '\u202e'), fc.constantFrom(...LONG_LENGTHS))
  .map(([unit, length]) => unit.repeat(Math.ceil(length / unit.length)).slice(0, length));

export const hostileStringArb: fc.Arbitrary<string> = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...SPECIAL_STRINGS) },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 24 }) },
  { weight: 2, arbitrary: fc.string({ unit: 'grapheme', maxLength: 24 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary-ascii', maxLength: 24 }) },
  { weight: 1, arbitrary: longStringArb },
);

const HOSTILE_NUMBERS: Json[] = [
  0, -0, 1, -1, 0.5, -0.5, 0.1, 1e308, -1e308, 1.7976931348623157e308, 5e-324, -5e-324, 2 ** 31 - 1, 2 ** 31, 2 ** 32 - 1, 2 ** 32,
  2 ** 53 - 1, 2 ** 53, 2 ** 53 + 2, -(2 ** 53), 1e21, 1e100, 123.456, 63.999999999, 64.00000001,
];

export const hostileScalarArb: fc.Arbitrary<Json> = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom<Json>(null, true, false, ...HOSTILE_NUMBERS) },
  { weight: 2, arbitrary: fc.double({ noNaN: true, noDefaultInfinity: true }) },
  { weight: 1, arbitrary: fc.integer() },
  { weight: 3, arbitrary: hostileStringArb },
);

export const depthArb: fc.Arbitrary<number> = fc.oneof(
  { weight: 3, arbitrary: fc.integer({ min: 1, max: 80 }) },
  { weight: 1, arbitrary: fc.constantFrom(63, 64, 65, 66, 128, 256, 999, 1_000, 1_001) },
  { weight: 2, arbitrary: fc.integer({ min: 80, max: 4_000 }) },
);

const nestedArb: fc.Arbitrary<Json> = fc
  .tuple(depthArb, fc.constantFrom('object' as const, 'array' as const, 'mixed' as const), hostileScalarArb)
  .map(([depth, shape, leaf]) => nested(depth, shape, leaf));

export const hostileValueArb: fc.Arbitrary<Json> = fc.oneof(
  { weight: 6, arbitrary: hostileScalarArb },
  { weight: 1, arbitrary: fc.constantFrom<Json>([], {}, [null], [[[]]], { x: 1 }, [1, 2, 3], { '': '' }, [{}], { x: 1, y: 2 }) },
  { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 3 }) as fc.Arbitrary<Json> },
  { weight: 1, arbitrary: nestedArb },
);

export const hostileKeyArb: fc.Arbitrary<string> = fc.oneof(
  {
    weight: 3,
    arbitrary: fc.constantFrom(
      '__proto__', 'constructor', 'prototype', 'toString', 'valueOf', 'hasOwnProperty', '__defineGetter__', 'isPrototypeOf',
      '', ' ', '0', '-1', 'length', 'x', 'nodes', 'format', 'type', 'id', 'then', '\u0000', '\n', 'é', '😀', '\u202e',
    ),
  },
  { weight: 1, arbitrary: fc.constantFrom(...ALL_PARAM_NAMES, ...ALL_PORT_NAMES) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 12 }) },
  { weight: 1, arbitrary: longStringArb },
);

const validIdArb = fc.stringMatching(/^[A-Za-z0-9_][A-Za-z0-9_.-]{0,15}$/);

export const hostileIdArb: fc.Arbitrary<string> = fc.oneof(
  { weight: 2, arbitrary: validIdArb },
  { weight: 2, arbitrary: fc.constantFrom('__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', '.', '-', '..', '_', 'a b', 'a/b', 'a\u0000b', 'x'.repeat(64), 'x'.repeat(65), '') },
  { weight: 2, arbitrary: hostileStringArb },
);

/** What a file param may be given: hostile paths, lying asset names, the real media. */
export const hostilePathArb: fc.Arbitrary<string> = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.constantFrom(
      '../x', '../../../../etc/passwd', '/etc/passwd', '/dev/zero', '/dev/stdin', '/proc/self/environ', 'C:\\x', 'C:/x', 'c:x', '\\\\server\\share\\x.png',
      'a\u0000b', 'media/lake-at-dusk.jpg\u0000.png', 'media/../../x', 'media/../media/lake-at-dusk.jpg', './media/lake-at-dusk.jpg', 'media//lake-at-dusk.jpg',
      'media/lake-at-dusk.jpg/', 'media/lake-at-dusk.jpg/..', 'media', 'media/', '.', '..', './', '', ' ', 'media/escape.jpg', 'media/outside',
      'media/sub/inside.jpg', 'media/lake-at-dusk.jpg\n', 'file:///etc/passwd', 'http://127.0.0.1:1/x.png', '~/x.png', '%2e%2e/x', '..%2fx',
      'media/clip-a.mp4', 'media/lake-at-dusk.jpg', 'media/clip-b.mp4', 'notes.txt', 'media/missing.jpg', 'MEDIA/LAKE-AT-DUSK.JPG', 'media\\lake-at-dusk.jpg',
      'é/ü.png', '\u202egpj.exe', 'x'.repeat(5_000) + '.png',
    ),
  },
  {
    weight: 3,
    arbitrary: fc.constantFrom(
      MEDIA.photo.ref, MEDIA.clipA.ref, MEDIA.clipB.ref, NOT_MEDIA.ref, `sha256:${'a'.repeat(64)}`, `sha256:${'A'.repeat(64)}`, 'sha256:xyz',
      `sha256:${'0'.repeat(63)}`, `sha256:${'0'.repeat(65)}`, `SHA256:${MEDIA.photo.ref.slice(7)}`, `${MEDIA.photo.ref}\n`, ` ${MEDIA.photo.ref}`,
      'sha256:../../etc/passwd', 'sha256:__proto__',
    ),
  },
  { weight: 1, arbitrary: hostileStringArb },
);

/** Values for a param of this spec: its edges, just past them, wrong kinds, and hostile values. */
function paramValueArb(spec: ParamSpec): fc.Arbitrary<Json> {
  switch (spec.kind) {
    case 'int':
    case 'number':
    case 'seed':
      return fc.oneof(
        { weight: 3, arbitrary: fc.constantFrom<Json>(spec.min, spec.max, spec.min - 1, spec.max + 1, spec.min + 0.5, spec.max * 10, -spec.max, `${spec.min}`, spec.default) },
        { weight: 2, arbitrary: fc.double({ min: spec.min, max: spec.max, noNaN: true }) },
        { weight: 2, arbitrary: hostileValueArb },
      );
    case 'select':
      return fc.oneof(
        { weight: 2, arbitrary: fc.constantFrom<Json>(...spec.options) },
        { weight: 1, arbitrary: fc.constantFrom<Json>(...spec.options.map((o) => o.toUpperCase()), ...spec.options.map((o) => ` ${o}`), [...spec.options]) },
        { weight: 2, arbitrary: hostileValueArb },
      );
    case 'bool':
      return fc.oneof(fc.boolean(), fc.constantFrom<Json>('true', 'false', 0, 1, null, []), hostileValueArb);
    case 'text':
      return fc.oneof(
        { weight: 3, arbitrary: hostileStringArb },
        { weight: 1, arbitrary: fc.constantFrom('x'.repeat(spec.maxLength), 'x'.repeat(spec.maxLength + 1), '0s: a | 1s: b', '5s: a | 1s: b', '-1s: a', 'abc: x', '1:99: y') },
        { weight: 1, arbitrary: hostileValueArb },
      );
    case 'file':
      return fc.oneof({ weight: 4, arbitrary: hostilePathArb }, { weight: 1, arbitrary: hostileValueArb });
    case 'model':
      return fc.oneof(
        fc.constantFrom<Json>(spec.default, 'reelgraph/unknown', 'a/b', 'reelgraph/procedural-field ', 'REELGRAPH/PROCEDURAL-FIELD', '', 'constructor', '__proto__'),
        hostileValueArb,
      );
    case 'json':
      return fc.oneof(
        { weight: 1, arbitrary: fc.constant(spec.default as Json) },
        { weight: 3, arbitrary: keyframesArb },
        { weight: 2, arbitrary: hostileValueArb },
      );
  }
}

const keyframeFieldArb: fc.Arbitrary<Json> = fc.oneof(
  { weight: 4, arbitrary: fc.double({ min: -3, max: 3, noNaN: true }) },
  { weight: 1, arbitrary: hostileScalarArb },
);

/** Keyframe lists for camera moves and mask regions: plausible, out of order, out of range, malformed, too many. */
const keyframesArb: fc.Arbitrary<Json> = fc.oneof(
  fc.array(
    fc.record(
      { time: keyframeFieldArb, x: keyframeFieldArb, y: keyframeFieldArb, zoom: keyframeFieldArb, roll: keyframeFieldArb, width: keyframeFieldArb, height: keyframeFieldArb },
      { requiredKeys: [] },
    ),
    { maxLength: 5 },
  ) as fc.Arbitrary<Json>,
  fc.integer({ min: 60, max: 70 }).map((count) => Array.from({ length: count }, (_, i) => ({ time: i * 0.01, x: 0.5, y: 0.5, width: 0.4, height: 0.5 }))),
  fc.constantFrom<Json>(
    [{ time: 0, x: 0.5, y: 0.5, width: 0.4, height: 0.5 }],
    [{ time: 0, zoom: 1, x: 0, y: 0, roll: 0 }, { time: 0.4, zoom: 2, x: 0.1, y: 0, roll: 10 }],
    [{ time: 0.4, zoom: 1, x: 0, y: 0, roll: 0 }, { time: 0.1, zoom: 1, x: 0, y: 0, roll: 0 }],
    [{ time: 0, zoom: 0, x: 0, y: 0, roll: 0 }],
    [{ time: 0, x: 0.5, y: 0.5, width: 0.4, height: 0.5, extra: 1 }],
    [{ time: 0, x: 0.5, y: 0.5, width: 0.4, height: 0.5 }, null],
    [{ time: 0, x: '0.5', y: 0.5, width: 0.4, height: 0.5 }],
    [[0, 0.5, 0.5, 0.4, 0.5]],
  ),
);

// ───────────────────────────── base documents ─────────────────────────────

export interface BaseDocument {
  label: string;
  document: JsonObject;
  /** Relative media paths in it need the pipeline folder. */
  needsFolder: boolean;
  cheap: boolean;
}

function readExamples(): { name: string; document: JsonObject }[] {
  const dir = path.join(REPO_ROOT, 'examples');
  return readdirSync(dir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .flatMap((entry) =>
      readdirSync(path.join(dir, entry.name))
        .filter((file) => file.endsWith('.reel.json'))
        .map((file) => ({ name: `${entry.name}/${file}`, document: JSON.parse(readFileSync(path.join(dir, entry.name, file), 'utf8')) as JsonObject })),
    );
}

/** The document with its `media/…` params swapped for embedded assets, as the editor sends it. */
function embedMedia(document: JsonObject): JsonObject {
  const copy = cloneJson(document);
  const assets: JsonObject = { ...((copy.assets as JsonObject | undefined) ?? {}) };
  for (const node of copy.nodes as JsonObject[]) {
    const params = node.params as JsonObject;
    for (const [name, value] of Object.entries(params)) {
      const file = MEDIA_FILES.find((m) => m.relative === value);
      if (!file) continue;
      params[name] = file.ref;
      assets[file.ref] = assetEntry(file);
    }
  }
  copy.assets = assets;
  return copy;
}

function usesRelativeMedia(document: JsonObject): boolean {
  return (document.nodes as JsonObject[]).some((node) => Object.values(node.params as JsonObject).some((v) => typeof v === 'string' && v.startsWith('media/')));
}

const EXAMPLE_BASES: BaseDocument[] = readExamples().flatMap(({ name, document }) => {
  const relative = usesRelativeMedia(document);
  const bases: BaseDocument[] = [{ label: `example ${name}`, document, needsFolder: relative, cheap: false }];
  if (relative) bases.push({ label: `example ${name} (media embedded)`, document: embedMedia(document), needsFolder: false, cheap: false });
  return bases;
});

/** The cost params of each kind, and the most a cheap run allows. */
const COST_LIMITS: Record<string, Record<string, number>> = {
  generate: { width: 96, height: 96, duration: 0.5, fps: 24 },
  mask: { width: 96, height: 96, duration: 0.5, fps: 24 },
  'reference-image': { width: 96, height: 96 },
  'load-video': { end: 0.5 },
  export: { fps: 30 },
};

/**
 * Makes a document cheap to run, by construction: every cost param of a known
 * kind that is absent (its default is large) or a number above the cheap limit
 * is set to the limit; hostile non-numbers stay as they are, so validation
 * still sees them. Returns the same object, changed in place.
 */
export function cheapen(document: Json): Json {
  if (document === null || typeof document !== 'object' || Array.isArray(document) || !Array.isArray(document.nodes)) return document;
  for (const node of document.nodes) {
    if (node === null || typeof node !== 'object' || Array.isArray(node) || typeof node.type !== 'string') continue;
    const limits = Object.hasOwn(COST_LIMITS, node.type) ? COST_LIMITS[node.type]! : undefined;
    if (!limits) continue;
    if (node.params === undefined) node.params = {};
    const params = node.params;
    if (params === null || typeof params !== 'object' || Array.isArray(params)) continue;
    for (const [name, limit] of Object.entries(limits)) {
      const value = Object.hasOwn(params, name) ? params[name] : undefined;
      if (value === undefined || (typeof value === 'number' && (value > limit || (name === 'end' && value === 0)))) params[name] = limit;
    }
  }
  // Thousands of nodes are cheap to validate but not to run.
  if (document.nodes.length > 40) document.nodes = document.nodes.slice(0, 40);
  return document;
}

const SIZE_ARB = fc.constantFrom(64, 72, 80, 88, 96);
const DURATION_ARB = fc.constantFrom(0.1, 0.2, 0.25, 0.4, 0.5);

const promptTextArb = fc.oneof(
  fc.constantFrom('sunset over the ocean', 'a misty forest at dawn', 'neon city at night', '夜の東京', 'ein Schloss im Nebel 🏰'),
  fc.string({ unit: 'grapheme', minLength: 1, maxLength: 30 }).map((s) => `a ${s}`),
);

const generateParamsArb = fc.record(
  {
    width: SIZE_ARB,
    height: SIZE_ARB,
    duration: DURATION_ARB,
    fps: fc.integer({ min: 1, max: 24 }),
    seed: fc.nat({ max: 2 ** 32 - 1 }),
    strength: fc.double({ min: 0, max: 1, noNaN: true }),
  },
  { requiredKeys: ['width', 'height', 'duration', 'fps'] },
);

/** Spec-driven valid values for the params that cost nothing (select, bool, seed, model). */
function cheapParamsArb(type: string, skip: readonly string[] = []): fc.Arbitrary<JsonObject> {
  const entries: Record<string, fc.Arbitrary<Json>> = {};
  for (const [name, spec] of Object.entries(paramsOf(type))) {
    if (skip.includes(name)) continue;
    if (spec.kind === 'select') entries[name] = fc.constantFrom<Json>(...spec.options);
    else if (spec.kind === 'bool') entries[name] = fc.boolean();
    else if (spec.kind === 'seed') entries[name] = fc.nat({ max: spec.max });
    else if (spec.kind === 'model') entries[name] = fc.constant<Json>(spec.default);
  }
  return fc.record(entries, { requiredKeys: [] }) as fc.Arbitrary<JsonObject>;
}

const exportParamsArb = fc
  .tuple(
    cheapParamsArb('export'),
    fc.record(
      {
        quality: fc.integer({ min: 1, max: 100 }),
        fps: fc.constantFrom(0, 12, 24, 30),
        filename: fc.oneof(fc.constantFrom('clip', '../../escape', '/etc/x', 'C:\\x', '..', '.hidden', 'CON', 'a/b/c', 'x.mp4', '', ' '), hostileStringArb.map((s) => s.slice(0, 200))),
      },
      { requiredKeys: [] },
    ),
  )
  .map(([a, b]) => ({ ...a, ...b }));

interface GraphChoices {
  suffix: string;
  prompt: string;
  shot: JsonObject;
  camera: JsonObject | undefined;
  reference: { params: JsonObject; media: MediaFile } | undefined;
  extra: 'none' | 'concat' | 'mask-inpaint' | 'inpaint' | 'load-video' | 'mask-only';
  second: JsonObject;
  concat: JsonObject;
  mask: JsonObject;
  inpaint: JsonObject;
  exported: JsonObject | undefined;
  embedded: boolean;
}

/** A small valid graph of the built-in kinds, tiny sizes throughout. */
export const smallGraphArb: fc.Arbitrary<BaseDocument> = fc
  .record({
    suffix: fc.oneof(fc.constant(''), fc.stringMatching(/^[A-Za-z0-9_.-]{1,6}$/).map((s) => `-${s}`)),
    prompt: promptTextArb,
    shot: fc.tuple(generateParamsArb, cheapParamsArb('generate')).map(([a, b]) => ({ ...b, ...a })),
    camera: fc.option(cheapParamsArb('camera-move'), { nil: undefined }),
    reference: fc.option(
      fc.record({
        params: fc.tuple(fc.record({ width: fc.integer({ min: 16, max: 96 }), height: fc.integer({ min: 16, max: 96 }) }), cheapParamsArb('reference-image')).map(([a, b]) => ({ ...b, ...a })),
        media: fc.constant(MEDIA.photo),
      }),
      { nil: undefined },
    ),
    extra: fc.constantFrom('none' as const, 'concat' as const, 'mask-inpaint' as const, 'inpaint' as const, 'load-video' as const, 'mask-only' as const),
    second: fc.tuple(generateParamsArb, cheapParamsArb('generate')).map(([a, b]) => ({ ...b, ...a })),
    concat: fc.record({ transition: fc.constantFrom('cut', 'crossfade', 'fade-black'), duration: fc.constantFrom(0, 0.05, 0.1, 0.2) }, { requiredKeys: [] }),
    mask: fc.tuple(cheapParamsArb('mask'), fc.record({ feather: fc.integer({ min: 0, max: 20 }) }, { requiredKeys: [] })).map(([a, b]) => ({ ...a, ...b })),
    inpaint: fc.tuple(cheapParamsArb('inpaint'), fc.record({ feather: fc.integer({ min: 0, max: 20 }) }, { requiredKeys: [] })).map(([a, b]) => ({ ...a, ...b })),
    exported: fc.option(exportParamsArb, { nil: undefined }),
    embedded: fc.boolean(),
  })
  .map((c: GraphChoices): BaseDocument => {
    const nodes: JsonObject[] = [];
    const edges: JsonObject[] = [];
    const assets: JsonObject = {};
    const id = (base: string) => `${base}${c.suffix}`;
    const add = (base: string, type: string, params: JsonObject) => {
      nodes.push({ id: id(base), type, params, ui: { x: nodes.length * 200, y: 0 } });
      return id(base);
    };
    const wire = (from: string, fromPort: string, to: string, toPort: string) => edges.push({ from: { node: from, port: fromPort }, to: { node: to, port: toPort } });
    const media = (file: MediaFile) => {
      if (!c.embedded) return file.relative;
      assets[file.ref] = assetEntry(file);
      return file.ref;
    };

    const prompt = add('prompt', 'prompt', { text: c.prompt });
    const shot = add('shot', 'generate', { ...c.shot });
    wire(prompt, 'prompt', shot, 'prompt');
    if (c.camera) wire(add('camera', 'camera-move', { ...c.camera }), 'camera', shot, 'camera');
    if (c.reference) wire(add('photo', 'reference-image', { ...c.reference.params, image: media(c.reference.media) }), 'image', shot, 'reference');
    let last = shot;
    switch (c.extra) {
      case 'concat': {
        const second = add('shot2', 'generate', { ...c.second });
        wire(prompt, 'prompt', second, 'prompt');
        last = add('join', 'concat', { ...c.concat });
        wire(shot, 'video', last, 'clip1');
        wire(second, 'video', last, 'clip2');
        break;
      }
      case 'load-video': {
        const clip = add('clip', 'load-video', { video: media(MEDIA.clipA), end: 0.5 });
        last = add('join', 'concat', { ...c.concat });
        wire(shot, 'video', last, 'clip1');
        wire(clip, 'video', last, 'clip2');
        break;
      }
      case 'mask-inpaint': {
        const mask = add('mask', 'mask', { ...c.mask });
        wire(shot, 'video', mask, 'video');
        last = add('fill', 'inpaint', { ...c.inpaint });
        wire(shot, 'video', last, 'video');
        wire(mask, 'mask', last, 'mask');
        wire(prompt, 'prompt', last, 'prompt');
        break;
      }
      case 'inpaint':
        last = add('fill', 'inpaint', { ...c.inpaint });
        wire(shot, 'video', last, 'video');
        wire(prompt, 'prompt', last, 'prompt');
        break;
      case 'mask-only':
        add('mask', 'mask', { ...c.mask, width: 64, height: 48, duration: 0.25, fps: 8 });
        break;
      case 'none':
        break;
    }
    if (c.exported) wire(last, 'video', add('export', 'export', { ...c.exported }), 'video');
    const document: JsonObject = { format: 'reelgraph.pipeline', version: 1, name: 'fuzz graph', nodes, edges };
    if (Object.keys(assets).length > 0) document.assets = assets;
    const needsFolder = !c.embedded && (c.reference !== undefined || c.extra === 'load-video');
    const parts = [c.reference ? 'reference' : '', c.camera ? 'camera' : '', c.extra, c.exported ? 'export' : ''].filter(Boolean);
    return { label: `small graph (${parts.join(', ')}${c.embedded ? ', embedded media' : ''})`, document, needsFolder, cheap: true };
  });

/** Single nodes with a required file param: the smallest documents that need media. */
const fileNodeBases: BaseDocument[] = (
  [
    ['reference-image', 'image', MEDIA.photo, { width: 32, height: 32 }],
    ['load-video', 'video', MEDIA.clipB, { end: 0.25 }],
  ] as const
).map(([type, param, file, rest]) => ({
  label: `one ${type} node (media embedded)`,
  document: {
    format: 'reelgraph.pipeline',
    version: 1,
    nodes: [{ id: 'only', type, params: { ...rest, [param]: file.ref } }],
    assets: { [file.ref]: assetEntry(file) },
  },
  needsFolder: false,
  cheap: true,
}));

export const exampleBaseArb: fc.Arbitrary<BaseDocument> = fc.constantFrom(...EXAMPLE_BASES);

/** Valid starting points: examples (full size) and small graphs. */
export const baseDocumentArb: fc.Arbitrary<BaseDocument> = fc.oneof(
  { weight: 2, arbitrary: exampleBaseArb },
  { weight: 4, arbitrary: smallGraphArb },
  { weight: 1, arbitrary: fc.constantFrom(...fileNodeBases) },
);

/** Valid starting points that are cheap to run (examples shrunk to tiny sizes, small graphs). */
export const cheapBaseDocumentArb: fc.Arbitrary<BaseDocument> = fc.oneof(
  { weight: 1, arbitrary: exampleBaseArb.map((base) => ({ ...base, label: `${base.label}, made tiny`, document: cheapen(cloneJson(base.document)) as JsonObject, cheap: true })) },
  { weight: 4, arbitrary: smallGraphArb },
  { weight: 1, arbitrary: fc.constantFrom(...fileNodeBases) },
);

// ───────────────────────────── mutations ─────────────────────────────

/** One change to a document, in place; returns the new root and says what it did. */
export interface Mutation {
  apply(document: Json, log: string[]): Json;
}

function mutation(apply: (document: Json, log: string[]) => Json): Mutation {
  return { apply };
}

function nodesOf(document: Json): JsonObject[] {
  if (document === null || typeof document !== 'object' || Array.isArray(document) || !Array.isArray(document.nodes)) return [];
  return document.nodes.filter((n): n is JsonObject => n !== null && typeof n === 'object' && !Array.isArray(n));
}

function edgesOf(document: Json): Json[] | undefined {
  if (document === null || typeof document !== 'object' || Array.isArray(document)) return undefined;
  if (!Array.isArray(document.edges)) document.edges = [];
  return document.edges as Json[];
}

function pickFrom<T>(items: readonly T[], pick: number): T | undefined {
  return items.length === 0 ? undefined : items[pick % items.length];
}

function parentAndKey(root: Json, at: PathStep[]): { parent: Json[] | JsonObject; key: PathStep } | undefined {
  if (at.length === 0) return undefined;
  const parent = getAt(root, at.slice(0, -1));
  if (parent === null || typeof parent !== 'object') return undefined;
  return { parent, key: at[at.length - 1]! };
}

function setAt(root: Json, at: PathStep[], value: Json): Json {
  const place = parentAndKey(root, at);
  if (!place) return value;
  if (Array.isArray(place.parent)) place.parent[place.key as number] = value;
  else setOwn(place.parent, place.key as string, value);
  return root;
}

const genericMutationArb: fc.Arbitrary<Mutation> = fc.oneof(
  fc.nat().map((pick) =>
    mutation((doc, log) => {
      const at = pickPath(doc, pick, 'not-root');
      const place = at && parentAndKey(doc, at);
      if (!at || !place) return doc;
      if (Array.isArray(place.parent)) place.parent.splice(place.key as number, 1);
      else delete place.parent[place.key as string];
      log.push(`delete ${showPath(at)}`);
      return doc;
    }),
  ),
  fc.tuple(fc.nat(), hostileValueArb).map(([pick, value]) =>
    mutation((doc, log) => {
      const at = pickPath(doc, pick) ?? [];
      log.push(`set ${showPath(at)} to ${showValue(value)}`);
      return setAt(doc, at, cloneJson(value));
    }),
  ),
  fc.tuple(fc.nat(), hostileKeyArb).map(([pick, newKey]) =>
    mutation((doc, log) => {
      const at = pickPath(doc, pick, 'not-root');
      const place = at && parentAndKey(doc, at);
      if (!at || !place) return doc;
      if (Array.isArray(place.parent)) {
        place.parent.splice(place.key as number, 0, cloneJson(place.parent[place.key as number]!));
        log.push(`duplicate ${showPath(at)}`);
      } else {
        const value = place.parent[place.key as string]!;
        delete place.parent[place.key as string];
        setOwn(place.parent, newKey, value);
        log.push(`rename ${showPath(at)} to ${preview(newKey, 30)}`);
      }
      return doc;
    }),
  ),
  fc.tuple(fc.nat(), hostileKeyArb, hostileValueArb).map(([pick, key, value]) =>
    mutation((doc, log) => {
      const at = pickPath(doc, pick, 'object');
      if (!at) return doc;
      setOwn(getAt(doc, at) as JsonObject, key, cloneJson(value));
      log.push(`add key ${preview(key, 30)} = ${showValue(value)} at ${showPath(at)}`);
      return doc;
    }),
  ),
  fc.tuple(fc.nat(), fc.constantFrom('array' as const, 'object' as const, 'string' as const)).map(([pick, how]) =>
    mutation((doc, log) => {
      const at = pickPath(doc, pick) ?? [];
      const value = getAt(doc, at) ?? null;
      const wrapped: Json = how === 'array' ? [value] : how === 'object' ? { value } : stringifyJson(value);
      log.push(`${how === 'string' ? 'stringify' : `wrap in ${how}`} ${showPath(at)}`);
      return setAt(doc, at, wrapped);
    }),
  ),
  fc.tuple(fc.nat(), depthArb, fc.constantFrom('object' as const, 'array' as const, 'mixed' as const)).map(([pick, depth, shape]) =>
    mutation((doc, log) => {
      const at = pickPath(doc, pick) ?? [];
      log.push(`nest ${showPath(at)} ${depth} deep (${shape})`);
      return setAt(doc, at, nested(depth, shape, getAt(doc, at) ?? 1));
    }),
  ),
);

/** A param of a built-in kind and a value for it (edges of its range, wrong kinds, hostile). */
const paramChoiceArb: fc.Arbitrary<{ type: string; name: string; value: Json }> = fc.oneof(
  ...KINDS.flatMap((k) =>
    Object.entries(k.params as Record<string, ParamSpec>).map(([name, spec]) => paramValueArb(spec).map((value) => ({ type: k.type, name, value }))),
  ),
);

const nodeMutationArb: fc.Arbitrary<Mutation> = fc.oneof(
  // type
  fc.tuple(fc.nat(), fc.oneof(fc.constantFrom(...NODE_TYPES), fc.constantFrom('Generate', 'generat', 'gen', 'export ', 'constructor', '__proto__', 'toString', 'hasOwnProperty', 'valueOf', ''), hostileStringArb)).map(
    ([pick, type]) =>
      mutation((doc, log) => {
        const node = pickFrom(nodesOf(doc), pick);
        if (!node) return doc;
        log.push(`node ${preview(String(node.id), 20)}: type ${preview(type, 30)}`);
        node.type = type;
        return doc;
      }),
  ),
  // id
  fc.tuple(fc.nat(), fc.nat(), fc.oneof(hostileIdArb, fc.constant(null))).map(([pick, other, id]) =>
    mutation((doc, log) => {
      const nodes = nodesOf(doc);
      const node = pickFrom(nodes, pick);
      if (!node) return doc;
      const value = id ?? pickFrom(nodes, other)?.id ?? 'dup';
      log.push(`node ${preview(String(node.id), 20)}: id ${showValue(value)}`);
      node.id = value;
      return doc;
    }),
  ),
  // a param of some kind, set to an edge or hostile value, on a node of that kind when there is one
  fc.tuple(fc.nat(), paramChoiceArb).map(([pick, { type, name, value }]) =>
    mutation((doc, log) => {
      const nodes = nodesOf(doc);
      const node = pickFrom(nodes.filter((n) => n.type === type), pick) ?? pickFrom(nodes, pick);
      if (!node) return doc;
      if (node.params === null || typeof node.params !== 'object' || Array.isArray(node.params)) node.params = {};
      log.push(`node ${preview(String(node.id), 20)}: param ${name} = ${showValue(value)}${node.type === type ? '' : ` (a ${type} param)`}`);
      setOwn(node.params, name, cloneJson(value));
      return doc;
    }),
  ),
  // an unknown param, or one of another kind
  fc.tuple(fc.nat(), hostileKeyArb, hostileValueArb).map(([pick, name, value]) =>
    mutation((doc, log) => {
      const node = pickFrom(nodesOf(doc), pick);
      if (!node) return doc;
      if (node.params === null || typeof node.params !== 'object' || Array.isArray(node.params)) node.params = {};
      log.push(`node ${preview(String(node.id), 20)}: extra param ${preview(name, 30)} = ${showValue(value)}`);
      setOwn(node.params, name, cloneJson(value));
      return doc;
    }),
  ),
  // drop params: one, all of them, or the whole record
  fc.tuple(fc.nat(), fc.nat(), fc.constantFrom('one' as const, 'all' as const, 'record' as const)).map(([pick, which, how]) =>
    mutation((doc, log) => {
      const node = pickFrom(nodesOf(doc), pick);
      if (!node) return doc;
      if (how === 'record') {
        delete node.params;
        log.push(`node ${preview(String(node.id), 20)}: no params record`);
      } else if (how === 'all' || node.params === null || typeof node.params !== 'object' || Array.isArray(node.params)) {
        node.params = {};
        log.push(`node ${preview(String(node.id), 20)}: params emptied`);
      } else {
        const name = pickFrom(Object.keys(node.params), which);
        if (name === undefined) return doc;
        delete node.params[name];
        log.push(`node ${preview(String(node.id), 20)}: param ${preview(name, 30)} dropped`);
      }
      return doc;
    }),
  ),
  // title and ui
  fc.tuple(fc.nat(), fc.constantFrom('title' as const, 'ui' as const), fc.oneof(hostileStringArb, hostileValueArb, fc.constantFrom<Json>({ x: 1 }, { x: 1e308, y: -1e308 }, { x: '1', y: 2 }, { x: 0, y: 0, extra: { deep: [1, 2] } }))).map(
    ([pick, field, value]) =>
      mutation((doc, log) => {
        const node = pickFrom(nodesOf(doc), pick);
        if (!node) return doc;
        log.push(`node ${preview(String(node.id), 20)}: ${field} = ${showValue(value)}`);
        setOwn(node, field, cloneJson(value));
        return doc;
      }),
  ),
  // remove a node (its wires now dangle), duplicate one (same id), or add a bare node of any kind
  fc.tuple(fc.nat(), fc.constantFrom('remove' as const, 'duplicate' as const, 'add' as const), fc.constantFrom(...NODE_TYPES), validIdArb).map(([pick, how, type, id]) =>
    mutation((doc, log) => {
      if (doc === null || typeof doc !== 'object' || Array.isArray(doc) || !Array.isArray(doc.nodes)) return doc;
      const nodes = doc.nodes;
      if (how === 'add') {
        nodes.push({ id: `${id}-new`, type, params: {} });
        log.push(`add a bare ${type} node "${id}-new"`);
      } else if (nodes.length > 0) {
        const index = pick % nodes.length;
        if (how === 'remove') nodes.splice(index, 1);
        else nodes.splice(index, 0, cloneJson(nodes[index]!));
        log.push(`${how} node [${index}]`);
      }
      return doc;
    }),
  ),
  // required media: drop it, or make it empty
  fc.tuple(fc.nat(), fc.constantFrom('drop' as const, 'empty' as const, 'null' as const)).map(([pick, how]) =>
    mutation((doc, log) => {
      const candidates = nodesOf(doc).filter((n) => typeof n.type === 'string' && requiredFileParams(n.type).length > 0);
      const node = pickFrom(candidates, pick);
      if (!node || node.params === null || typeof node.params !== 'object' || Array.isArray(node.params)) return doc;
      const name = requiredFileParams(node.type as string)[0]!;
      if (how === 'drop') delete node.params[name];
      else node.params[name] = how === 'empty' ? '' : null;
      log.push(`node ${preview(String(node.id), 20)}: required ${name} ${how === 'drop' ? 'dropped' : `set to ${how}`}`);
      return doc;
    }),
  ),
);

function firstPort(ports: Record<string, PortSpec>, pick: number): string | undefined {
  return pickFrom(Object.keys(ports), pick);
}

const edgeMutationArb: fc.Arbitrary<Mutation> = fc.oneof(
  // wires that point nowhere, at themselves, at random ports, or close a loop
  fc.tuple(fc.nat(), fc.nat(), fc.nat(), fc.nat(), fc.constantFrom('dangling' as const, 'self' as const, 'random' as const, 'retarget' as const), fc.oneof(validIdArb, hostileIdArb)).map(
    ([a, b, pa, pb, how, ghost]) =>
      mutation((doc, log) => {
        const nodes = nodesOf(doc);
        const edges = edgesOf(doc);
        if (!edges) return doc;
        const from = pickFrom(nodes, a);
        const to = how === 'self' ? from : pickFrom(nodes, b);
        const fromType = typeof from?.type === 'string' ? from.type : '';
        const toType = typeof to?.type === 'string' ? to.type : '';
        const fromPort = firstPort(outputsOf(fromType), pa) ?? pickFrom(ALL_PORT_NAMES, pa)!;
        const toPort = firstPort(inputsOf(toType), pb) ?? pickFrom(ALL_PORT_NAMES, pb)!;
        let edge: Json;
        if (how === 'dangling') edge = { from: { node: ghost, port: fromPort }, to: { node: (to?.id as Json) ?? 'x', port: toPort } };
        else if (how === 'random') edge = { from: { node: (from?.id as Json) ?? 'x', port: pickFrom(ALL_PORT_NAMES, pb)! }, to: { node: (to?.id as Json) ?? 'y', port: pickFrom(ALL_PORT_NAMES, pa)! } };
        else edge = { from: { node: (from?.id as Json) ?? 'x', port: fromPort }, to: { node: (to?.id as Json) ?? 'y', port: toPort } };
        if (how === 'retarget' && edges.length > 0) edges[a % edges.length] = edge;
        else edges.push(edge);
        log.push(`${how} wire ${showValue(edge)}`);
        return doc;
      }),
  ),
  // a loop through k nodes
  fc.tuple(fc.array(fc.nat(), { minLength: 1, maxLength: 4 }), fc.nat()).map(([picks, pp]) =>
    mutation((doc, log) => {
      const nodes = nodesOf(doc);
      const edges = edgesOf(doc);
      if (!edges || nodes.length === 0) return doc;
      const ring = picks.map((p) => nodes[p % nodes.length]!);
      ring.forEach((node, i) => {
        const next = ring[(i + 1) % ring.length]!;
        const fromPort = firstPort(outputsOf(String(node.type)), pp) ?? 'video';
        const toPort = firstPort(inputsOf(String(next.type)), pp) ?? 'video';
        edges.push({ from: { node: node.id ?? 'x', port: fromPort }, to: { node: next.id ?? 'x', port: toPort } });
      });
      log.push(`loop through ${ring.map((n) => showValue(n.id ?? null)).join(' → ')}`);
      return doc;
    }),
  ),
  // duplicate, drop or reverse a wire
  fc.tuple(fc.nat(), fc.constantFrom('duplicate' as const, 'drop' as const, 'reverse' as const)).map(([pick, how]) =>
    mutation((doc, log) => {
      const edges = edgesOf(doc);
      if (!edges || edges.length === 0) return doc;
      const index = pick % edges.length;
      const edge = edges[index]!;
      if (how === 'duplicate') edges.push(cloneJson(edge));
      else if (how === 'drop') edges.splice(index, 1);
      else if (edge !== null && typeof edge === 'object' && !Array.isArray(edge)) edges.push({ from: cloneJson(edge.to ?? null), to: cloneJson(edge.from ?? null) });
      log.push(`${how} wire [${index}]`);
      return doc;
    }),
  ),
  // an endpoint's node or port, hostile
  fc.tuple(fc.nat(), fc.constantFrom('from' as const, 'to' as const), fc.constantFrom('node' as const, 'port' as const), fc.oneof(hostileIdArb, hostileValueArb)).map(
    ([pick, end, field, value]) =>
      mutation((doc, log) => {
        const edges = edgesOf(doc);
        const edge = edges && pickFrom(edges, pick);
        if (!edge || typeof edge !== 'object' || Array.isArray(edge)) return doc;
        const endpoint = edge[end];
        if (endpoint === null || typeof endpoint !== 'object' || Array.isArray(endpoint)) return doc;
        setOwn(endpoint, field, cloneJson(value));
        log.push(`wire ${end}.${field} = ${showValue(value)}`);
        return doc;
      }),
  ),
);

/** An asset entry, honest or lying. */
const assetArb: fc.Arbitrary<{ key: string; value: Json; label: string }> = fc
  .tuple(
    fc.constantFrom(...MEDIA_FILES, null),
    fc.constantFrom('honest' as const, 'lying-key' as const, 'bad-key' as const, 'not-base64' as const, 'not-media' as const, 'no-data' as const, 'wrong-mime' as const, 'hostile-name' as const, 'hostile-value' as const),
    hostileStringArb,
    hostileValueArb,
  )
  .map(([file, how, text, value]) => {
    const media = file ?? MEDIA.photo;
    const honest = assetEntry(media);
    switch (how) {
      case 'honest':
        return { key: media.ref, value: honest, label: `asset ${media.name}` };
      case 'lying-key':
        return { key: (file === MEDIA.clipA ? MEDIA.photo : MEDIA.clipA).ref, value: honest, label: `asset ${media.name} under another file's hash` };
      case 'bad-key':
        return { key: text === '' ? media.ref.toUpperCase() : text, value: honest, label: `asset under key ${preview(text, 20)}` };
      case 'not-base64':
        return { key: media.ref, value: { ...honest, data: `${text}!*` }, label: 'asset data not base64' };
      case 'not-media':
        return { key: NOT_MEDIA.ref, value: { name: 'fake.png', mime: 'image/png', data: NOT_MEDIA.base64 }, label: 'asset that is text' };
      case 'no-data':
        return { key: `sha256:${createHash('sha256').update(text).digest('hex')}`, value: { name: media.name, mime: media.mime }, label: 'asset without data, never uploaded' };
      case 'wrong-mime':
        return { key: media.ref, value: { ...honest, mime: media.kind === 'image' ? 'video/mp4' : 'image/png' }, label: `asset ${media.name} with a lying mime` };
      case 'hostile-name':
        return { key: media.ref, value: { ...honest, name: text, mime: text.slice(0, 120) || 'x' }, label: `asset named ${preview(text, 20)}` };
      case 'hostile-value':
        return { key: media.ref, value, label: `asset entry ${showValue(value)}` };
    }
  });

const mediaMutationArb: fc.Arbitrary<Mutation> = fc.oneof(
  // point a file param at a hostile path or asset name
  fc.tuple(fc.nat(), hostilePathArb).map(([pick, reference]) =>
    mutation((doc, log) => {
      const candidates = nodesOf(doc).filter((n) => typeof n.type === 'string' && Object.values(paramsOf(n.type)).some((s) => s.kind === 'file'));
      let node = pickFrom(candidates, pick);
      if (!node) {
        if (doc === null || typeof doc !== 'object' || Array.isArray(doc) || !Array.isArray(doc.nodes)) return doc;
        node = { id: 'added-photo', type: 'reference-image', params: { width: 32, height: 32 } };
        doc.nodes.push(node);
      }
      const name = Object.entries(paramsOf(String(node.type))).find(([, s]) => s.kind === 'file')![0];
      if (node.params === null || typeof node.params !== 'object' || Array.isArray(node.params)) node.params = {};
      node.params[name] = reference;
      log.push(`node ${preview(String(node.id), 20)}: ${name} = ${preview(reference, 60)}`);
      return doc;
    }),
  ),
  // add an asset (honest or lying), and maybe point a file param at it
  fc.tuple(assetArb, fc.boolean(), fc.nat()).map(([asset, point, pick]) =>
    mutation((doc, log) => {
      if (doc === null || typeof doc !== 'object' || Array.isArray(doc)) return doc;
      if (doc.assets === null || typeof doc.assets !== 'object' || Array.isArray(doc.assets)) doc.assets = {};
      setOwn(doc.assets, asset.key, cloneJson(asset.value));
      log.push(`${asset.label}${point ? ', used' : ''}`);
      if (point) {
        const node = pickFrom(nodesOf(doc).filter((n) => typeof n.type === 'string' && requiredFileParams(n.type).length > 0), pick);
        if (node && node.params !== null && typeof node.params === 'object' && !Array.isArray(node.params)) node.params[requiredFileParams(String(node.type))[0]!] = asset.key;
      }
      return doc;
    }),
  ),
  // the assets record itself: hostile, or more entries than allowed
  fc.oneof(hostileValueArb.map((v) => ({ how: 'value' as const, v })), fc.constant({ how: 'many' as const, v: null })).map(({ how, v }) =>
    mutation((doc, log) => {
      if (doc === null || typeof doc !== 'object' || Array.isArray(doc)) return doc;
      if (how === 'value') {
        doc.assets = cloneJson(v);
        log.push(`assets = ${showValue(v)}`);
      } else {
        const assets: JsonObject = {};
        for (let i = 0; i < 257; i++) assets[`sha256:${createHash('sha256').update(String(i)).digest('hex')}`] = { name: `${i}.png`, mime: 'image/png' };
        doc.assets = assets;
        log.push('257 assets');
      }
      return doc;
    }),
  ),
);

const topLevelMutationArb: fc.Arbitrary<Mutation> = fc
  .tuple(
    fc.constantFrom('format', 'version', 'name', 'description', 'nodes', 'edges', 'ui', 'assets'),
    fc.oneof(
      hostileValueArb,
      fc.constantFrom<Json>('reelgraph.pipeline ', 'REELGRAPH.PIPELINE', 'reelgraph.pipeline\u0000', 0, 2, 1.5, '1', -1, 1e308, 999, 'x'.repeat(201), 'x'.repeat(10_001)),
    ),
    fc.boolean(),
  )
  .map(([field, value, drop]) =>
    mutation((doc, log) => {
      if (doc === null || typeof doc !== 'object' || Array.isArray(doc)) return doc;
      if (drop) {
        delete doc[field];
        log.push(`drop ${field}`);
      } else {
        setOwn(doc, field, cloneJson(value));
        log.push(`${field} = ${showValue(value)}`);
      }
      return doc;
    }),
  );

/** Thousands of nodes or wires, around the limits. */
const bulkMutationArb: fc.Arbitrary<Mutation> = fc.tuple(fc.constantFrom('nodes' as const, 'edges' as const), fc.constantFrom(4_999, 5_000, 5_001, 20_001)).map(([what, count]) =>
  mutation((doc, log) => {
    if (doc === null || typeof doc !== 'object' || Array.isArray(doc)) return doc;
    if (what === 'nodes') {
      doc.nodes = Array.from({ length: Math.min(count, 5_001) }, (_, i) => ({ id: `p${i}`, type: 'prompt', params: { text: 'x' } }));
      doc.edges = [];
      log.push(`${Math.min(count, 5_001)} prompt nodes`);
    } else {
      doc.edges = Array.from({ length: count }, () => ({ from: { node: 'a', port: 'b' }, to: { node: 'c', port: 'd' } }));
      log.push(`${count} dangling wires`);
    }
    return doc;
  }),
);

/** Bulk documents are slow to build and check, so they are rare: about one case in two hundred. */
export const mutationArb: fc.Arbitrary<Mutation> = fc.oneof(
  { weight: 100, arbitrary: genericMutationArb },
  { weight: 120, arbitrary: nodeMutationArb },
  { weight: 80, arbitrary: edgeMutationArb },
  { weight: 60, arbitrary: mediaMutationArb },
  { weight: 40, arbitrary: topLevelMutationArb },
  { weight: 1, arbitrary: bulkMutationArb },
);

/** Valid camera keyframes: ascending times, every field inside its range. */
const validCameraKeyframesArb: fc.Arbitrary<Json> = fc
  .array(
    fc.record({
      step: fc.double({ min: 0.01, max: 0.3, noNaN: true }),
      zoom: fc.double({ min: 0.11, max: 10, noNaN: true }),
      x: fc.double({ min: -5, max: 5, noNaN: true }),
      y: fc.double({ min: -5, max: 5, noNaN: true }),
      roll: fc.double({ min: -180, max: 180, noNaN: true }),
    }),
    { minLength: 1, maxLength: 6 },
  )
  .map((frames) => {
    let time = 0;
    return frames.map(({ step, zoom, x, y, roll }, i) => ({ time: i === 0 ? 0 : (time += step), zoom, x, y, roll }));
  });

/** Valid mask regions: ascending times, centres and sizes at the edges of their ranges too. */
const validMaskRegionArb: fc.Arbitrary<Json> = fc
  .array(
    fc.record({
      step: fc.double({ min: 0.01, max: 0.3, noNaN: true }),
      x: fc.oneof(fc.double({ min: -1.5, max: 2.5, noNaN: true }), fc.constantFrom(-1.5, 2.5, 0, 1)),
      y: fc.oneof(fc.double({ min: -1.5, max: 2.5, noNaN: true }), fc.constantFrom(-1.5, 2.5, 0, 1)),
      width: fc.oneof(fc.double({ min: 0, max: 3, noNaN: true }), fc.constantFrom(0, 3)),
      height: fc.oneof(fc.double({ min: 0, max: 3, noNaN: true }), fc.constantFrom(0, 3)),
    }),
    { minLength: 1, maxLength: 5 },
  )
  .map((frames) => {
    let time = 0;
    return frames.map(({ step, x, y, width, height }, i) => ({ time: i === 0 ? 0 : (time += step), x, y, width, height }));
  });

/** A value the param's own check accepts (cost params are clamped later by `cheapen`). */
function validParamValueArb(type: string, name: string, spec: ParamSpec): fc.Arbitrary<Json> {
  switch (spec.kind) {
    case 'int':
    case 'seed':
      return fc.oneof(fc.constantFrom(spec.min, spec.max), fc.integer({ min: spec.min, max: spec.max }));
    case 'number':
      return fc.oneof(fc.constantFrom(spec.min, spec.max), fc.double({ min: spec.min, max: spec.max, noNaN: true }));
    case 'select':
      return fc.constantFrom<Json>(...spec.options);
    case 'bool':
      return fc.boolean();
    case 'model':
      return fc.constant<Json>(spec.default);
    case 'text':
      if (type === 'prompt' && name === 'schedule') {
        return fc.constantFrom('', '0s: a red sky | 0.2s: a green sea', '0.1s: dawn\n0.3s: noon', '0:00: start | 0:00.4: end');
      }
      return fc.oneof(hostileStringArb.map((t) => (type === 'prompt' && name === 'text' ? `a ${t}` : t).slice(0, spec.maxLength)), fc.constant('x'.repeat(spec.maxLength)));
    case 'file':
      return fc.constantFrom<Json>(...MEDIA_FILES.map((m) => m.ref), NOT_MEDIA.ref);
    case 'json':
      return type === 'camera-move' ? validCameraKeyframesArb : validMaskRegionArb;
  }
}

const validParamChoiceArb: fc.Arbitrary<{ type: string; name: string; value: Json }> = fc.oneof(
  ...KINDS.flatMap((k) =>
    Object.entries(k.params as Record<string, ParamSpec>).map(([name, spec]) => validParamValueArb(k.type, name, spec).map((value) => ({ type: k.type, name, value }))),
  ),
);

/** Sets a param to a value its check accepts, on a node of its kind; file params get an embedded asset (maybe of the wrong kind, or no media at all). */
const validParamMutationArb: fc.Arbitrary<Mutation> = fc.tuple(fc.nat(), validParamChoiceArb).map(([pick, { type, name, value }]) =>
  mutation((doc, log) => {
    const node = pickFrom(
      nodesOf(doc).filter((n) => n.type === type),
      pick,
    );
    if (!node || node.params === null || typeof node.params !== 'object' || Array.isArray(node.params)) return doc;
    setOwn(node.params, name, cloneJson(value));
    if (typeof value === 'string' && value.startsWith('sha256:') && doc !== null && typeof doc === 'object' && !Array.isArray(doc)) {
      const file = MEDIA_FILES.find((m) => m.ref === value);
      const assets = doc.assets !== null && typeof doc.assets === 'object' && !Array.isArray(doc.assets) ? doc.assets : (doc.assets = {});
      setOwn(assets, value, file ? assetEntry(file) : { name: 'fake.png', mime: 'image/png', data: NOT_MEDIA.base64 });
    }
    log.push(`node ${preview(String(node.id), 20)}: ${name} = ${showValue(value)}`);
    return doc;
  }),
);

/** Mutations that tend to keep a document valid, so cheap runs actually run: valid but unusual params, media of the wrong kind, some hostile ones. */
const gentleMutationArb: fc.Arbitrary<Mutation> = fc.oneof(
  { weight: 8, arbitrary: validParamMutationArb },
  { weight: 2, arbitrary: nodeMutationArb },
  { weight: 2, arbitrary: mediaMutationArb },
  { weight: 1, arbitrary: genericMutationArb },
  { weight: 1, arbitrary: edgeMutationArb },
);

function applyAll(base: BaseDocument, mutations: readonly Mutation[], cheap: boolean): { document: Json; label: string } {
  let document: Json = cloneJson(base.document);
  const log: string[] = [];
  for (const m of mutations) document = m.apply(document, log);
  if (cheap) document = cheapen(document);
  return { document, label: [base.label, ...log].join('; ') };
}

/** Valid documents with one to four mutations. */
export function mutatedDocumentArb(options: { cheap?: boolean; maxMutations?: number } = {}): fc.Arbitrary<PipelineCase> {
  const cheap = options.cheap ?? false;
  return fc
    .tuple(cheap ? cheapBaseDocumentArb : baseDocumentArb, fc.array(mutationArb, { minLength: 1, maxLength: options.maxMutations ?? 4 }), fc.boolean())
    .map(([base, mutations, folder]) => {
      const { document, label } = applyAll(base, mutations, cheap);
      return jsonCase(label, document, { withFolder: base.needsFolder || folder, cheap });
    });
}

/** Cheap documents for real runs: half unchanged, half with one to three gentle mutations. */
export const runnableDocumentArb: fc.Arbitrary<PipelineCase> = fc
  .tuple(cheapBaseDocumentArb, fc.oneof(fc.constant([]), fc.array(gentleMutationArb, { minLength: 1, maxLength: 3 })))
  .map(([base, mutations]) => {
    const { document, label } = applyAll(base, mutations, true);
    return jsonCase(mutations.length === 0 ? `${label} (unchanged)` : label, document, { withFolder: base.needsFolder, cheap: true });
  });

/** A node of each required-media kind without its media: validation must name the node and the param. */
export const missingRequiredParamArb: fc.Arbitrary<PipelineCase & { expected: { nodeId: string; param: string } }> = fc
  .tuple(cheapBaseDocumentArb, fc.nat(), fc.constantFrom('drop' as const, 'empty' as const, 'no-params' as const), fc.constantFrom(...NODE_TYPES.filter((t) => requiredFileParams(t).length > 0)), validIdArb)
  .map(([base, pick, how, addType, addId]) => {
    const document = cloneJson(base.document);
    const nodes = document.nodes as JsonObject[];
    let node = pickFrom(nodes.filter((n) => requiredFileParams(String(n.type)).length > 0), pick);
    const log = [base.label];
    if (!node) {
      node = { id: `${addId}-media`, type: addType, params: {} };
      nodes.push(node);
      log.push(`add a ${addType} node "${node.id}"`);
    }
    const param = requiredFileParams(String(node.type))[0]!;
    if (how === 'no-params') delete node.params;
    else if (how === 'drop') delete (node.params as JsonObject)[param];
    else (node.params as JsonObject)[param] = '';
    log.push(`node "${String(node.id)}": ${how === 'no-params' ? 'params record removed' : how === 'drop' ? `${param} dropped` : `${param} = ""`}`);
    const c = jsonCase(log.join('; '), document, { withFolder: base.needsFolder, cheap: true });
    return Object.assign(c, { expected: { nodeId: String(node.id), param } });
  });

/** Valid documents with `__proto__`, `constructor` or `prototype` as an own key somewhere. */
export const reservedKeyDocumentArb: fc.Arbitrary<PipelineCase> = fc
  .tuple(baseDocumentArb, fc.nat(), fc.constantFrom('__proto__', 'constructor', 'prototype'), hostileValueArb, fc.constantFrom('add' as const, 'rename' as const), fc.boolean())
  .map(([base, pick, key, value, how, folder]) => {
    const document: Json = cloneJson(base.document);
    let label: string;
    const renamed = how === 'rename' ? pickPath(document, pick, 'named') : undefined;
    if (renamed) {
      const place = parentAndKey(document, renamed)!;
      const moved = (place.parent as JsonObject)[place.key as string]!;
      delete (place.parent as JsonObject)[place.key as string];
      setOwn(place.parent, key, moved);
      label = `rename ${showPath(renamed)} to ${key}`;
    } else {
      const at = pickPath(document, pick, 'object')!;
      setOwn(getAt(document, at) as JsonObject, key, cloneJson(value));
      label = `add ${key} = ${showValue(value)} at ${showPath(at)}`;
    }
    return jsonCase(`${base.label}; ${label}`, document, { withFolder: base.needsFolder || folder });
  });

// ───────────────────────────── random documents ─────────────────────────────

/** Random JSON, and random objects that are not JSON at all (for the value path). */
export const randomValueArb: fc.Arbitrary<PipelineCase> = fc.oneof(
  fc.jsonValue({ maxDepth: 6 }).map((value) => jsonCase('random JSON value', value)),
  fc.json({ maxDepth: 4 }).map((text) => makeCase({ label: 'random JSON text', text })),
  fc
    .anything({ maxDepth: 4, withBoxedValues: true, withMap: true, withSet: true, withNullPrototype: true, withObjectString: true, withDate: true, withTypedArray: true, withSparseArray: true, withBigInt: true })
    .map((value) => makeCase({ label: 'random JS value', text: safeStringify(value), value: value ?? null })),
  fc
    .record({ format: fc.constant('reelgraph.pipeline'), version: fc.constant(1), nodes: fc.anything({ maxDepth: 3, withNullPrototype: true, withMap: true }), edges: fc.anything({ maxDepth: 3 }) }, { requiredKeys: ['format', 'version'] })
    .map((value) => makeCase({ label: 'pipeline header, random JS body', text: safeStringify(value), value })),
);

function safeStringify(value: unknown): string {
  try {
    return JSON.stringify(value) ?? 'null';
  } catch (error) {
    return `(not JSON: ${(error as Error).name})`;
  }
}

/** The pipeline's shape with random content: real and fake kinds, params and ports, random wiring. */
export const pipelineShapedArb: fc.Arbitrary<PipelineCase> = fc
  .tuple(
    fc.array(
      fc.record(
        {
          id: fc.oneof({ weight: 3, arbitrary: fc.constantFrom('a', 'b', 'c', 'd') }, { weight: 1, arbitrary: hostileIdArb }),
          type: fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...NODE_TYPES) }, { weight: 1, arbitrary: hostileStringArb }),
          title: hostileStringArb,
          params: fc.dictionary(fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...ALL_PARAM_NAMES) }, { weight: 1, arbitrary: hostileKeyArb }), fc.oneof(hostileValueArb, keyframesArb, hostilePathArb), { maxKeys: 6 }),
          ui: fc.oneof(fc.record({ x: fc.double({ noNaN: true, noDefaultInfinity: true }), y: fc.integer() }), hostileValueArb),
        },
        { requiredKeys: ['id', 'type'] },
      ),
      { maxLength: 6 },
    ),
    fc.array(
      fc.record({
        from: fc.record({ node: fc.constantFrom('a', 'b', 'c', 'd', 'e'), port: fc.constantFrom(...ALL_PORT_NAMES) }),
        to: fc.record({ node: fc.constantFrom('a', 'b', 'c', 'd', 'e'), port: fc.constantFrom(...ALL_PORT_NAMES) }),
      }),
      { maxLength: 8 },
    ),
    fc.option(fc.dictionary(fc.oneof(fc.constantFrom(...MEDIA_FILES.map((m) => m.ref)), hostileKeyArb), fc.oneof(fc.constantFrom(...MEDIA_FILES.map(assetEntry)), hostileValueArb), { maxKeys: 3 }), { nil: undefined }),
    fc.boolean(),
  )
  .map(([nodes, edges, assets, folder]) =>
    jsonCase('pipeline-shaped random', { format: 'reelgraph.pipeline', version: 1, nodes, edges, ...(assets ? { assets } : {}) } as Json, { withFolder: folder }),
  );

/** Text that is mostly not a pipeline: random strings, damaged pipeline JSON, JSON oddities. */
export const randomTextArb: fc.Arbitrary<PipelineCase> = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 300 }).map((text) => makeCase({ label: 'random text', text })),
  fc.string({ unit: 'grapheme', maxLength: 300 }).map((text) => makeCase({ label: 'random unicode text', text })),
  fc
    .tuple(baseDocumentArb, fc.nat(), fc.nat({ max: 20 }), fc.string({ unit: 'binary-ascii', maxLength: 8 }), fc.constantFrom('truncate' as const, 'splice' as const))
    .map(([base, at, remove, insert, how]) => {
      const text = stringifyJson(base.document);
      const cut = at % (text.length + 1);
      const damaged = how === 'truncate' ? text.slice(0, cut) : text.slice(0, cut) + insert + text.slice(cut + remove);
      return makeCase({ label: `${base.label}, ${how === 'truncate' ? `cut at ${cut}` : `spliced at ${cut} (-${remove}, +${JSON.stringify(insert)})`}`, text: damaged, withFolder: base.needsFolder });
    }),
  fc.constantFrom(
    '', ' ', '\ufeff{}', 'null', '[]', '"x"', '1', 'NaN', 'Infinity', '-0', 'true', '{', '}', '{"a":1,}', '// comment\n{}', '{a:1}', "{'a':1}",
    '{"format":"reelgraph.pipeline","version":1,"nodes":[]}garbage', '{"format":"reelgraph.pipeline","version":1,"nodes":[]}\u0000',
    '\ufeff{"format":"reelgraph.pipeline","version":1,"nodes":[]}', '{"format":"reelgraph.pipeline","version":1,"nodes":[],"nodes":null}',
    '{"format":"reelgraph.pipeline","version":1,"version":2,"nodes":[]}', '{"format":"reelgraph.pipeline","version":1e400,"nodes":[]}',
    '{"format":"reelgraph.pipeline","version":1,"nodes":[{"id":"a","type":"prompt","params":{"text":"\\ud800"}}]}',
    '{"format":"reelgraph.pipeline","version":1,"nodes":[{"id":"a","type":"prompt","params":{"text":"x","text":"y"}}]}',
    '{"__proto__":{"format":"reelgraph.pipeline"},"version":1,"nodes":[]}', '{"format":"reelgraph.pipeline","version":1,"nodes":[],"__proto__":null}',
  ).map((text) => makeCase({ label: 'odd text', text })),
);

/** Extreme nesting in every part of a document, built as text (no recursion anywhere). */
export const deepDocumentArb: fc.Arbitrary<PipelineCase> = fc
  .tuple(
    fc.constantFrom('top-ui', 'node-ui', 'param', 'unknown-param', 'keyframes', 'nodes', 'edges', 'assets', 'title', 'root-array'),
    fc.oneof({ weight: 12, arbitrary: depthArb }, { weight: 1, arbitrary: fc.constantFrom(5_000, 10_000, 100_000) }),
    fc.constantFrom('object' as const, 'array' as const, 'mixed' as const),
  )
  .map(([where, depth, shape]) => {
    const open = (i: number) => (shape === 'array' || (shape === 'mixed' && i % 2 === 1) ? '[' : '{"a":');
    const close = (i: number) => (shape === 'array' || (shape === 'mixed' && i % 2 === 1) ? ']' : '}');
    let head = '';
    for (let i = depth - 1; i >= 0; i--) head += open(i);
    let tail = '';
    for (let i = 0; i < depth; i++) tail += close(i);
    const deep = `${head}1${tail}`;
    const node = (params: string, ui = '{"x":0,"y":0}') => `{"id":"n","type":"mask","params":${params},"ui":${ui}}`;
    const wrap: Record<typeof where, () => string> = {
      'top-ui': () => `{"format":"reelgraph.pipeline","version":1,"nodes":[],"ui":{"viewport":${deep}}}`,
      'node-ui': () => `{"format":"reelgraph.pipeline","version":1,"nodes":[${node('{}', `{"x":0,"y":0,"deep":${deep}}`)}]}`,
      param: () => `{"format":"reelgraph.pipeline","version":1,"nodes":[${node(`{"region":${deep}}`)}]}`,
      'unknown-param': () => `{"format":"reelgraph.pipeline","version":1,"nodes":[${node(`{"nope":${deep}}`)}]}`,
      keyframes: () => `{"format":"reelgraph.pipeline","version":1,"nodes":[{"id":"c","type":"camera-move","params":{"keyframes":[{"time":0,"zoom":${deep},"x":0,"y":0,"roll":0}]}}]}`,
      nodes: () => `{"format":"reelgraph.pipeline","version":1,"nodes":${deep}}`,
      edges: () => `{"format":"reelgraph.pipeline","version":1,"nodes":[],"edges":[{"from":${deep},"to":{"node":"a","port":"b"}}]}`,
      assets: () => `{"format":"reelgraph.pipeline","version":1,"nodes":[],"assets":{"${MEDIA.photo.ref}":${deep}}}`,
      title: () => `{"format":"reelgraph.pipeline","version":1,"nodes":[{"id":"n","type":"prompt","title":${deep},"params":{"text":"x"}}]}`,
      'root-array': () => deep,
    };
    return makeCase({ label: `${depth} levels (${shape}) in ${where}`, text: wrap[where]() });
  });

/** A tiny valid pipeline that must succeed: a prompt and a 64×64, quarter-second shot. */
export const TINY_RUN = {
  format: 'reelgraph.pipeline',
  version: 1,
  nodes: [
    { id: 'prompt', type: 'prompt', params: { text: 'misty forest at dawn' } },
    { id: 'shot', type: 'generate', params: { width: 64, height: 64, duration: 0.25, fps: 8, seed: 3 } },
  ],
  edges: [{ from: { node: 'prompt', port: 'prompt' }, to: { node: 'shot', port: 'prompt' } }],
};
