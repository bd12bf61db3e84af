/**
 * What runs report, kept apart from the document: per node its state,
 * progress, live thumbnail, outputs and stale mark. Views subscribe per node,
 * so a progress tick re-renders one node and a drag re-renders none.
 */
import type { NodeState, OutputSummary, RunStats, RunStatus, ServerMessage } from '@reelgraph/engine';
import { PATH_SEPARATOR } from '@reelgraph/engine/reusable-graphs';
import { useRunView, type UseOutputs } from '../reusable/use-run-view.ts';

export interface NodeRunView {
  state?: NodeState;
  error?: string;
  progress?: { done: number; total: number };
  /** A small JPEG data URL sent while the node works. */
  preview?: string;
  outputs?: Record<string, OutputSummary>;
  /** On a farm: the worker that runs or ran the node. */
  worker?: string;
  /** The result on show was made from settings that have changed since. */
  stale: boolean;
}

export type RunPhase = 'idle' | 'sending' | 'queued' | 'running' | 'finished' | 'rejected' | 'lost';

export interface RunSummary {
  phase: RunPhase;
  runId?: string;
  /** Runs ahead of this one in the engine's queue. */
  position?: number;
  status?: RunStatus;
  stats?: RunStats;
  /** Nodes the run touches, and how many of them are settled. */
  total: number;
  settled: number;
  /** The node running now, for the status bar. */
  current?: string;
  /** When the run started running, and when the current node did (ms since epoch), for elapsed time and an estimate. */
  startedAt?: number;
  currentStartedAt?: number;
  /** The current node's progress, when it reports any. */
  currentProgress?: { done: number; total: number };
}

const EMPTY_VIEW: NodeRunView = { stale: false };
const SETTLED: ReadonlySet<NodeState> = new Set(['done', 'cached', 'error', 'cancelled', 'skipped']);
const ACTIVE: ReadonlySet<RunPhase> = new Set(['sending', 'queued', 'running']);

type Listener = () => void;

export class RunStore {
  #nodes = new Map<string, NodeRunView>();
  /** Each node's fingerprint when the result on show was made. */
  #resultHashes = new Map<string, string>();
  #currentHashes = new Map<string, string>();
  /** Fingerprints at the moment the active run was sent. */
  #runHashes = new Map<string, string>();
  #runNodes = new Map<string, NodeState>();
  #summary: RunSummary = { phase: 'idle', total: 0, settled: 0 };
  /** The pipeline's use nodes and their outputs' expanded ends: their views are derived from their inner nodes'. */
  #uses: UseOutputs = new Map();
  readonly #nodeListeners = new Map<string, Set<Listener>>();
  readonly #listeners = new Set<Listener>();

