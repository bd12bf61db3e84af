/**
 * Runs a plan: each node starts when its upstream is done, accelerator nodes
 * one at a time through the device queue, CPU nodes beside them. A failing
 * node fails only what depends on it; cancelling reaches running nodes through
 * their AbortSignal and marks the rest cancelled. Nodes with the same key
 * execute once.
 *
 * Frames a node makes go straight into its cache entry on disk as it makes
 * them (ctx.frames), so a run's memory does not grow with video length. A
 * node's outputs are let go once its last consumer in the run has finished
 * (targets and written files are kept for the result): a cached entry is
 * unpinned (the cache may evict it again), frames that were not cached are
 * deleted. A write past the run's byte budget fails the node making it, and
 * no node starts after.
 */
import { CancelledError, LimitError, type EntryFile, type Outputs, type PortSpec, type Value } from '@reelgraph/nodes';
import type { NodeCache } from '../cache/node-cache.ts';
import type { Catalog } from '../catalog.ts';
import type { PipelineDocument } from '../pipeline/pipeline-document.ts';
import type { PipelineGraph } from '../plan/pipeline-graph.ts';
import type { RunPlan } from '../plan/plan-run.ts';
import { clipEchoes } from '../pipeline/pipeline-issue.ts';
import type { ResolvedParams } from '../pipeline/resolve-params.ts';
import type { NodeState, RunEvent, RunStatus } from './run-events.ts';
import { writesFile, WriteMeter } from './run-budget.ts';
import type { RemoteNodes } from './remote-nodes.ts';
import type { Scheduler } from './scheduler.ts';
import { summarize } from './summarize-outputs.ts';

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
  /** Bytes the run may write; unbounded when absent. */
  meter?: WriteMeter;
  warn?: (message: string) => void;
  /** A farm: the nodes it takes run on its workers, the rest here. */
  remote?: RemoteNodes;
  /** The pipeline as written (reusable graphs unexpanded), what nodes see as ctx.pipeline (an export embeds it); default: the graph's. */
  source?: PipelineDocument;
}

type Outcome = 'done' | 'failed' | 'cancelled';
type StatusReporter = (nodeId: string, state: NodeState, error?: string, worker?: string) => void;

export async function evaluate(
  options: EvaluateOptions,
): Promise<{ status: RunStatus; executed: number; deduplicated: number; outputs: Map<string, Outputs> }> {
  const { runId, graph, plan, emit, signal } = options;
  const outputs = new Map(plan.cached);
  const status: StatusReporter = (nodeId, state, error, worker) =>
    emit({ type: 'node.status', runId, nodeId, state, key: plan.keys.get(nodeId)!, ...(error ? { error } : {}), ...(worker ? { worker } : {}) });

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
  let deduplicated = 0;
  const held = new HeldFrames(options.cache);
  for (const nodeId of plan.cached.keys()) held.pin(nodeId, plan.keys.get(nodeId)!);
  const release = outputReleaser(options, outputs, held);
  const outcomes = new Map<string, Promise<Outcome>>();
  for (const nodeId of plan.execute) {
    const first = plan.sameAs.get(nodeId);
    const upstream = first !== undefined ? [outcomes.get(first)!] : graph.upstreamIds(nodeId).flatMap((id) => outcomes.get(id) ?? []);
    outcomes.set(
      nodeId,
      Promise.all(upstream).then(async (results): Promise<Outcome> => {
        let outcome: Outcome;
        if (signal.aborted || results.includes('cancelled')) {
          status(nodeId, 'cancelled');
          outcome = 'cancelled';
        } else if (first !== undefined) {
          outcome = takeResultOf(options, nodeId, first, results[0]!, outputs, status);
          if (outcome === 'done') deduplicated++;
        } else if (results.includes('failed')) {
          status(nodeId, 'skipped', 'An upstream node failed.');
          outcome = 'failed';
        } else {
          outcome = await runNode(options, nodeId, outputs, status, held);
          if (outcome === 'done') executed++;
        }
        release(nodeId);
        return outcome;
      }),
    );
  }
  let results: Outcome[];
  try {
    results = await Promise.all(outcomes.values());
  } finally {
    await held.releaseAll();
  }
  const runStatus: RunStatus = signal.aborted || results.includes('cancelled') ? 'cancelled' : results.includes('failed') ? 'failed' : 'succeeded';
  return { status: runStatus, executed, deduplicated, outputs };
}

/** A node whose key an earlier node of the run has: it reports that node's result as its own, from the run's cache. */
function takeResultOf(
  options: EvaluateOptions,
  nodeId: string,
  first: string,
  firstOutcome: Outcome,
  outputs: Map<string, Outputs>,
  status: StatusReporter,
): Outcome {
  const produced = outputs.get(first);
  if (firstOutcome !== 'done' || !produced) {
    status(nodeId, 'skipped', `Node "${first}" has the same inputs and did not finish.`);
    return 'failed';
  }
  outputs.set(nodeId, produced);
  status(nodeId, 'cached');
  options.emit({ type: 'node.output', runId: options.runId, nodeId, key: options.plan.keys.get(nodeId)!, outputs: summarize(produced) });
  return 'done';
}

