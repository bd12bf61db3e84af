/**
 * The engine: a catalog, a data dir, one cache and one scheduler shared by
 * every run. `run` resolves media, computes keys, plans, evaluates, and
 * reports every state change through `emit`.
 */
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import type { Outputs } from '@reelgraph/nodes';
import { DEFAULT_CACHE_BUDGET, NodeCache } from './cache/node-cache.ts';
import type { Catalog } from './catalog.ts';
import { sweepOrphanTemps } from './fs/write-file-atomic.ts';
import { AssetStore } from './pipeline/asset-store.ts';
import type { LoadedPipeline } from './pipeline/load-pipeline.ts';
import { PipelineInvalidError, type PipelineIssue } from './pipeline/pipeline-issue.ts';
import { resolveParams, type ResolvedParams } from './pipeline/resolve-params.ts';
import { PipelineGraph } from './plan/pipeline-graph.ts';
import { computeKeys, planRun, type RunPlan } from './plan/plan-run.ts';
import type { SharedStore } from './farm/shared-store/shared-store.ts';
import { evaluate } from './run/evaluate.ts';
import type { RemoteNodes } from './run/remote-nodes.ts';
import type { RunEvent, RunStats, RunStatus } from './run/run-events.ts';
import { checkPlanBudget, DEFAULT_RUN_BUDGET, WriteMeter, type RunBudget } from './run/run-budget.ts';
import { createScheduler, type Scheduler } from './run/scheduler.ts';
import { summarize } from './run/summarize-outputs.ts';

export interface EngineOptions {
  catalog: Catalog;
  dataDir: string;
  cacheMemoryBytes?: number;
  cacheDiskBytes?: number;
  scheduler?: Scheduler;
  /** What one run may cost; each field defaults to DEFAULT_RUN_BUDGET's. */
  budget?: Partial<RunBudget>;
  warn?: (message: string) => void;
  /** On a farm: the shared cache tier behind this engine's own (farm/shared-store). */
  sharedCache?: SharedStore;
  /** On a farm: where the nodes it takes run (farm/farm-client.ts); without it every node runs here. */
  remote?: RemoteNodes;
}

export interface RunRequest {
  pipeline: LoadedPipeline;
  /** Node ids to produce; default: every sink. */
  targets?: readonly string[];
  runId?: string;
  /** Execute every node even when its result is cached (results are still stored). */
  noCache?: boolean;
  signal?: AbortSignal;
}

export interface RunResult {
  runId: string;
  status: RunStatus;
  stats: RunStats;
  outputs: Map<string, Outputs>;
}

export interface PreparedRun {
  graph: PipelineGraph;
  params: ResolvedParams;
  plan: RunPlan;
}

export class Engine {
  readonly catalog: Catalog;
  readonly dataDir: string;
  readonly cache: NodeCache;
  readonly assets: AssetStore;
  readonly scheduler: Scheduler;
  readonly budget: RunBudget;
  readonly remote: RemoteNodes | undefined;
  readonly #warn: (message: string) => void;
  #swept: Promise<number> | undefined;

  constructor(options: EngineOptions) {
    this.catalog = options.catalog;
    this.dataDir = path.resolve(options.dataDir);
    this.cache = new NodeCache({
      dataDir: this.dataDir,
      memoryBytes: options.cacheMemoryBytes ?? DEFAULT_CACHE_BUDGET.memoryBytes,
      diskBytes: options.cacheDiskBytes ?? DEFAULT_CACHE_BUDGET.diskBytes,
      ...(options.sharedCache ? { shared: options.sharedCache } : {}),
    });
    this.remote = options.remote;
    this.assets = new AssetStore(path.join(this.dataDir, 'assets'));
    this.scheduler = options.scheduler ?? createScheduler();
    this.budget = { ...DEFAULT_RUN_BUDGET, ...options.budget };
    this.#warn = options.warn ?? ((message) => console.warn(message));
  }

