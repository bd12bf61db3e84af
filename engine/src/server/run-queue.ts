/**
 * Runs submitted over the socket execute one after another, in order. Each
 * run keeps its state (phase, per-node snapshot) so a client that reconnects
 * can re-attach; a run never depends on the client that started it. With a
 * journal, the queue and the last finished runs survive a restart: waiting
 * runs (and one a killed engine was running) start again, in order.
 */
import type { Engine } from '../engine.ts';
import { loadPipelineValue, type LoadedPipeline } from '../pipeline/load-pipeline.ts';
import { PipelineInvalidError, type PipelineIssue } from '../pipeline/pipeline-issue.ts';
import type { NodeSnapshot, RunPhase, RunSummary, ServerMessage } from '../protocol/protocol.ts';
import type { RunEvent, RunStats, RunStatus } from '../run/run-events.ts';
import type { RunJournal, RunRecord } from './run-journal.ts';

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
  /** Order of acceptance; set when the queue takes the run. */
  seq = 0;
  submittedAt = new Date().toISOString();
  startedAt: string | undefined;
  finishedAt: string | undefined;

  constructor(
    readonly id: string,
    readonly pipeline: LoadedPipeline,
    readonly targets: string[] | undefined,
    readonly noCache: boolean,
  ) {}

  summary(position: number | undefined): RunSummary {
    const files = this.#files();
    return {
      runId: this.id,
      name: this.pipeline.document.name,
      phase: this.phase,
      ...(this.status ? { status: this.status } : {}),
      ...(this.stats ? { stats: this.stats } : {}),
      submittedAt: this.submittedAt,
      ...(this.startedAt ? { startedAt: this.startedAt } : {}),
      ...(this.finishedAt ? { finishedAt: this.finishedAt } : {}),
      ...(position !== undefined ? { position } : {}),
      ...(files.length > 0 ? { files } : {}),
    };
  }

  #files(): NonNullable<RunSummary['files']> {
    return [...this.nodes].flatMap(([nodeId, node]) =>
      Object.values(node.outputs ?? {})
        .filter((output) => output.kind === 'file' && typeof output.url === 'string')
        .map((output) => ({ nodeId, name: typeof output.name === 'string' ? output.name : (output.url as string).split('/').at(-1)!, url: output.url as string })),
    );
  }

  record(): RunRecord {
    // As written: reopening a run gives back its reusable graphs, not their expansion.
    const document = this.pipeline.source ?? this.pipeline.document;
    // Embedded media is in the asset store once the run was checked; the record names it by hash only.
    const assets = Object.fromEntries(Object.entries(document.assets).map(([ref, { data: _data, ...asset }]) => [ref, asset]));
    return {
      format: 1,
      seq: this.seq,
      id: this.id,
      name: document.name,
      phase: this.phase,
      submittedAt: this.submittedAt,
      ...(this.startedAt ? { startedAt: this.startedAt } : {}),
      ...(this.finishedAt ? { finishedAt: this.finishedAt } : {}),
      ...(this.status ? { status: this.status } : {}),
      ...(this.stats ? { stats: this.stats } : {}),
      pipeline: { ...document, assets },
      ...(this.targets ? { targets: this.targets } : {}),
      noCache: this.noCache,
      nodes: Object.fromEntries(this.nodes),
    };
  }

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
    this.apply(message);
    this.notify(message);
  }

  notify(message: ServerMessage): void {
    for (const listener of this.listeners) listener(message);
  }

  /** Takes a message into the run's state without telling anyone yet. */
  apply(message: ServerMessage): void {
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
        this.finishedAt = new Date().toISOString();
        return;
      default:
        return;
    }
  }
}

export interface RunQueueOptions {
  /** Where runs are kept across restarts; in memory only when absent. */
  journal?: RunJournal;
  /** How many finished runs are remembered. */
  keepFinished?: number;
  /** Makes a restored run's outputs servable again (their media URLs); returns them as clients get them. */
  restoreOutputs?: (snapshot: NodeSnapshot) => NodeSnapshot;
  warn?: (message: string) => void;
}

export class RunQueue {
  readonly #runs = new Map<string, QueuedRun>();
  readonly #pending: QueuedRun[] = [];
  #active: QueuedRun | undefined;
  #closed = false;
  #nextSeq = 1;
  readonly #journal: RunJournal | undefined;
  readonly #keepFinished: number;

  constructor(
    private readonly engine: Engine,
    private readonly present: PresentEvent,
    private readonly options: RunQueueOptions = {},
  ) {
    this.#journal = options.journal;
    this.#keepFinished = options.keepFinished ?? 100;
  }

  get(runId: string): QueuedRun | undefined {
    return this.#runs.get(runId);
  }

