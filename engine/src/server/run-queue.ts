/**
 * Runs submitted over the socket execute one after another, in order. Each
 * run keeps its state (phase, per-node snapshot) so a client that reconnects
 * can re-attach; a run never depends on the client that started it.
 */
import type { Engine } from '../engine.ts';
import type { LoadedPipeline } from '../pipeline/load-pipeline.ts';
import { PipelineInvalidError, type PipelineIssue } from '../pipeline/pipeline-issue.ts';
import type { NodeSnapshot, RunPhase, ServerMessage } from '../protocol/protocol.ts';
import type { RunEvent, RunStats, RunStatus } from '../run/run-events.ts';

export type RunListener = (message: ServerMessage) => void;

/** Turns an engine event into what clients receive (media URLs, preview images); undefined drops it. */
export type PresentEvent = (event: RunEvent, send: (message: ServerMessage) => void) => ServerMessage | undefined;

export class QueuedRun {
  phase: RunPhase = 'queued';
  status: RunStatus | undefined;
  stats: RunStats | undefined;
  readonly nodes = new Map<string, NodeSnapshot>();
  readonly listeners = new Set<RunListener>();
  readonly controller = new AbortController();
  finished: Promise<void> | undefined;

  constructor(
    readonly id: string,
    readonly pipeline: LoadedPipeline,
    readonly targets: string[] | undefined,
    readonly noCache: boolean,
  ) {}

  /** The run so far, as a `run.state` message. */
  state(): ServerMessage {
    return {
      type: 'run.state',
      runId: this.id,
      phase: this.phase,
      ...(this.status ? { status: this.status } : {}),
      ...(this.stats ? { stats: this.stats } : {}),
      nodes: Object.fromEntries(this.nodes),
    };
  }

  publish(message: ServerMessage): void {
    this.#record(message);
    for (const listener of this.listeners) listener(message);
  }

  #record(message: ServerMessage): void {
    switch (message.type) {
      case 'node.status': {
        const previous = this.nodes.get(message.nodeId);
        this.nodes.set(message.nodeId, {
          ...(previous?.outputs ? { outputs: previous.outputs } : {}),
          state: message.state,
          key: message.key,
          ...(message.error ? { error: message.error } : {}),
        });
        return;
      }
      case 'node.progress': {
        const node = this.nodes.get(message.nodeId);
        if (node) node.progress = { done: message.done, total: message.total };
        return;
      }
      case 'node.output': {
        const node = this.nodes.get(message.nodeId);
        if (node) node.outputs = message.outputs;
        return;
      }
      case 'run.finished':
        this.phase = 'finished';
        this.status = message.status;
        this.stats = message.stats;
        return;
      default:
        return;
    }
  }
}

export class RunQueue {
  readonly #runs = new Map<string, QueuedRun>();
  readonly #pending: QueuedRun[] = [];
  #active: QueuedRun | undefined;
  #closed = false;

  constructor(
    private readonly engine: Engine,
    private readonly present: PresentEvent,
    private readonly keepFinished = 100,
  ) {}

  get(runId: string): QueuedRun | undefined {
    return this.#runs.get(runId);
  }

  /** Problems that would make the run fail before it starts (media, targets, its budget), found now so they can be refused. */
  async check(pipeline: LoadedPipeline, targets: string[] | undefined): Promise<PipelineIssue[]> {
    return this.engine.check({ pipeline, ...(targets ? { targets } : {}) });
  }

  /** Queues a run; returns it and its position (0 = starts now). */
  submit(run: QueuedRun): number {
    if (this.#closed) throw new Error('The engine is shutting down.');
    this.#runs.set(run.id, run);
    this.#pending.push(run);
    const position = this.#pending.length - 1 + (this.#active ? 1 : 0);
    // Started on a later turn, so the caller can acknowledge the run before its first event.
    setImmediate(() => this.#pump());
    this.#forgetOldRuns();
    return position;
  }

  has(runId: string): boolean {
    return this.#runs.has(runId);
  }

  cancel(runId: string): boolean {
    const run = this.#runs.get(runId);
    if (!run) return false;
    run.controller.abort();
    const waiting = this.#pending.indexOf(run);
    if (waiting >= 0) {
      this.#pending.splice(waiting, 1);
      run.publish({ type: 'run.finished', runId, status: 'cancelled', stats: { executed: 0, cached: 0, ms: 0 } });
    }
    return true;
  }

  /** Cancels everything and waits for the active run to wind down. */
  async close(): Promise<void> {
    this.#closed = true;
    for (const run of [...this.#pending]) this.cancel(run.id);
    const active = this.#active;
    if (active) {
      active.controller.abort();
      await active.finished;
    }
  }

  #pump(): void {
    if (this.#active || this.#closed) return;
    const run = this.#pending.shift();
    if (!run) return;
    this.#active = run;
    run.phase = 'running';
    run.finished = this.#execute(run).finally(() => {
      this.#active = undefined;
      this.#pump();
    });
  }

  async #execute(run: QueuedRun): Promise<void> {
    const send = (message: ServerMessage) => run.publish(message);
    try {
      await this.engine.run(
        { pipeline: run.pipeline, runId: run.id, signal: run.controller.signal, noCache: run.noCache, ...(run.targets ? { targets: run.targets } : {}) },
        (event) => {
          const message = this.present(event, send);
          if (message) send(message);
        },
      );
    } catch (error) {
      // Files can vanish between check and start; anything else is a bug worth reporting, not a crash.
      const message = error instanceof PipelineInvalidError ? error.message : `The run failed: ${(error as Error).message}`;
      send({ type: 'error', code: 'server', message, runId: run.id });
      send({ type: 'run.finished', runId: run.id, status: 'failed', stats: { executed: 0, cached: 0, ms: 0 } });
    }
  }

  #forgetOldRuns(): void {
    const finished = [...this.#runs.values()].filter((r) => r.phase === 'finished');
    for (const run of finished.slice(0, Math.max(0, finished.length - this.keepFinished))) this.#runs.delete(run.id);
  }
}