  getNode = (id: string): NodeRunView => this.#nodes.get(id) ?? EMPTY_VIEW;
  getSummary = (): RunSummary => this.#summary;
  isActive(): boolean {
    return ACTIVE.has(this.#summary.phase);
  }

  subscribeNode(id: string, listener: Listener): () => void {
    const listeners = this.#nodeListeners.get(id) ?? new Set<Listener>();
    listeners.add(listener);
    this.#nodeListeners.set(id, listeners);
    return () => {
      listeners.delete(listener);
      if (listeners.size === 0) this.#nodeListeners.delete(id);
    };
  }

  subscribe = (listener: Listener): (() => void) => {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  };

  /** A run was sent; `hashes` are the fingerprints of the document it ran. */
  beginRun(runId: string, hashes: ReadonlyMap<string, string>): void {
    this.#runHashes = new Map(hashes);
    this.#runNodes = new Map();
    this.#setSummary({ phase: 'sending', runId, total: 0, settled: 0 });
  }

  /** Re-attaching to a run this page did not send (after a reload): its fingerprints are today's. */
  adoptRun(runId: string): void {
    this.beginRun(runId, this.#currentHashes);
  }

  /** The engine forgot the run (it restarted): nothing more will come for it. */
  abandonRun(): void {
    if (!this.isActive()) return;
    for (const [id, view] of this.#nodes) {
      if (view.state === 'queued' || view.state === 'running') {
        const { progress: _progress, preview: _preview, state: _state, ...rest } = view;
        this.#setNode(id, rest);
      }
    }
    this.#setSummary({ ...this.#summary, phase: 'lost' });
  }

  handle(message: ServerMessage): void {
    if (!('runId' in message) || message.runId === undefined || message.runId !== this.#summary.runId) return;
    switch (message.type) {
      case 'run.accepted':
        this.#setSummary({ ...this.#summary, phase: message.position > 0 ? 'queued' : 'running', position: message.position });
        return;
      case 'run.rejected':
        this.#setSummary({ ...this.#summary, phase: 'rejected' });
        return;
      case 'node.status':
        this.#applyStatus(message.nodeId, message.state, message.error, message.worker);
        return;
      case 'node.progress': {
        const view = this.getNode(message.nodeId);
        const progress = { done: message.done, total: message.total };
        this.#setNode(message.nodeId, { ...view, progress, ...(message.preview ? { preview: message.preview } : {}) });
        const { currentProgress } = this.#summary;
        const changed = currentProgress?.done !== progress.done || currentProgress.total !== progress.total;
        if (this.#summary.current === message.nodeId && changed) this.#setSummary({ ...this.#summary, currentProgress: progress });
        return;
      }
      case 'node.output':
        this.#resultHashes.set(message.nodeId, this.#hashAtRun(message.nodeId));
        this.#setNode(message.nodeId, { ...this.getNode(message.nodeId), outputs: message.outputs });
        return;
      case 'run.finished':
        this.#setSummary({ ...this.#summary, phase: 'finished', status: message.status, stats: message.stats, position: 0 });
        return;
      case 'run.state':
        for (const [id, snapshot] of Object.entries(message.nodes)) {
          this.#applyStatus(id, snapshot.state, snapshot.error);
          const view = this.getNode(id);
          this.#setNode(id, {
            ...view,
            ...(snapshot.progress ? { progress: snapshot.progress } : {}),
            ...(snapshot.outputs ? { outputs: snapshot.outputs } : {}),
          });
        }
        this.#setSummary({
          ...this.#summary,
          phase: message.phase === 'finished' ? 'finished' : message.phase,
          ...(message.status ? { status: message.status } : {}),
          ...(message.stats ? { stats: message.stats } : {}),
        });
        return;
      default:
        return;
    }
  }