  /** Every run remembered, oldest first: finished ones, the running one, then the waiting ones with their position. */
  list(): RunSummary[] {
    return [...this.#runs.values()]
      .sort((a, b) => a.seq - b.seq)
      .map((run) => {
        const waiting = this.#pending.indexOf(run);
        return run.summary(run.phase === 'finished' ? undefined : waiting >= 0 ? waiting + (this.#active ? 1 : 0) : 0);
      });
  }

  /**
   * Takes back what the journal holds: finished runs as history, and the runs
   * that were waiting or running when the last engine stopped, queued again
   * in their order. Call once, before the first submit.
   */
  async restore(): Promise<{ finished: number; requeued: number }> {
    if (!this.#journal) return { finished: 0, requeued: 0 };
    const journal = this.#journal;
    const records = await journal.load();
    // A run id can be used again once its run is forgotten; if the older file outlived a kill, the newer run is the one.
    const latest = new Map<string, RunRecord>();
    for (const record of records) {
      this.#nextSeq = Math.max(this.#nextSeq, record.seq + 1);
      const older = latest.get(record.id);
      if (older) await journal.remove(older.seq);
      latest.set(record.id, record);
    }
    let requeued = 0;
    for (const record of latest.values()) {
      let pipeline: LoadedPipeline;
      try {
        pipeline = loadPipelineValue(record.pipeline, this.engine.catalog);
      } catch (error) {
        if (!(error instanceof PipelineInvalidError)) throw error;
        this.options.warn?.(`Run "${record.id}" from the history no longer loads: ${error.message}`);
        await journal.remove(record.seq);
        continue;
      }
      const run = new QueuedRun(record.id, pipeline, record.targets, record.noCache);
      run.seq = record.seq;
      run.submittedAt = record.submittedAt;
      this.#runs.set(run.id, run);
      if (record.phase === 'finished') {
        run.phase = 'finished';
        run.status = record.status;
        run.stats = record.stats;
        run.startedAt = record.startedAt;
        run.finishedAt = record.finishedAt;
        const restore = this.options.restoreOutputs ?? ((snapshot: NodeSnapshot) => snapshot);
        for (const [nodeId, snapshot] of Object.entries(record.nodes)) run.nodes.set(nodeId, restore(snapshot));
      } else {
        // A run the last engine was in the middle of starts over; what it finished is in the cache.
        this.#pending.push(run);
        requeued++;
      }
    }
    if (requeued > 0) setImmediate(() => this.#pump());
    return { finished: latest.size - requeued, requeued };
  }

  /** Problems that would make the run fail before it starts (media, targets, its budget), found now so they can be refused. */
  async check(pipeline: LoadedPipeline, targets: string[] | undefined): Promise<PipelineIssue[]> {
    return this.engine.check({ pipeline, ...(targets ? { targets } : {}) });
  }

  /**
   * Queues a run once it is in the journal, so a run a client was told is
   * accepted survives a crash. `accepted` is called with its position (0 =
   * starts now) before the run can start, so the client hears of it first.
   */
  async submit(run: QueuedRun, accepted: (position: number) => void): Promise<void> {
    if (this.#closed) throw new Error('The engine is shutting down.');
    run.seq = this.#nextSeq++;
    this.#runs.set(run.id, run);
    await this.#journal?.save(run.record());
    // Journal writes may finish out of order; the queue keeps the order of acceptance.
    const after = this.#pending.findIndex((waiting) => waiting.seq > run.seq);
    this.#pending.splice(after < 0 ? this.#pending.length : after, 0, run);
    accepted(this.#pending.indexOf(run) + (this.#active ? 1 : 0));
    this.#forgetOldRuns();
    setImmediate(() => this.#pump());
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
      void this.#finish(run, { type: 'run.finished', runId, status: 'cancelled', stats: { executed: 0, cached: 0, ms: 0 } });
    }
    return true;
  }

  /**
   * Cancels the active run and waits for it to wind down. Waiting runs are
   * left waiting: with a journal they start when the engine is back.
   */
  async close(): Promise<void> {
    this.#closed = true;
    if (!this.#journal) for (const run of [...this.#pending]) this.cancel(run.id);
    const active = this.#active;
    if (active) {
      active.controller.abort();
      await active.finished;
    }
    await this.#journal?.flush();
  }

  #pump(): void {
    if (this.#active || this.#closed) return;
    const run = this.#pending.shift();
    if (!run) return;
    this.#active = run;
    run.phase = 'running';
    run.startedAt = new Date().toISOString();
    void this.#journal?.save(run.record());
    run.finished = this.#execute(run).finally(() => {
      this.#active = undefined;
      this.#forgetOldRuns();
      this.#pump();
    });
  }

  async #execute(run: QueuedRun): Promise<void> {
    let finished: Extract<ServerMessage, { type: 'run.finished' }> | undefined;
    const send = (message: ServerMessage) => {
      // Held back until the journal has it: a run a client saw finish must never run again after a crash.
      if (message.type === 'run.finished') finished = message;
      else run.publish(message);
    };
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
      finished = { type: 'run.finished', runId: run.id, status: 'failed', stats: { executed: 0, cached: 0, ms: 0 } };
    }
    if (finished) await this.#finish(run, finished);
  }

  /** Records the end of a run in the journal, then tells its clients. */
  async #finish(run: QueuedRun, message: Extract<ServerMessage, { type: 'run.finished' }>): Promise<void> {
    run.apply(message);
    await this.#journal?.save(run.record());
    run.notify(message);
  }

  #forgetOldRuns(): void {
    const finished = [...this.#runs.values()].filter((r) => r.phase === 'finished').sort((a, b) => a.seq - b.seq);
    for (const run of finished.slice(0, Math.max(0, finished.length - this.#keepFinished))) {
      this.#runs.delete(run.id);
      void this.#journal?.remove(run.seq);
    }
  }
}
