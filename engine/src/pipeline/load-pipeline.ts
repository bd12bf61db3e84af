/**
 * From text or a file to a validated pipeline: size limit, JSON, structure
 * (depth, size, reserved keys), format and version (migrating older files),
 * shape, then the graph against the catalog. Every way a pipeline arrives
 * (file, socket message, import) goes through `loadPipelineValue`, so one set
 * of limits holds for all. Throws PipelineInvalidError with every issue found.
 */
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import type { Catalog } from '../catalog.ts';
import { migrateDocument } from './migrations.ts';
import { parseJson } from './parse-json.ts';
import type { PipelineDocument } from './pipeline-document.ts';
import { PipelineInvalidError } from './pipeline-issue.ts';
import { structureProblem, tooLargeMessage } from './pipeline-limits.ts';
import { validatePipeline } from './validate-pipeline.ts';

export interface LoadedPipeline {
  /** What runs: reusable graphs expanded into their nodes. */
  document: PipelineDocument;
  /** The document as written, when it uses reusable graphs (what exports embed and the run history keeps). */
  source?: PipelineDocument;
  /** The folder relative media paths resolve in. */
  baseDir: string | undefined;
  /** Descriptions of the migrations applied on load. */
  migrated: string[];
}

export function loadPipelineText(text: string, catalog: Catalog, baseDir?: string): LoadedPipeline {
  const tooLarge = tooLargeMessage(Buffer.byteLength(text));
  if (tooLarge) throw new PipelineInvalidError([{ code: 'file', message: tooLarge }]);
  const parsed = parseJson(text);
  if (!parsed.ok) throw new PipelineInvalidError(parsed.issues);
  return loadPipelineValue(parsed.value, catalog, baseDir);
}

export function loadPipelineValue(value: unknown, catalog: Catalog, baseDir?: string): LoadedPipeline {
  const problem = structureProblem(value);
  if (problem) throw new PipelineInvalidError([{ code: 'json', message: problem }]);
  const migrated = migrateDocument(value);
  if (!migrated.ok) throw new PipelineInvalidError(migrated.issues);
  const validated = validatePipeline(migrated.document, catalog);
  if (!validated.ok) throw new PipelineInvalidError(validated.issues);
  return { document: validated.document, ...(validated.source ? { source: validated.source } : {}), baseDir, migrated: migrated.applied };
}

export async function loadPipelineFile(file: string, catalog: Catalog): Promise<LoadedPipeline> {
  let size: number;
  try {
    const info = await stat(file);
    if (!info.isFile()) throw new Error('not a file');
    size = info.size;
  } catch {
    throw new PipelineInvalidError([{ code: 'file', message: `Cannot read "${file}": no such file.` }]);
  }
  const tooLarge = tooLargeMessage(size, `"${file}"`);
  if (tooLarge) throw new PipelineInvalidError([{ code: 'file', message: tooLarge }]);
  const text = await readFile(file, 'utf8');
  return loadPipelineText(text, catalog, path.dirname(path.resolve(file)));
}
