/**
 * One farm job: one node, named by its cache key, so a node that two runs
 * (or two coordinators) need is queued and computed once. Jobs wait in a
 * queue per route: one per model for accelerator nodes (a worker serves the
 * models it has), one for accelerator nodes without a model, one for CPU
 * nodes (any worker).
 */
import { findModel, modelContentId } from '@reelgraph/models';
import type { AnyNodeDefinition, ParamSpec, PortSpec } from '@reelgraph/nodes';
import type { PipelineDocument } from '../pipeline/pipeline-document.ts';

export interface FarmJobData {
  key: string;
  nodeId: string;
  runId: string;
  type: string;
  params: Record<string, unknown>;
  inputs: Record<string, { node: string; port: string; key: string }>;
  /** The whole pipeline: a node may read it (ctx.pipeline). */
  pipeline: PipelineDocument;
  /** The model the node runs, and the weights the coordinator keyed it with. */
  model?: { id: string; content: string | null };
}

export interface FarmJobResult {
  worker: string;
  /** False when the result was already in the shared tier (another worker made it first). */
  executed: boolean;
}

/** What a worker reports while it runs a job (job progress). */
export interface FarmJobProgress {
  worker: string;
  done: number;
  total: number;
}

export const CPU_ROUTE = 'cpu';
export const DEVICE_ROUTE = 'device';
const QUEUE_PREFIX = 'reelgraph';
/** The Redis channel on which coordinators ask workers to stop a job (its key). */
export const CANCEL_CHANNEL = 'reelgraph:cancel';

export type Route = typeof CPU_ROUTE | typeof DEVICE_ROUTE | `model:${string}`;

export function modelRoute(modelId: string): Route {
  return `model:${modelId}`;
}

/** The BullMQ queue name of a route (no ':' in queue names; model ids keep their letters). */
export function queueName(route: Route): string {
  return `${QUEUE_PREFIX}-${route.replace(/[^A-Za-z0-9_.-]/g, '_')}`;
}

/**
 * Whether a node runs on the machine that plans the run rather than on a
 * worker: nodes that read files the pipeline names (those files are there)
 * and nodes that write files (the person who asked downloads them from there).
 */
export function runsOnCoordinator(definition: AnyNodeDefinition): boolean {
  const params = Object.values(definition.params as Record<string, ParamSpec>);
  const outputs = Object.values(definition.outputs as Record<string, PortSpec>);
  return params.some((spec) => spec.kind === 'file') || outputs.some((spec) => spec.type === 'FILE');
}

/** The queue a farmed node waits in. */
export function routeOf(definition: AnyNodeDefinition, params: Record<string, unknown>): Route {
  if (definition.device !== 'accelerator') return CPU_ROUTE;
  const model = modelIdOf(definition, params);
  return model !== undefined ? modelRoute(model) : DEVICE_ROUTE;
}

export function modelIdOf(definition: AnyNodeDefinition, params: Record<string, unknown>): string | undefined {
  for (const [name, spec] of Object.entries(definition.params as Record<string, ParamSpec>)) {
    if (spec.kind === 'model' && typeof params[name] === 'string' && params[name] !== '') return params[name] as string;
  }
  return undefined;
}

/** The weights a model id names on this machine (what keys use); null when it is not installed here. */
export function modelContent(modelId: string): string | null {
  const model = findModel(modelId);
  return model ? modelContentId(model) : null;
}