/**
 * Returns the function to call when a node of the plan has finished (in any
 * way): it counts down its inputs' remaining readers and lets go of each
 * input whose last reader this was, unless the run must return it.
 */
function outputReleaser(options: EvaluateOptions, outputs: Map<string, Outputs>, held: HeldFrames): (finished: string) => void {
  const { graph, plan, catalog } = options;
  const keep = new Set(plan.targets);
  const readers = new Map<string, number>();
  const readsFrom = (id: string) => {
    const first = plan.sameAs.get(id);
    return first !== undefined ? [first] : graph.upstreamIds(id);
  };
  for (const id of plan.execute) for (const upstream of readsFrom(id)) readers.set(upstream, (readers.get(upstream) ?? 0) + 1);
  // A duplicate hands out the frames its first node holds: that hold lasts until every node sharing it is let go.
  const holderOf = (id: string) => plan.sameAs.get(id) ?? id;
  const sharers = new Map<string, number>();
  for (const id of plan.execute) sharers.set(holderOf(id), (sharers.get(holderOf(id)) ?? 0) + 1);
  const letGo = (id: string) => {
    if (keep.has(id) || writesFile(graph, catalog, id) || !outputs.has(id)) return;
    outputs.delete(id);
    const holder = holderOf(id);
    const left = (sharers.get(holder) ?? 1) - 1;
    sharers.set(holder, left);
    if (left <= 0) void held.release(holder);
  };
  return (finished) => {
    for (const upstream of readsFrom(finished)) {
      const left = readers.get(upstream)! - 1;
      readers.set(upstream, left);
      if (left === 0) letGo(upstream);
    }
    // Read by nothing in the run (a duplicate's own inputs, say): nothing will come for it.
    if (!readers.get(finished)) letGo(finished);
  };
}

/**
 * What a run holds on disk for each node's outputs until it lets them go: a
 * pinned cache entry, or a file of frames that were not cached.
 */
class HeldFrames {
  readonly #held = new Map<string, { key: string } | { scratch: EntryFile }>();
  constructor(private readonly cache: NodeCache) {}

  pin(nodeId: string, key: string): void {
    this.cache.pin(key);
    this.#held.set(nodeId, { key });
  }

  /** Holds a pin the cache already took for this run (a commit's). */
  adopt(nodeId: string, key: string): void {
    this.#held.set(nodeId, { key });
  }

  scratch(nodeId: string, file: EntryFile): void {
    this.#held.set(nodeId, { scratch: file });
  }

  release(nodeId: string): Promise<void> {
    const held = this.#held.get(nodeId);
    this.#held.delete(nodeId);
    if (!held) return Promise.resolve();
    if ('key' in held) {
      this.cache.unpin(held.key);
      return Promise.resolve();
    }
    return held.scratch.discard().catch(() => undefined);
  }

