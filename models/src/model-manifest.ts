/**
 * What Reelgraph knows about a model: its id, what it can do and where its
 * files come from. The built-in procedural model is always known; models a
 * person installs are registered at start-up (the engine reads them from the
 * data dir), so node params can check a model id without knowing where the
 * list came from.
 */
import { createHash } from 'node:crypto';
import { ESRGAN_SLIM_MODEL, PSNR_SMALL_MODEL } from './esrgan/esrgan-manifest.ts';
import { PROCEDURAL_MODEL } from './procedural/procedural-manifest.ts';
import { RIFE_46_MODEL } from './rife/rife-manifest.ts';

export const MODEL_TASKS = ['text-to-video', 'image-to-video', 'inpaint', 'upscale', 'interpolate'] as const;
export type ModelTask = (typeof MODEL_TASKS)[number];

export interface ModelFile {
  /** Path inside the model's folder (`models/<id>/` under the data dir). */
  path: string;
  sha256: string;
  bytes: number;
}

export interface ModelManifest {
  /** `owner/name`, as it appears in pipelines. */
  id: string;
  /** A short name for pickers. */
  name: string;
  /** Which runner loads it. */
  family: 'procedural' | 'esrgan' | 'rife' | 'diffusion';
  tasks: readonly ModelTask[];
  /** What it is, plainly: shown in the catalog and the model picker. */
  description: string;
  licence: string;
  source: string;
  /** Empty for a model built in code or shipped in a package. */
  files: readonly ModelFile[];
  /** For upscalers: the factors it enlarges by. */
  scales?: readonly number[];
  /** Where an installed model's files are (its folder in the model store); absent for built-in models. */
  folder?: string;
}

/** Built in: they need nothing installed, and cannot be replaced. */
/** The first model for a task is its nodes' default: ESRGAN slim stays the upscale default (psnr-small is closer to the original but several times slower). */
const BUILT_IN: readonly ModelManifest[] = [PROCEDURAL_MODEL, ESRGAN_SLIM_MODEL, PSNR_SMALL_MODEL, RIFE_46_MODEL];
const known = new Map<string, ModelManifest>(BUILT_IN.map((model) => [model.id, model]));

/** Makes a model known (installed models, at start-up); a manifest with the same id replaces the earlier one, except the built-in. */
export function registerModel(manifest: ModelManifest): void {
  if (BUILT_IN.some((model) => model.id === manifest.id)) throw new Error(`"${manifest.id}" is a built-in model's id; give the model another id.`);
  known.set(manifest.id, manifest);
}

/** Forgets an installed model (after it is removed); built-in models stay. */
export function unregisterModel(id: string): void {
  if (!BUILT_IN.some((model) => model.id === id)) known.delete(id);
}

export function findModel(id: string): ModelManifest | undefined {
  return known.get(id);
}

/** Known models, the built-in first; only those that can do `task` when given. */
export function listModels(task?: ModelTask): ModelManifest[] {
  return [...known.values()].filter((model) => task === undefined || model.tasks.includes(task));
}

/**
 * What identifies a model's weights, for cache keys: an installed model's
 * files by their sha256, a built-in one by its source (the package and
 * version it ships in, or code that the node's version covers). New weights
 * under the same id therefore never serve results made with the old ones.
 */
/** The sha256 (hex) of the content id: what a pipeline file records for each model it uses. */
export function modelDigest(model: ModelManifest): string {
  return createHash('sha256').update(modelContentId(model)).digest('hex');
}

export function modelContentId(model: ModelManifest): string {
  if (model.files.length === 0) return `built-in:${model.source}`;
  return model.files.map((file) => `${file.path}:${file.sha256}`).join('\n');
}
