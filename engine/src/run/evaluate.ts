/**
 * Runs a plan: each node starts when its upstream is done, accelerator nodes
 * one at a time through the device queue, CPU nodes beside them. A failing
 * node fails only what depends on it; cancelling reaches running nodes through
 * their AbortSignal and marks the rest cancelled.
 */
import { CancelledError, summarizeValue, type Outputs, type PortSpec, type Value } from '@reelgraph/nodes';
import type { NodeCache } from '../cache/node-cache.ts';
import type { Catalog } from '../catalog.ts';
import type { PipelineGraph } from '../plan/pipeline-graph.ts';
import type { RunPlan } from '../plan/plan-run.ts';
import type { ResolvedParams } from '../pipeline/resolve-params.ts';
import type { NodeState, RunEvent, RunStatus } from './run-events.ts';
import type { Scheduler } from './scheduler.ts';

export interface EvaluateOptions {
  runId: string;
  graph: PipelineGraph;
  catalog: Catalog;
  plan: RunPlan;
  params: ResolvedParams;
  cache: NodeCache;
  scheduler: Scheduler;
  dataDir: string;
  signal: AbortSignal;
  emit: (event: RunEvent) => void;
  warn?: (message: string) => void;
}

type Outcome = 'done' | 'failed' | 'cancelled';

export async function evaluate(options: EvaluateOptions): Promise<{ status: RunStatus; executed: number; outputs: Map<string, Outputs> }> {
  const { runId, graph, plan, emit, signal } = options;
  const outputs = new Map(plan.cached);
  const status = (nodeId: string, state: NodeState, error?: string) =>
    emit({ type: 'node.status', runId, nodeId, state, key: plan.keys.get(nodeId)!, ...(error ? { error } : {}) });

  for (const nodeId of plan.nodes) {
    const cached = plan.cached.get(nodeId) ?? plan.reported.get(nodeId);
    if (cached) {
      status(nodeId, 'cached');
      emit({ type: 'node.output', runId, nodeId, key: plan.keys.get(nodeId)!, outputs: summarize(cached) });
    } else {
      status(nodeId, 'queued');
    }
  }

  let executed = 0;
  const outcomes = new Map<string, Promise<Outcome>>();
  for (const nodeId of plan.execute) {
    const upstream = graph.upstreamIds(nodeId).flatMap((id) => outcomes.get(id) ?? []);
    outcomes.set(
      nodeId,
      Promise.all(upstream).then(async (results): Promise<Outcome> => {
        if (signal.aborted || results.includes('cancelled')) {
          status(nodeId, 'cancelled');
          return 'cancelled';
        }
        if (results.includes('failed')) {
          status(nodeId, 'skipped', 'An upstream node failed.');
          return 'failed';
        }
        const outcome = await runNode(options, nodeId, outputs, status);
        if (outcome === 'done') executed++;
        return outcome;
      }),
    );
  }
  const results = await Promise.all(outcomes.values());
  const runStatus: RunStatus = signal.aborted || results.includes('cancelled') ? 'cancelled' : results.includes('failed') ? 'failed' : 'succeeded';
  return { status: runStatus, executed, outputs };
}

async function runNode(
  options: EvaluateOptions,
  nodeId: string,
  outputs: Map<string, Outputs>,
  status: (nodeId: string, state: NodeState, error?: string) => void,
): Promise<Outcome> {
  const { runId, graph, catalog, plan, cache, scheduler, signal, emit } = options;
  const node = graph.nodes.get(nodeId)!;
  const definition = catalog.get(node.type)!;
  const inputs: Record<string, Value | undefined> = {};
  for (const [port, upstream] of graph.inputs.get(nodeId)!) {
    inputs[port] = outputs.get(upstream.node)?.[upstream.port];
  }
  const queue = definition.device === 'accelerator' ? scheduler.accelerator : scheduler.cpu;
  try {
    const result = await queue.use(async () => {
      if (signal.aborted) throw new CancelledError();
      status(nodeId, 'running');
      const produced = await definition.run({
        inputs,
        params: options.params.get(nodeId)!,
        ctx: {
          nodeId,
          signal,
          dataDir: options.dataDir,
          pipeline: graph.document,
          progress: (done, total, preview) =>
            emit({ type: 'node.progress', runId, nodeId, done, total, ...(preview ? { preview } : {}) }),
        },
      });
      checkOutputs(produced, definition.outputs as Record<string, PortSpec>, node.type);
      // Reported inside the slot, so a client never sees the next device node start before this one is done.
      outputs.set(nodeId, produced);
      status(nodeId, 'done');
      emit({ type: 'node.output', runId, nodeId, key: plan.keys.get(nodeId)!, outputs: summarize(produced) });
      return produced;
    });
    if (definition.deterministic !== false) {
      await cache.put(plan.keys.get(nodeId)!, result).catch((error: Error) => {
        options.warn?.(`Could not cache the result of node "${nodeId}": ${error.message}`);
      });
    }
    return 'done';
  } catch (error) {
    if (signal.aborted || error instanceof CancelledError) {
      status(nodeId, 'cancelled');
      return 'cancelled';
    }
    status(nodeId, 'error', error instanceof Error ? error.message : String(error));
    return 'failed';
  }
}

const KIND_OF_PORT: Record<string, string> = {
  PROMPT: 'prompt',
  CAMERA: 'camera',
  IMAGE: 'image',
  MASK: 'mask',
  VIDEO: 'video',
  FILE: 'file',
};

/** A node that returns the wrong shape is a bug in that node; say which. */
function checkOutputs(result: unknown, specs: Record<string, PortSpec>, type: string): asserts result is Outputs {
  for (const [port, spec] of Object.entries(specs)) {
    const value = (result as Record<string, { kind?: string } | undefined> | undefined)?.[port];
    if (value?.kind !== KIND_OF_PORT[spec.type]) {
      throw new Error(`Node kind "${type}" returned no ${spec.type} on output "${port}" (a bug in that node kind).`);
    }
  }
}

function summarize(outputs: Outputs): Record<string, Record<string, unknown>> {
  return Object.fromEntries(Object.entries(outputs).map(([port, value]) => [port, summarizeValue(value)]));
}
