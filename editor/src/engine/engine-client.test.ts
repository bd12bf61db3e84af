import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { EngineClient } from './engine-client.ts';

/** Just enough of a browser WebSocket: records what is sent and lets the test play the engine. */
class FakeSocket {
  static readonly OPEN = 1;
  static all: FakeSocket[] = [];
  readyState = 0;
  sent: Record<string, unknown>[] = [];
  readonly #listeners = new Map<string, ((event: { data?: unknown }) => void)[]>();

  constructor(readonly url: string) {
    FakeSocket.all.push(this);
  }
  addEventListener(type: string, listener: (event: { data?: unknown }) => void) {
    this.#listeners.set(type, [...(this.#listeners.get(type) ?? []), listener]);
  }
  send(text: string) {
    this.sent.push(JSON.parse(text) as Record<string, unknown>);
  }
  close() {
    this.drop();
  }
  open() {
    this.readyState = FakeSocket.OPEN;
    this.#emit('open', {});
  }
  receive(message: unknown) {
    this.#emit('message', { data: JSON.stringify(message) });
  }
  drop() {
    this.readyState = 3;
    this.#emit('close', {});
  }
  #emit(type: string, event: { data?: unknown }) {
    for (const listener of this.#listeners.get(type) ?? []) listener(event);
  }
}

const welcome = { type: 'welcome', engineVersion: '0.1.0', protocolVersion: 1, device: { name: 'cpu', reasons: [] }, catalog: [], models: [] };

function memoryStorage() {
  const items = new Map<string, string>();
  return { getItem: (k: string) => items.get(k) ?? null, setItem: (k: string, v: string) => void items.set(k, v), removeItem: (k: string) => void items.delete(k) };
}

describe('EngineClient', () => {
  beforeEach(() => {
    FakeSocket.all = [];
    vi.stubGlobal('WebSocket', FakeSocket);
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
    vi.unstubAllGlobals();
  });

  it('says hello and is open once welcomed', () => {
    const client = new EngineClient('ws://engine/ws', memoryStorage());
    client.start();
    const socket = FakeSocket.all[0]!;
    socket.open();
    expect(socket.sent).toEqual([{ type: 'hello', protocolVersion: 1, client: 'reelgraph-editor' }]);
    expect(client.getSnapshot().status).toBe('connecting');
    socket.receive(welcome);
    expect(client.getSnapshot()).toMatchObject({ status: 'open', welcome: { device: { name: 'cpu' } } });
  });

  it('reconnects with backoff after the engine goes away, and re-subscribes to the run it follows', () => {
    const client = new EngineClient('ws://engine/ws', memoryStorage());
    client.start();
    FakeSocket.all[0]!.open();
    FakeSocket.all[0]!.receive(welcome);
    client.follow('run-7');
    FakeSocket.all[0]!.drop();
    expect(client.getSnapshot()).toMatchObject({ status: 'reconnecting', attempts: 1, welcome: { type: 'welcome' } });
    vi.advanceTimersByTime(1000);
    expect(FakeSocket.all).toHaveLength(2);
    const second = FakeSocket.all[1]!;
    second.open();
    second.receive(welcome);
    expect(second.sent).toEqual([{ type: 'hello', protocolVersion: 1, client: 'reelgraph-editor' }, { type: 'subscribe', runId: 'run-7' }, { type: 'library.list' }]);
    expect(client.getSnapshot().attempts).toBe(0);
  });

  it('stops following a run once it finishes or the engine forgot it', () => {
    const client = new EngineClient('ws://engine/ws', memoryStorage());
    client.start();
    FakeSocket.all[0]!.open();
    client.follow('run-1');
    FakeSocket.all[0]!.receive({ type: 'run.finished', runId: 'run-1', status: 'succeeded', stats: { executed: 1, cached: 0, ms: 5 } });
    expect(client.followedRun).toBeUndefined();
    client.follow('run-2');
    FakeSocket.all[0]!.receive({ type: 'error', code: 'unknown-run', message: 'gone', runId: 'run-2' });
    expect(client.followedRun).toBeUndefined();
  });

  it('answers validate with the matching validation message', async () => {
    const client = new EngineClient('ws://engine/ws', memoryStorage());
    client.start();
    const socket = FakeSocket.all[0]!;
    socket.open();
    const answer = client.validate({ nodes: [] });
    const request = socket.sent.at(-1)!;
    expect(request).toMatchObject({ type: 'validate', pipeline: { nodes: [] } });
    socket.receive({ type: 'validation', requestId: 'other', errors: [{ code: 'json', message: 'not mine' }] });
    socket.receive({ type: 'validation', requestId: request.requestId, errors: [{ code: 'cycle', message: 'a loop' }] });
    await expect(answer).resolves.toEqual([{ code: 'cycle', message: 'a loop' }]);
  });

  it('asks for the library after the welcome, keeps its list, and fetches an entry', async () => {
    const client = new EngineClient('ws://engine/ws', memoryStorage());
    client.start();
    const socket = FakeSocket.all[0]!;
    socket.open();
    socket.receive(welcome);
    expect(socket.sent.at(-1)).toEqual({ type: 'library.list' });
    const entries = [{ id: 'Look', name: 'Look', savedAt: '2026-01-01T00:00:00.000Z' }];
    socket.receive({ type: 'library', entries });
    expect(client.getSnapshot().library).toEqual(entries);
    const entry = { format: 'reelgraph.graph', version: 1, id: 'Look', definitionId: 'look', definition: { name: 'Look' }, savedAt: 'now' };
    const got = client.libraryEntry('Look');
    expect(socket.sent.at(-1)).toEqual({ type: 'library.get', id: 'Look' });
    socket.receive({ type: 'library.entry', entry });
    await expect(got).resolves.toEqual(entry);
    const missing = client.libraryEntry('Gone');
    socket.receive({ type: 'error', code: 'library', message: 'No graph "Gone" is in the library.' });
    await expect(missing).rejects.toThrow('No graph "Gone"');
    // The list survives a reconnect until the engine sends a new one.
    socket.drop();
    expect(client.getSnapshot().library).toEqual(entries);
  });

  it('sends nothing while disconnected', () => {
    const client = new EngineClient('ws://engine/ws', memoryStorage());
    client.start();
    expect(client.send({ type: 'cancel', runId: 'r' })).toBe(false);
    expect(FakeSocket.all[0]!.sent).toEqual([]);
  });
});
