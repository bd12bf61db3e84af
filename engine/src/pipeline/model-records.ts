/**
 * The models a pipeline file records: `"models": { "<id>": { "sha256": … } }`,
 * the digest of the weights each model param was used with (sha256 over the
 * model's content id: its files and their hashes, or a built-in model's
 * package and version). A shared file so says what it needs, and a person
 * whose installed model differs learns it before running, not from frames
 * that look wrong.
 *
 * Browser-safe (the editor records models when it saves a file): the caller
 * supplies each node kind's params and each model's digest.
 */
import type { PipelineIssue } from './pipeline-issue.ts';

/** What this module needs of a pipeline. */
export interface ModelRecordsDocument {
  nodes: readonly { id: string; type: string; params: Record<string, unknown> }[];
  models?: Record<string, { sha256: string }>;
}

/** A node kind's params, as far as finding its model params goes. */
export type ParamKinds = (type: string) => Record<string, { kind: string; default?: unknown }> | undefined;

export interface ModelUse {
  modelId: string;
  nodeId: string;
  param: string;
}

/** Every model param of every node, with its value (or its default). */
export function modelUses(document: ModelRecordsDocument, paramsOf: ParamKinds): ModelUse[] {
  const uses: ModelUse[] = [];
  for (const node of document.nodes) {
    for (const [param, spec] of Object.entries(paramsOf(node.type) ?? {})) {
      if (spec.kind !== 'model') continue;
      const value = Object.hasOwn(node.params, param) ? node.params[param] : spec.default;
      if (typeof value === 'string' && value !== '') uses.push({ modelId: value, nodeId: node.id, param });
    }
  }
  return uses;
}

/**
 * The document with `models` naming exactly the models its nodes use, each
 * with the digest of the installed one; a model with no known digest (not
 * installed) keeps what the file recorded.
 */
export function recordModels<D extends ModelRecordsDocument>(document: D, paramsOf: ParamKinds, digestOf: (modelId: string) => string | undefined): D {
  const models: Record<string, { sha256: string }> = {};
  for (const { modelId } of modelUses(document, paramsOf)) {
    const sha256 = digestOf(modelId) ?? document.models?.[modelId]?.sha256;
    if (sha256) models[modelId] = { sha256 };
  }
  const { models: _old, ...rest } = document;
  return (Object.keys(models).length > 0 ? { ...rest, models } : rest) as D;
}

/**
 * An issue for each node whose model is installed with other weights than
 * the file records. (A model that is not installed at all is the model
 * param's own issue.)
 */
export function checkModelRecords(document: ModelRecordsDocument, paramsOf: ParamKinds, digestOf: (modelId: string) => string | undefined): PipelineIssue[] {
  const issues: PipelineIssue[] = [];
  for (const { modelId, nodeId, param } of modelUses(document, paramsOf)) {
    const recorded = document.models?.[modelId]?.sha256;
    const installed = digestOf(modelId);
    if (!recorded || !installed || recorded === installed) continue;
    issues.push({
      code: 'model',
      nodeId,
      param,
      message:
        `"${param}" is "${modelId}", but not the weights this pipeline was made with (it records ${recorded.slice(0, 12)}…, the installed ones are ${installed.slice(0, 12)}…). ` +
        `Get the recorded version with \`reelgraph models pull ${modelId}\`, or remove "${modelId}" from the file's "models" to use the installed one.`,
    });
  }
  return issues;
}
