/**
 * The Models panel's state: asks the engine to verify, remove and pull
 * models, and keeps what it answered (each model's verification, the pulls
 * under way and how they ended, the last problem) as an external store for
 * useSyncExternalStore. The list itself is the welcome's, which the engine
 * refreshes for every client when it changes.
 */
import type { ServerMessage } from '@reelgraph/engine';
import type { EngineClient } from '../engine/engine-client.ts';

export interface PullState {
  pullId: string;
  source: string;
  /** Known once the engine has read the manifest. */
  id?: string;
  file?: string;
  done: number;
  total: number;
  outcome?: { ok: true; id: string } | { ok: false; error: string };
}

export interface ModelPanelState {
  /** Per model id: undefined = not checked, [] = whole, else the problems. */
  verified: Readonly<Record<string, readonly string[]>>;
  verifying: boolean;
  pulls: readonly PullState[];
  /** The engine's answer to the last action that failed, in words. */
  problem?: string;
}

export class ModelManager {
  #state: ModelPanelState = { verified: {}, verifying: false, pulls: [] };
  #pullCount = 0;
  readonly #listeners = new Set<() => void>();

  constructor(private readonly client: EngineClient) {
    client.onMessage((message) => this.#receive(message));
  }

  getSnapshot = (): ModelPanelState => this.#state;

  subscribe = (listener: () => void): (() => void) => {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  };

  verify(id?: string): void {
    if (this.#send({ type: 'models.verify', ...(id ? { id } : {}) })) this.#set({ verifying: true });
  }

  remove(id: string): void {
    this.#send({ type: 'models.remove', id });
  }

  pull(source: string): void {
    const trimmed = source.trim();
    if (trimmed === '') return;
    this.#pullCount += 1;
    const pullId = `pull-${Date.now().toString(36)}-${this.#pullCount}`;
    if (this.#send({ type: 'models.pull', pullId, source: trimmed })) {
      this.#set({ pulls: [...this.#state.pulls, { pullId, source: trimmed, done: 0, total: 0 }] });
    }
  }

  dismissProblem(): void {
    const { problem: _gone, ...rest } = this.#state;
    this.#state = rest;
    this.#emit();
  }

  #send(message: Parameters<EngineClient['send']>[0]): boolean {
    const { problem: _gone, ...rest } = this.#state;
    this.#state = rest;
    if (this.client.send(message)) return true;
    this.#set({ problem: 'The engine is not connected.' });
    return false;
  }

  #receive(message: ServerMessage): void {
    switch (message.type) {
      case 'models.verified': {
        const verified = { ...this.#state.verified };
        for (const result of message.results) verified[result.id] = result.problems;
        this.#set({ verified, verifying: false });
        return;
      }
      case 'models.pull.progress':
        this.#updatePull(message.pullId, { id: message.id, file: message.file, done: message.done, total: message.total });
        return;
      case 'models.pull.finished':
        this.#updatePull(message.pullId, { outcome: message.ok ? { ok: true, id: message.id } : { ok: false, error: message.error } });
        return;
      case 'models': {
        // A removed model's verification no longer applies.
        const present = new Set(message.models.map((model) => model.id));
        this.#set({ verified: Object.fromEntries(Object.entries(this.#state.verified).filter(([id]) => present.has(id))) });
        return;
      }
      case 'error':
        if (message.code === 'model') this.#set({ problem: message.message, verifying: false });
        return;
      default:
        return;
    }
  }

  #updatePull(pullId: string, change: Partial<PullState>): void {
    if (!this.#state.pulls.some((pull) => pull.pullId === pullId)) return;
    this.#set({ pulls: this.#state.pulls.map((pull) => (pull.pullId === pullId ? { ...pull, ...change } : pull)) });
  }

  #set(change: Partial<ModelPanelState>): void {
    this.#state = { ...this.#state, ...change };
    this.#emit();
  }

  #emit(): void {
    for (const listener of this.#listeners) listener();
  }
}
