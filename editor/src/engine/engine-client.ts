/**
 * The WebSocket to the engine: says hello, reconnects with backoff when the
 * engine goes away, and re-subscribes to the run it follows, so a restart of
 * the engine or of the page picks up where it was. The connection state is an
 * external store for useSyncExternalStore.
 */
import type { ClientMessage, LibraryEntry, LibraryEntrySummary, PipelineIssue, ServerMessage } from '@reelgraph/engine';
import type { Welcome } from '../catalog/catalog-types.ts';
import { reconnectDelay } from './reconnect-backoff.ts';

export type ConnectionStatus = 'connecting' | 'open' | 'reconnecting';

export interface ConnectionState {
  status: ConnectionStatus;
  /** Set once the engine greeted us; kept across reconnects so the editor keeps working. */
  welcome?: Welcome;
  /** When the next attempt starts (ms since epoch), while reconnecting. */
  retryAt?: number;
  /** Failed attempts in a row. */
  attempts: number;
  /** The engine's library of reusable graphs (asked for after each welcome; every change is sent to every client). */
  library?: LibraryEntrySummary[];
}

type MessageListener = (message: ServerMessage) => void;

/** What the engine's cache holds for a pipeline's nodes, by node id. */
export type CachedResults = Extract<ServerMessage, { type: 'results' }>['nodes'];

const PROTOCOL_VERSION = 1;
const FOLLOWED_RUN_KEY = 'reelgraph.followedRun';

export class EngineClient {
  #socket: WebSocket | undefined;
  #state: ConnectionState = { status: 'connecting', attempts: 0 };
  #timer: ReturnType<typeof setTimeout> | undefined;
  #stopped = true;
  #requestCount = 0;
  readonly #stateListeners = new Set<() => void>();
  readonly #messageListeners = new Set<MessageListener>();
  readonly #validations = new Map<string, (issues: PipelineIssue[]) => void>();
  readonly #results = new Map<string, (nodes: CachedResults) => void>();
  readonly #libraryGets = new Map<string, { resolve: (entry: LibraryEntry) => void; reject: (error: Error) => void }[]>();

  constructor(
    private readonly url: string,
    private readonly storage: Pick<Storage, 'getItem' | 'setItem' | 'removeItem'> | undefined = globalThis.sessionStorage,
  ) {}

  getSnapshot = (): ConnectionState => this.#state;

  subscribe = (listener: () => void): (() => void) => {
    this.#stateListeners.add(listener);
    return () => this.#stateListeners.delete(listener);
  };

  onMessage(listener: MessageListener): () => void {
    this.#messageListeners.add(listener);
    return () => this.#messageListeners.delete(listener);
  }

