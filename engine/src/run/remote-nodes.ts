/**
 * Where nodes run when they do not run here: the seam between the evaluator
 * and a farm (farm/farm-client.ts). The evaluator keeps deciding what runs
 * and when; a node the farm takes is sent once its inputs are in the shared
 * tier, and its result is read back from there.
 */
import type { AnyNodeDefinition } from '@reelgraph/nodes';
import type { PipelineDocument } from '../pipeline/pipeline-document.ts';

export interface RemoteNodeRequest {
  runId: string;
  nodeId: string;
  key: string;
  definition: AnyNodeDefinition;
  /** The node's params as `run` receives them (never files: nodes that read files run here). */
  params: Record<string, unknown>;
  /** Input port → the upstream node, its output port and its cache key. */
  inputs: Record<string, { node: string; port: string; key: string }>;
  pipeline: PipelineDocument;
  signal: AbortSignal;
  /** A worker has started the node. */
  onRunning: (worker: string) => void;
  onProgress: (done: number, total: number) => void;
}

export interface RemoteNodes {
  /** Whether this node runs remotely; false runs it here. */
  takes(definition: AnyNodeDefinition, params: Record<string, unknown>): boolean;
  /** Runs it remotely; resolves, with the worker that ran it, once its result is in the shared tier. */
  run(request: RemoteNodeRequest): Promise<{ worker: string }>;
}
