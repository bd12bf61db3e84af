/**
 * What a worker does with one job: the same evaluator as a local run, on a
 * plan of one node whose inputs come from the shared tier, then a copy of the
 * result to the shared tier. Errors that would repeat (the node failed, its
 * inputs or model are not what the coordinator keyed) are UnrecoverableError,
 * so BullMQ does not retry them; the rest (a store that did not answer) are
 * retried with backoff.
 */
import { UnrecoverableError } from 'bullmq';
import type { Outputs } from '@reelgraph/nodes';
import type { Engine } from '../engine.ts';
import { PipelineGraph } from '../plan/pipeline-graph.ts';
import type { RunPlan } from '../plan/plan-run.ts';
import { evaluate } from '../run/evaluate.ts';
import { WriteMeter } from '../run/run-budget.ts';
import { modelContent, type FarmJobData } from './farm-job.ts';

export interface FarmJobOutcome {
  /** False when the shared tier had the result already. */
  executed: boolean;
}

export async function runFarmJob(
  engine: Engine,
  data: FarmJobData,
  signal: AbortSignal,
  onProgress: (done: number, total: number) => void,
): Promise<FarmJobOutcome> {
  const shared = engine.cache.options.shared;
  if (!shared) throw new Error('This engine has no shared cache tier; a worker needs one.');
  if (await shared.has(data.key)) return { executed: false };
  if (!engine.catalog.get(data.type)) throw new UnrecoverableError(`This worker has no node kind "${data.type}"; update it to the coordinator's version.`);
  if (data.model && modelContent(data.model.id) !== data.model.content) {
    throw new UnrecoverableError(
      modelContent(data.model.id) === null
        ? `This worker has no model "${data.model.id}".`
        : `This worker's weights for model "${data.model.id}" differ from the coordinator's; install the same ones (reelgraph models verify).`,
    );
  }

  const graph = new PipelineGraph(data.pipeline);
  const node = graph.nodes.get(data.nodeId);
  if (!node || node.type !== data.type) throw new UnrecoverableError(`The job's pipeline has no ${data.type} node "${data.nodeId}".`);
  const cached = new Map<string, Outputs>();
  const keys = new Map<string, string>([[data.nodeId, data.key]]);
  for (const [port, upstream] of Object.entries(data.inputs)) {
    const outputs = await engine.cache.get(upstream.key);
    if (!outputs) throw new UnrecoverableError(`Input "${port}" (node "${upstream.node}") is not in the shared cache (${shared.description}); run the pipeline again to remake it.`);
    cached.set(upstream.node, outputs);
    keys.set(upstream.node, upstream.key);
  }
  const plan: RunPlan = {
    nodes: [...cached.keys(), data.nodeId],
    execute: [data.nodeId],
    cached,
    reported: new Map(),
    keys,
    sameAs: new Map(),
    targets: [data.nodeId],
  };
  let failure: string | undefined;
  const result = await evaluate({
    runId: data.runId,
    graph,
    catalog: engine.catalog,
    plan,
    params: new Map([[data.nodeId, data.params]]),
    cache: engine.cache,
    scheduler: engine.scheduler,
    dataDir: engine.dataDir,
    signal,
    meter: new WriteMeter(engine.budget.bytesWritten),
    emit: (event) => {
      if (event.type === 'node.progress' && event.nodeId === data.nodeId) onProgress(event.done, event.total);
      if (event.type === 'node.status' && event.state === 'error') failure = event.error;
    },
  });
  if (result.status === 'cancelled') throw new UnrecoverableError('Cancelled.');
  if (result.status === 'failed') throw new UnrecoverableError(failure ?? 'The node failed.');
  if (!(await engine.cache.share(data.key))) throw new Error(`The result could not be copied to the shared cache (${shared.description}).`);
  return { executed: true };
}
