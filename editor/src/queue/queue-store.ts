/**
 * The engine's runs, from every client, for the queue panel: asked for every
 * second while someone watches (the engine answers `list-runs` from memory,
 * so this is cheap), kept as an external store for useSyncExternalStore.
 */
import type { RunSummary, ServerMessage } from '@reelgraph/engine';
import type { EngineClient } from '../engine/engine-client.ts';

const POLL_MS = 1000;

export class QueueStore {
  #runs: readonly RunSummary[] = [];
  #watchers = 0;
  #timer: ReturnType<typeof setInterval> | undefined;
  readonly #listeners = new Set<() => void>();
  readonly #pipelines = new Map<string, (pipeline: unknown) => void>();

  constructor(private readonly client: EngineClient) {
    client.onMessage((message) => this.#receive(message));
  }

  getSnapshot = (): readonly RunSummary[] => this.#runs;

  /** Subscribing starts the polling; the last unsubscribe stops it. */
  subscribe = (listener: () => void): (() => void) => {
    this.#listeners.add(listener);
    this.#watchers += 1;
    if (this.#watchers === 1) {
      this.refresh();
      this.#timer = setInterval(() => this.refresh(), POLL_MS);
    }
    return () => {
      this.#listeners.delete(listener);
      this.#watchers -= 1;
      if (this.#watchers === 0) clearInterval(this.#timer);
    };
  };

  refresh(): void {
    this.client.send({ type: 'list-runs' });
  }

  cancel(runId: string): void {
    this.client.send({ type: 'cancel', runId });
    this.refresh();
  }

  /** The pipeline a run was made from. */
  pipelineOf(runId: string): Promise<unknown> {
    return new Promise((resolve, reject) => {
      if (!this.client.send({ type: 'run-pipeline', runId })) reject(new Error('The engine is not connected.'));
      else this.#pipelines.set(runId, resolve);
    });
  }

  #receive(message: ServerMessage): void {
    switch (message.type) {
      case 'runs':
        this.#runs = message.runs;
        for (const listener of this.#listeners) listener();
        return;
      case 'run.pipeline':
        this.#pipelines.get(message.runId)?.(message.pipeline);
        this.#pipelines.delete(message.runId);
        return;
      default:
        return;
    }
  }
}