  async releaseAll(): Promise<void> {
    await Promise.all([...this.#held.keys()].map((id) => this.release(id)));
  }
}

async function runNode(
  options: EvaluateOptions,
  nodeId: string,
  outputs: Map<string, Outputs>,
  status: StatusReporter,
  held: HeldFrames,
): Promise<Outcome> {
  const { runId, graph, catalog, plan, cache, scheduler, signal, emit, meter } = options;
  const node = graph.nodes.get(nodeId)!;
  const definition = catalog.get(node.type)!;
  const inputs: Record<string, Value | undefined> = {};
  for (const [port, upstream] of graph.inputs.get(nodeId)!) {
    inputs[port] = outputs.get(upstream.node)?.[upstream.port];
  }
  const key = plan.keys.get(nodeId)!;
  const params = options.params.get(nodeId)!;
  if (options.remote?.takes(definition, params)) return runRemotely(options, options.remote, nodeId, outputs, status, held);
  const cacheable = definition.deterministic !== false;
  // Every byte of frames counts against the run's budget as it is written.
  const beforeWrite = (bytes: number) => {
    const refused = meter?.admit(bytes);
    if (refused) throw new LimitError(refused);
  };
  const queue = definition.device === 'accelerator' ? scheduler.accelerator : scheduler.cpu;
  let entry: EntryFile | undefined;
  try {
    // Inside the try: a full disk here fails this node in words, like any other write.
    entry = cacheable ? await cache.newEntry(key, { beforeWrite }) : await cache.newScratch({ beforeWrite });
    const frames = entry;
    const scratch = await cache.newScratch({ beforeWrite });
    /** Commits the result to the cache; its frames are then read from the entry (or, when not kept, from where they were written). */
    const keep = async (produced: Outputs): Promise<Outputs> => {
      try {
        const committed = await cache.commit(key, frames, produced);
        if (committed.kept) held.adopt(nodeId, key);
        else held.scratch(nodeId, frames);
        return committed.outputs;
      } catch (error) {
        options.warn?.(`Could not cache the result of node "${nodeId}": ${(error as Error).message}`);
        // Its frames are still readable where they were written, until the run lets them go.
        held.scratch(nodeId, frames);
        return produced;
      }
    };
    await queue.use(async () => {
      if (signal.aborted) throw new CancelledError();
      const exhausted = meter?.exhausted();
      if (exhausted) throw new Error(exhausted);
      status(nodeId, 'running');
      try {
        const produced = await definition.run({
          inputs,
          params,
          ctx: {
            nodeId,
            signal,
            frames,
            scratchFrames: scratch,
            dataDir: options.dataDir,
            pipeline: options.source ?? graph.document,
            progress: (done, total, preview) =>
              emit({ type: 'node.progress', runId, nodeId, done, total, ...(preview ? { preview } : {}) }),
          },
        });
        checkOutputs(produced, definition.outputs as Record<string, PortSpec>, node.type);
        for (const value of Object.values(produced)) if (value.kind === 'file') meter?.add(value.bytes);
        // Stored before it is reported: a client that fetches a reported output (a preview) finds it cached.
        outputs.set(nodeId, cacheable ? await keep(produced) : produced);
        if (!cacheable) held.scratch(nodeId, frames);
        // Reported inside the slot, so a client never sees the next device node start before this one is done.
        status(nodeId, 'done');
        emit({ type: 'node.output', runId, nodeId, key, outputs: summarize(produced) });
      } finally {
        await scratch.discard();
      }
    });
    return 'done';
  } catch (error) {
    await entry?.discard();
    if (signal.aborted || error instanceof CancelledError) {
      status(nodeId, 'cancelled');
      return 'cancelled';
    }
    status(nodeId, 'error', clipEchoes(error instanceof Error ? error.message : String(error)));
    return 'failed';
  }
}

/**
 * A node a farm runs: its inputs are copied to the shared tier, a worker
 * runs it, and its result is read back from there into this cache, pinned
 * like one made here. Reports say which worker ran it.
 */
async function runRemotely(
  options: EvaluateOptions,
  remote: RemoteNodes,
  nodeId: string,
  outputs: Map<string, Outputs>,
  status: StatusReporter,
  held: HeldFrames,
): Promise<Outcome> {
  const { runId, graph, catalog, plan, cache, signal, emit } = options;
  const definition = catalog.get(graph.nodes.get(nodeId)!.type)!;
  const key = plan.keys.get(nodeId)!;
  try {
    const inputs: Record<string, { node: string; port: string; key: string }> = {};
    for (const [port, upstream] of graph.inputs.get(nodeId)!) {
      const upstreamKey = plan.keys.get(upstream.node)!;
      if (!(await cache.share(upstreamKey))) {
        throw new Error(`The result of node "${upstream.node}" cannot reach the farm's workers (it is not cached here, or it holds files), so this node cannot run there.`);
      }
      inputs[port] = { ...upstream, key: upstreamKey };
    }
    if (signal.aborted) throw new CancelledError();
    let worker = '';
    ({ worker } = await remote.run({
      runId,
      nodeId,
      key,
      definition,
      params: options.params.get(nodeId)!,
      inputs,
      pipeline: graph.document,
      signal,
      onRunning: (name) => status(nodeId, 'running', undefined, name),
      onProgress: (done, total) => emit({ type: 'node.progress', runId, nodeId, done, total }),
    }));
    cache.pin(key);
    const produced = await cache.get(key);
    if (!produced) {
      cache.unpin(key);
      throw new Error(`Worker ${worker} reported node "${nodeId}" done, but its result is not in the shared cache.`);
    }
    held.adopt(nodeId, key);
    outputs.set(nodeId, produced);
    status(nodeId, 'done', undefined, worker);
    emit({ type: 'node.output', runId, nodeId, key, outputs: summarize(produced) });
    return 'done';
  } catch (error) {
    if (signal.aborted || error instanceof CancelledError) {
      status(nodeId, 'cancelled');
      return 'cancelled';
    }
    status(nodeId, 'error', clipEchoes(error instanceof Error ? error.message : String(error)));
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
    // Sealing waits for a sequence to complete: one never finished would hang the run.
    const video = value as Value;
    if ((video.kind === 'video' || video.kind === 'mask') && (!video.frames.complete || video.frames.frameCount !== video.frameCount)) {
      throw new Error(
        `Node kind "${type}" returned ${video.frames.complete ? `${video.frames.frameCount} frames as ${video.frameCount}` : 'frames it had not finished writing'} on output "${port}" (a bug in that node kind).`,
      );
    }
  }
}
