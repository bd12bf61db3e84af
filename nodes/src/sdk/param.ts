/**
 * Param specs: a default, a check that returns a sentence a person can act on,
 * and the hints the editor needs to draw a widget. The engine validates every
 * param through `check`, so it never needs to know a node by name.
 */
import { findModel, listModels, PROCEDURAL_MODEL, type ModelManifest, type ModelTask } from '@reelgraph/models';

export type ModelFamily = ModelManifest['family'];

export interface ResolvedFile {
  /** Absolute path on disk, already checked to lie inside an allowed folder. */
  path: string;
  /** The name the pipeline gave (relative path or asset name). */
  name: string;
  sha256: string;
  bytes: number;
}

interface ParamBase<TDoc, TRun> {
  kind: string;
  default: TDoc;
  description?: string;
  /**
   * An input port that, when wired, makes this param unused (inpaint's own
   * region beside a wired mask): it then leaves the cache key, so changing it
   * costs no re-render, and the editor shows it read-only with a note.
   */
  unusedWhenWired?: string;
  /**
   * Used only when the node's `model` param names a model of this family
   * (a diffusion model's steps and guidance): for other models it leaves the
   * cache key and the editor hides it.
   */
  forFamily?: ModelFamily;
  /** Returns why `value` is not acceptable, or undefined when it is. */
  check(value: unknown): string | undefined;
  /** Phantom: the type the node's `run` receives. */
  readonly __run?: TRun;
}

export interface TextParam extends ParamBase<string, string> {
  kind: 'text';
  multiline: boolean;
  maxLength: number;
  placeholder?: string;
}
export interface NumberParam extends ParamBase<number, number> {
  kind: 'int' | 'number' | 'seed';
  min: number;
  max: number;
  step?: number;
  unit?: string;
}
export interface SelectParam<O extends string = string> extends ParamBase<O, O> {
  kind: 'select';
  options: readonly O[];
}
export interface BoolParam extends ParamBase<boolean, boolean> {
  kind: 'bool';
}
/** A media file: a path relative to the pipeline's folder, or `sha256:<hex>` naming an asset. */
export interface FileParam<Required extends boolean = boolean>
  extends ParamBase<string, Required extends true ? ResolvedFile : ResolvedFile | undefined> {
  kind: 'file';
  accept: readonly ('image' | 'video')[];
  required: Required;
}
/** Structured data with its own check (keyframe lists and alike). */
export interface JsonParam<T> extends ParamBase<T, T> {
  kind: 'json';
  widget: string;
}

/** A model id (`owner/name`); the editor's picker lists the known models that can do `task`. */
export interface ModelParam extends ParamBase<string, string> {
  kind: 'model';
  task: ModelTask;
}

export type ParamSpec = TextParam | NumberParam | SelectParam | BoolParam | FileParam | JsonParam<unknown> | ModelParam;

export type ParamRunValue<P> = P extends ParamBase<unknown, infer R> ? R : never;

type Describe = { description?: string; unusedWhenWired?: string; forFamily?: ModelFamily };

function describeType(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  return typeof value === 'string' ? 'text' : `a ${typeof value}`;
}

function numberCheck(min: number, max: number, integer: boolean) {
  return (value: unknown): string | undefined => {
    if (typeof value !== 'number' || !Number.isFinite(value)) return `must be a number, not ${describeType(value)}`;
    if (integer && !Number.isInteger(value)) return `must be a whole number, not ${value}`;
    if (value < min || value > max) return `must be between ${min} and ${max}, not ${value}`;
    return undefined;
  };
}

export const SEED_MAX = 2 ** 32 - 1;

export const param = {
  text(options: { default?: string; multiline?: boolean; maxLength?: number; placeholder?: string } & Describe = {}): TextParam {
    const maxLength = options.maxLength ?? 10_000;
    return {
      kind: 'text',
      default: options.default ?? '',
      multiline: options.multiline ?? false,
      maxLength,
      ...(options.placeholder ? { placeholder: options.placeholder } : {}),
      ...(options.description ? { description: options.description } : {}),
      ...(options.unusedWhenWired ? { unusedWhenWired: options.unusedWhenWired } : {}),
      ...(options.forFamily ? { forFamily: options.forFamily } : {}),
      check: (value) => {
        if (typeof value !== 'string') return `must be text, not ${describeType(value)}`;
        if (value.length > maxLength) return `is ${value.length} characters long; the limit is ${maxLength}`;
        return undefined;
      },
    };
  },
  int(options: { default: number; min: number; max: number; step?: number; unit?: string } & Describe): NumberParam {
    return { kind: 'int', ...options, check: numberCheck(options.min, options.max, true) };
  },
  number(options: { default: number; min: number; max: number; step?: number; unit?: string } & Describe): NumberParam {
    return { kind: 'number', ...options, check: numberCheck(options.min, options.max, false) };
  },
  seed(options: Describe = {}): NumberParam {
    return { kind: 'seed', default: 0, min: 0, max: SEED_MAX, step: 1, ...options, check: numberCheck(0, SEED_MAX, true) };
  },
  select<const O extends string>(options: { options: readonly O[]; default: NoInfer<O> } & Describe): SelectParam<O> {
    return {
      kind: 'select',
      ...options,
      check: (value) =>
        typeof value === 'string' && (options.options as readonly string[]).includes(value)
          ? undefined
          : `must be one of ${options.options.map((o) => `"${o}"`).join(', ')}, not ${JSON.stringify(value)}`,
    };
  },
  bool(options: { default: boolean } & Describe): BoolParam {
    return {
      kind: 'bool',
      ...options,
      check: (value) => (typeof value === 'boolean' ? undefined : `must be true or false, not ${describeType(value)}`),
    };
  },
  file<const Required extends boolean = true>(
    options: { accept: readonly ('image' | 'video')[]; required?: Required } & Describe,
  ): FileParam<Required> {
    const required = (options.required ?? true) as Required;
    return {
      kind: 'file',
      default: '',
      accept: options.accept,
      required,
      ...(options.description ? { description: options.description } : {}),
      ...(options.unusedWhenWired ? { unusedWhenWired: options.unusedWhenWired } : {}),
      ...(options.forFamily ? { forFamily: options.forFamily } : {}),
      check: (value) => {
        if (typeof value !== 'string') return `must be a file name, not ${describeType(value)}`;
        if (required && value === '') return `needs a file: choose one`;
        return undefined;
      },
    };
  },
  /** Defaults to the built-in procedural model; the check accepts any known model (built in or installed) that can do `task`. */
  model(options: { task: ModelTask } & Describe): ModelParam {
    const { task } = options;
    return {
      kind: 'model',
      // The first model that can do the task: built-in models come first.
      default: listModels(task)[0]?.id ?? PROCEDURAL_MODEL.id,
      ...options,
      check: (value) => {
        if (typeof value !== 'string') return `must be a model id, not ${describeType(value)}`;
        const model = findModel(value);
        const choices = listModels(task).map((m) => `"${m.id}"`).join(', ');
        if (model === undefined) {
          return `names no known model ("${value}"); choose one of ${choices}, or install it (reelgraph models pull ${value}, or models add DIR --id ${value})`;
        }
        if (!model.tasks.includes(task)) return `"${value}" cannot do ${task}; choose one of ${choices}`;
        return undefined;
      },
    };
  },
  json<T>(options: { default: T; widget: string; check: (value: unknown) => string | undefined } & Describe): JsonParam<T> {
    return { kind: 'json', ...options };
  },
};
