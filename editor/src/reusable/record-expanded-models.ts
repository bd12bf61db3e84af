/**
 * A saved file records the weights of every model it uses (model-records.ts),
 * including models used inside reusable graphs: the records are taken from
 * the expanded pipeline (what runs) and put on the file as written.
 */
import { recordModels } from '@reelgraph/engine/model-records';
import { expandReusableGraphs } from '@reelgraph/engine/reusable-graphs';
import type { PipelineDocument } from '../document/pipeline-types.ts';

type ParamKinds = Parameters<typeof recordModels>[1];

export function recordExpandedModels(doc: PipelineDocument, paramsOf: ParamKinds, digestOf: (modelId: string) => string | undefined): PipelineDocument {
  const expanded = expandReusableGraphs(doc);
  if (!expanded.ok || expanded.document === doc) return recordModels(doc, paramsOf, digestOf);
  const { models } = recordModels(expanded.document, paramsOf, digestOf);
  const { models: _old, ...rest } = doc;
  return models ? { ...rest, models } : rest;
}
