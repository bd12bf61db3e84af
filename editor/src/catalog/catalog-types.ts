/**
 * The catalog as the editor reads it. The protocol types the params loosely
 * (an Omit over a union keeps only the shared fields), so `readParamSpec`
 * narrows each one to the shape its `kind` promises.
 */
import type { ServerMessage } from '@reelgraph/engine';

export type Welcome = Extract<ServerMessage, { type: 'welcome' }>;
export type CatalogEntry = Welcome['catalog'][number];
export type ModelInfo = Welcome['models'][number];
export type DeviceInfo = Welcome['device'];
export type Catalog = ReadonlyMap<string, CatalogEntry>;

interface Described {
  description?: string;
  /** An input that, when wired, makes this param unused: shown read-only with a note. */
  unusedWhenWired?: string;
  /** Used only with a model of this family (a diffusion model's steps): hidden for other models. */
  forFamily?: string;
}
export interface TextSpec extends Described {
  kind: 'text';
  default: string;
  multiline: boolean;
  maxLength: number;
  placeholder?: string;
}
export interface NumberSpec extends Described {
  kind: 'int' | 'number' | 'seed';
  default: number;
  min: number;
  max: number;
  step?: number;
  unit?: string;
}
export interface SelectSpec extends Described {
  kind: 'select';
  default: string;
  options: readonly string[];
}
export interface BoolSpec extends Described {
  kind: 'bool';
  default: boolean;
}
export interface FileSpec extends Described {
  kind: 'file';
  default: string;
  accept: readonly ('image' | 'video')[];
  required: boolean;
}
export interface ModelSpec extends Described {
  kind: 'model';
  default: string;
  /** Only models for this task are offered, e.g. "text-to-video". */
  task?: string;
}
/** Structured data; `widget` names the custom editor, and unknown kinds land here too. */
export interface JsonSpec extends Described {
  kind: 'json';
  default: unknown;
  widget: string;
}

export type ParamSpec = TextSpec | NumberSpec | SelectSpec | BoolSpec | FileSpec | ModelSpec | JsonSpec;

const KNOWN_KINDS = new Set(['text', 'int', 'number', 'seed', 'select', 'bool', 'file', 'model', 'json']);

export function readParamSpec(raw: CatalogEntry['params'][string]): ParamSpec {
  const spec = raw as Record<string, unknown> & { kind: string };
  if (KNOWN_KINDS.has(spec.kind)) return spec as unknown as ParamSpec;
  return { kind: 'json', default: spec.default, widget: '', ...(typeof spec.description === 'string' ? { description: spec.description } : {}) };
}

export function indexCatalog(entries: readonly CatalogEntry[]): Catalog {
  return new Map(entries.map((entry) => [entry.type, entry]));
}

/** Param values a new node starts with: every default, copied so nodes never share an object. */
export function defaultParams(entry: CatalogEntry): Record<string, unknown> {
  return Object.fromEntries(Object.entries(entry.params).map(([name, spec]) => [name, structuredClone(spec.default)]));
}

export function inputType(entry: CatalogEntry | undefined, port: string): string | undefined {
  return entry?.inputs[port]?.type;
}

export function outputType(entry: CatalogEntry | undefined, port: string): string | undefined {
  return entry?.outputs[port]?.type;
}