  /**
   * Results the engine's cache holds, shown without a run (on open, after a
   * reload, after an edit back to settings already rendered): each node
   * becomes `cached` with its outputs, made from `hashes` (the fingerprints
   * of the document asked about). Nodes of a run under way are left to it.
   */
  showCached(nodes: Readonly<Record<string, { outputs: Record<string, OutputSummary> }>>, hashes: ReadonlyMap<string, string>): void {
    const active = this.isActive();
    for (const [id, { outputs }] of Object.entries(nodes)) {
      if (active && this.#runNodes.has(id)) continue;
      const hash = hashes.get(id);
      if (hash === undefined) continue;
      this.#resultHashes.set(id, hash);
      const { error: _error, progress: _progress, preview: _preview, ...view } = this.getNode(id);
      this.#setNode(id, { ...view, state: 'cached', outputs });
    }
  }

  /** The document changed: recompute stale marks from the new fingerprints. */
  setCurrentHashes(hashes: ReadonlyMap<string, string>): void {
    this.#currentHashes = new Map(hashes);
    for (const [id, view] of this.#nodes) {
      // A use's mark follows its inner nodes' (refreshed through them).
      if (this.#uses.has(id)) continue;
      const stale = this.#isStale(id);
      if (stale !== view.stale) this.#setNode(id, { ...view, stale });
    }
  }

  /** The document's use nodes changed: derive their views again. */
  setUses(uses: UseOutputs): void {
    const before = this.#uses;
    this.#uses = uses;
    for (const id of new Set([...before.keys(), ...uses.keys()])) this.#refreshUse(id);
  }

  /** A different pipeline is open: forget every result. */
  reset(): void {
    const ids = [...this.#nodes.keys()];
    this.#nodes = new Map();
    this.#resultHashes = new Map();
    this.#runNodes = new Map();
    for (const id of ids) this.#notifyNode(id);
    for (const id of this.#uses.keys()) this.#refreshUse(id);
    if (!this.isActive()) this.#setSummary({ phase: 'idle', total: 0, settled: 0 });
  }

  #applyStatus(id: string, state: NodeState, error: string | undefined, worker?: string): void {
    const { error: _error, progress: _progress, preview: _preview, worker: _worker, ...view } = this.getNode(id);
    if (state === 'done' || state === 'cached') this.#resultHashes.set(id, this.#hashAtRun(id));
    this.#setNode(id, {
      ...view,
      state,
      ...(error !== undefined ? { error } : {}),
      ...(state === 'running' ? { progress: { done: 0, total: 0 } } : {}),
      // The worker that made the result on show: a later state without one (queued, cached) is not that worker's.
      ...(worker !== undefined ? { worker } : {}),
    });
    this.#runNodes.set(id, state);
    const settled = [...this.#runNodes.values()].filter((s) => SETTLED.has(s)).length;
    const phase = state === 'running' && this.#summary.phase !== 'finished' ? 'running' : this.#summary.phase;
    const current = state === 'running' ? id : this.#summary.current === id ? undefined : this.#summary.current;
    const { current: _current, currentStartedAt: _since, currentProgress: _currentProgress, ...summary } = this.#summary;
    const now = Date.now();
    const timing = {
      ...(phase === 'running' ? { startedAt: summary.startedAt ?? now } : {}),
      ...(current !== undefined ? { currentStartedAt: state === 'running' ? now : (this.#summary.currentStartedAt ?? now) } : {}),
      ...(current !== undefined && state !== 'running' && this.#summary.currentProgress ? { currentProgress: this.#summary.currentProgress } : {}),
    };
    this.#setSummary({ ...summary, ...timing, phase, total: this.#runNodes.size, settled, ...(current !== undefined ? { current } : {}) });
  }

  #hashAtRun(id: string): string {
    return this.#runHashes.get(id) ?? this.#currentHashes.get(id) ?? '';
  }

  #isStale(id: string): boolean {
    const result = this.#resultHashes.get(id);
    const current = this.#currentHashes.get(id);
    return result !== undefined && result !== '' && current !== undefined && result !== current;
  }

  #setNode(id: string, view: Omit<NodeRunView, 'stale'> & { stale?: boolean }): void {
    this.#nodes.set(id, { ...view, stale: this.#isStale(id) });
    this.#notifyNode(id);
    // Every use the node is inside, innermost first: a nested use's view is derived too (shown while its definition is open).
    const parts = id.split(PATH_SEPARATOR);
    for (let depth = parts.length - 1; depth > 0; depth--) this.#refreshUse(parts.slice(0, depth).join(PATH_SEPARATOR));
  }

  /** A use's view, from its inner nodes' (the engine reports those, by path). */
  #refreshUse(useId: string): void {
    const outputs = this.#uses.get(useId);
    if (!outputs) {
      if (this.#nodes.delete(useId)) this.#notifyNode(useId);
      return;
    }
    const prefix = `${useId}${PATH_SEPARATOR}`;
    const members = new Map([...this.#nodes].filter(([id]) => id.startsWith(prefix)));
    const view = useRunView(members, outputs);
    const old = this.#nodes.get(useId);
    if (old && JSON.stringify(old) === JSON.stringify(view)) return;
    this.#nodes.set(useId, view);
    this.#notifyNode(useId);
  }

  #notifyNode(id: string): void {
    for (const listener of this.#nodeListeners.get(id) ?? []) listener();
  }

  #setSummary(summary: RunSummary): void {
    this.#summary = summary;
    for (const listener of this.#listeners) listener();
  }
}