  /**
   * Removes what killed writers left in the data dir (half-written exports,
   * uploads, imports); the cache cleans its own folder. Done once per engine,
   * before its first run or request; resolves with the count removed.
   */
  sweepOrphans(): Promise<number> {
    this.#swept ??= Promise.all(
      ['outputs', 'assets', 'imports', 'runs'].map((folder) => sweepOrphanTemps(path.join(this.dataDir, folder))),
    ).then((counts) => counts.reduce((sum, count) => sum + count, 0));
    return this.#swept;
  }

  /** Media issues of a loaded pipeline (missing files, paths outside its folder), without running it. */
  async checkMedia(pipeline: LoadedPipeline): Promise<PipelineIssue[]> {
    return (await resolveParams(pipeline.document, this.catalog, { baseDir: pipeline.baseDir, store: this.assets })).issues;
  }

  /**
   * Every reason a run of this pipeline would be refused before it starts
   * (unknown targets, media, the run budget), found without loading any
   * cached pixels; empty when it would start.
   */
  async check(request: Omit<RunRequest, 'runId' | 'signal'>): Promise<PipelineIssue[]> {
    try {
      await this.plan(request, { peekOnly: true });
      return [];
    } catch (error) {
      if (error instanceof PipelineInvalidError) return error.issues;
      throw error;
    }
  }

  /**
   * What a run would do: which nodes it touches, which execute and which are
   * served from cache. Throws PipelineInvalidError when media or targets are wrong.
   */
  async plan(request: Omit<RunRequest, 'runId' | 'signal'>, options: { peekOnly?: boolean } = {}): Promise<PreparedRun> {
    const { document } = request.pipeline;
    const graph = new PipelineGraph(document);
    const targets = request.targets && request.targets.length > 0 ? [...request.targets] : graph.sinks();
    const unknownTargets = targets
      .filter((id) => !graph.nodes.has(id))
      .map((id): PipelineIssue => ({ code: 'target', nodeId: id, message: `There is no node "${id}" to run to.` }));
    const { params, issues } = await resolveParams(document, this.catalog, { baseDir: request.pipeline.baseDir, store: this.assets });
    if (unknownTargets.length + issues.length > 0) throw new PipelineInvalidError([...unknownTargets, ...issues]);
    const keys = computeKeys(graph, this.catalog, params);
    const peek = (key: string) => this.cache.peek(key);
    const damaged = new Map<string, string>();
    const lookup = (key: string) => this.cache.get(key, (reason) => damaged.set(key, reason));
    const plan = request.noCache
      ? await planRun(graph, targets, keys, async () => undefined)
      : await planRun(graph, targets, keys, options.peekOnly ? peek : lookup, peek);
    for (const [key, reason] of damaged) {
      const nodes = [...keys].filter(([, k]) => k === key).map(([id]) => `"${id}"`);
      this.#warn(`The cached result of node ${nodes.join(', ')} was damaged (${reason}); it is computed again.`);
    }
    const overBudget = checkPlanBudget(plan, graph, this.catalog, this.budget);
    if (overBudget.length > 0) throw new PipelineInvalidError(overBudget);
    return { graph, params, plan };
  }

  /**
   * The results the cache already holds for this pipeline's nodes, found
   * without running anything or reading pixels (what a client shows on open):
   * by node id, its cache key and output summaries. Empty when a run would be
   * refused (the refusal is validation's to report).
   */
  async cachedResults(pipeline: LoadedPipeline): Promise<Map<string, { key: string; outputs: Record<string, Record<string, unknown>> }>> {
    let plan: RunPlan;
    try {
      ({ plan } = await this.plan({ pipeline }, { peekOnly: true }));
    } catch (error) {
      if (error instanceof PipelineInvalidError) return new Map();
      throw error;
    }
    return new Map([...plan.cached, ...plan.reported].map(([id, outputs]) => [id, { key: plan.keys.get(id)!, outputs: summarize(outputs) }]));
  }

  /** Throws PipelineInvalidError (before any event) when media or targets are wrong. */
  async run(request: RunRequest, emit: (event: RunEvent) => void = () => undefined): Promise<RunResult> {
    const started = performance.now();
    const runId = request.runId ?? randomUUID();
    const signal = request.signal ?? new AbortController().signal;
    await this.sweepOrphans();
    const { graph, params, plan } = await this.plan(request);
    const result = await evaluate({
      runId,
      graph,
      catalog: this.catalog,
      plan,
      params,
      cache: this.cache,
      scheduler: this.scheduler,
      dataDir: this.dataDir,
      signal,
      emit,
      meter: new WriteMeter(this.budget.bytesWritten),
      warn: this.#warn,
      ...(this.remote ? { remote: this.remote } : {}),
      ...(request.pipeline.source ? { source: request.pipeline.source } : {}),
    });
    // A node that took the result of an identical one in this run reported `cached`, and counts so.
    const cached = plan.cached.size + plan.reported.size + result.deduplicated;
    const stats: RunStats = { executed: result.executed, cached, ms: Math.round(performance.now() - started) };
    emit({ type: 'run.finished', runId, status: result.status, stats });
    return { runId, status: result.status, stats, outputs: result.outputs };
  }
}