  start(): void {
    if (!this.#stopped) return;
    this.#stopped = false;
    this.#open();
  }

  stop(): void {
    this.#stopped = true;
    clearTimeout(this.#timer);
    this.#socket?.close(1000, 'The editor closed.');
    this.#socket = undefined;
  }

  /** Sends when connected; returns false (and sends nothing) otherwise. */
  send(message: ClientMessage): boolean {
    if (this.#socket?.readyState !== WebSocket.OPEN) return false;
    this.#socket.send(JSON.stringify(message));
    return true;
  }

  /** The run to re-attach to after a reconnect or a reload, until it finishes. */
  get followedRun(): string | undefined {
    return this.storage?.getItem(FOLLOWED_RUN_KEY) ?? undefined;
  }

  follow(runId: string | undefined): void {
    if (runId === undefined) this.storage?.removeItem(FOLLOWED_RUN_KEY);
    else this.storage?.setItem(FOLLOWED_RUN_KEY, runId);
  }

  /** Every problem the engine finds in the pipeline; rejects when not connected. */
  validate(pipeline: unknown): Promise<PipelineIssue[]> {
    return this.#request('validate', pipeline, this.#validations);
  }

  /** The results the engine's cache holds for the pipeline's nodes (nothing runs); rejects when not connected. */
  results(pipeline: unknown): Promise<CachedResults> {
    return this.#request('results', pipeline, this.#results);
  }

  /** A whole library entry, with the definitions it uses; rejects when not connected or when the engine cannot give it. */
  libraryEntry(id: string): Promise<LibraryEntry> {
    return new Promise((resolve, reject) => {
      if (!this.send({ type: 'library.get', id })) {
        reject(new Error('The engine is not connected.'));
        return;
      }
      this.#libraryGets.set(id, [...(this.#libraryGets.get(id) ?? []), { resolve, reject }]);
    });
  }

  #failLibraryGets(error: Error): void {
    for (const waiters of this.#libraryGets.values()) for (const waiter of waiters) waiter.reject(error);
    this.#libraryGets.clear();
  }

  /** Sends a request about a pipeline under a fresh id; the answer with that id resolves it (or an empty one if the socket closes first). */
  #request<T>(type: 'validate' | 'results', pipeline: unknown, pending: Map<string, (answer: T) => void>): Promise<T> {
    this.#requestCount += 1;
    const requestId = `${type[0]}${this.#requestCount}`;
    return new Promise((resolve, reject) => {
      if (!this.send({ type, requestId, pipeline })) {
        reject(new Error('The engine is not connected.'));
        return;
      }
      pending.set(requestId, resolve);
    });
  }

  #open(): void {
    const socket = new WebSocket(this.url);
    this.#socket = socket;
    socket.addEventListener('open', () => {
      socket.send(JSON.stringify({ type: 'hello', protocolVersion: PROTOCOL_VERSION, client: 'reelgraph-editor' } satisfies ClientMessage));
    });
    socket.addEventListener('message', (event) => {
      if (typeof event.data !== 'string') return;
      let message: ServerMessage;
      try {
        message = JSON.parse(event.data) as ServerMessage;
      } catch {
        return;
      }
      this.#receive(message);
    });
    socket.addEventListener('close', () => {
      if (this.#socket !== socket) return;
      this.#socket = undefined;
      // Pending validations will never be answered on this socket.
      for (const resolve of this.#validations.values()) resolve([]);
      this.#validations.clear();
      for (const resolve of this.#results.values()) resolve({});
      this.#results.clear();
      this.#failLibraryGets(new Error('The engine went away.'));
      if (!this.#stopped) this.#scheduleReconnect();
    });
  }

  #receive(message: ServerMessage): void {
    if (message.type === 'welcome') {
      const { library } = this.#state;
      this.#setState({ status: 'open', welcome: message, attempts: 0, ...(library ? { library } : {}) });
      const runId = this.followedRun;
      if (runId !== undefined) this.send({ type: 'subscribe', runId });
      this.send({ type: 'library.list' });
    }
    if (message.type === 'library') this.#setState({ ...this.#state, library: message.entries });
    if (message.type === 'library.entry') {
      for (const waiter of this.#libraryGets.get(message.entry.id) ?? []) waiter.resolve(message.entry);
      this.#libraryGets.delete(message.entry.id);
    }
    // Errors carry no request id: a library refusal fails the entries being fetched (the controller shows its words).
    if (message.type === 'error' && message.code === 'library') this.#failLibraryGets(new Error(message.message));
    // The engine tells every client when models are pulled or removed: pickers and the Models panel follow.
    if (message.type === 'models' && this.#state.welcome) {
      this.#setState({ ...this.#state, welcome: { ...this.#state.welcome, models: message.models } });
    }
    if (message.type === 'validation' && message.requestId !== undefined) {
      this.#validations.get(message.requestId)?.(message.errors);
      this.#validations.delete(message.requestId);
    }
    if (message.type === 'results' && message.requestId !== undefined) {
      this.#results.get(message.requestId)?.(message.nodes);
      this.#results.delete(message.requestId);
    }
    const finished = message.type === 'run.finished' || (message.type === 'run.state' && message.phase === 'finished');
    if (finished && message.runId === this.followedRun) this.follow(undefined);
    if (message.type === 'error' && message.code === 'unknown-run' && message.runId === this.followedRun) this.follow(undefined);
    for (const listener of this.#messageListeners) listener(message);
  }

  #scheduleReconnect(): void {
    const attempts = this.#state.attempts + 1;
    const delay = reconnectDelay(attempts - 1);
    const { welcome, library } = this.#state;
    this.#setState({ status: 'reconnecting', attempts, retryAt: Date.now() + delay, ...(welcome ? { welcome } : {}), ...(library ? { library } : {}) });
    this.#timer = setTimeout(() => {
      if (this.#stopped) return;
      this.#setState({ ...this.#state, status: 'connecting' });
      this.#open();
    }, delay);
  }

  #setState(state: ConnectionState): void {
    this.#state = state;
    for (const listener of this.#stateListeners) listener();
  }
}
