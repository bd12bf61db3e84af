/**
 * Param values as a node's `run` receives them: defaults applied and every
 * file param resolved to a checked, hashed file on disk. Media problems are
 * collected for the whole pipeline, like validation issues.
 */
import { findModel, modelContentId } from '@reelgraph/models';
import type { ParamSpec, ResolvedFile } from '@reelgraph/nodes';
import type { Catalog } from '../catalog.ts';
import type { PipelineDocument } from './pipeline-document.ts';
import { clipIssue, type PipelineIssue } from './pipeline-issue.ts';
import { resolveMediaWithPicture, type MediaContext, type ResolvedMedia } from './resolve-media.ts';
import { withDefaults } from './validate-pipeline.ts';

export type ResolvedParams = Map<string, Record<string, unknown>>;

export async function resolveParams(
  document: PipelineDocument,
  catalog: Catalog,
  media: Omit<MediaContext, 'assets'>,
): Promise<{ params: ResolvedParams; issues: PipelineIssue[] }> {
  const params: ResolvedParams = new Map();
  const context: MediaContext = { ...media, assets: document.assets };
  // Each distinct name is resolved once, and all of them concurrently: a big
  // pipeline names the same clip many times, and the checks are filesystem calls.
  const lookups = new Map<string, Promise<ResolvedMedia>>();
  const pending: Promise<PipelineIssue | undefined>[] = [];
  for (const node of document.nodes) {
    const definition = catalog.get(node.type);
    if (!definition) continue;
    const specs = definition.params as Record<string, ParamSpec>;
    const values = withDefaults(node.params, specs);
    params.set(node.id, values);
    for (const [name, spec] of Object.entries(specs)) {
      if (spec.kind !== 'file') continue;
      const reference = values[name] as string;
      values[name] = undefined;
      if (reference === '') continue;
      let lookup = lookups.get(reference);
      if (!lookup) {
        lookup = resolveMediaWithPicture(reference, context);
        lookups.set(reference, lookup);
      }
      const picturesOnly = !spec.accept.includes('video');
      pending.push(
        lookup.then(
          ({ file, picture }): PipelineIssue | undefined => {
            // Refused now rather than by the node's decoder, whose failure would quote ffprobe.
            if (picturesOnly && !picture) {
              return { code: 'media', nodeId: node.id, param: name, message: `"${file.name}" is not a PNG, JPEG, WebP, BMP, TIFF or GIF image.` };
            }
            values[name] = file;
            return undefined;
          },
          (error: Error): PipelineIssue => ({ code: 'media', nodeId: node.id, param: name, message: error.message }),
        ),
      );
    }
  }
  const issues = (await Promise.all(pending)).filter((issue): issue is PipelineIssue => issue !== undefined).map(clipIssue);
  return { params, issues };
}

/**
 * Params as they enter the cache key: a file counts by its content, not by
 * its name or place; a model by its id and its weights (modelContentId).
 */
export function keyedParams(values: Record<string, unknown>, specs: Record<string, ParamSpec> = {}): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(values).map(([name, value]) => {
      if (isResolvedFile(value)) return [name, { sha256: value.sha256 }];
      if (specs[name]?.kind === 'model' && typeof value === 'string') {
        const model = findModel(value);
        return [name, { model: value, content: model ? modelContentId(model) : null }];
      }
      return [name, value];
    }),
  );
}

function isResolvedFile(value: unknown): value is ResolvedFile {
  return typeof value === 'object' && value !== null && 'sha256' in value && 'path' in value;
}
