/**
 * The queue and history outlive `reelgraph serve`: killed with runs waiting
 * and one running, a new engine on the same data dir still lists the
 * finished runs (their media still served), and runs every unfinished one
 * to the end, in the order they were accepted. A graceful stop cancels the
 * running run, as the client is told, and leaves waiting runs waiting.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { RunSummary } from '@reelgraph/engine';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startServeProcess, type ServeProcess } from '../../support/serve-process.ts';
import { TestClient } from '../../support/test-server.ts';

let work: string;
const engines: ServeProcess[] = [];
const clients: TestClient[] = [];

beforeAll(async () => {
  work = await mkdtemp(path.join(tmpdir(), 'reelgraph-restart-'));
});
afterEach(async () => {
  for (const client of clients.splice(0)) client.socket.terminate();
  for (const engine of engines.splice(0)) await engine.stop('SIGKILL');
});
afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

async function serve(dataDir: string): Promise<ServeProcess> {
  const engine = await startServeProcess(dataDir);
  engines.push(engine);
  return engine;
}

async function connect(engine: ServeProcess): Promise<TestClient> {
  const client = await TestClient.connect(`ws://127.0.0.1:${engine.port}/ws`);
  clients.push(client);
  return client;
}

/** A shot and its GIF; `seconds` sets how long it takes. */
function shot(name: string, seed: number, seconds: number, size = { width: 64, height: 64 }) {
  return {
    format: 'reelgraph.pipeline',
    version: 1,
    name,
    nodes: [
      { id: 'prompt', type: 'prompt', params: { text: 'neon city at night' } },
      { id: 'shot', type: 'generate', params: { ...size, duration: seconds, fps: 12, seed } },
      { id: 'export', type: 'export', params: { format: 'gif', filename: name } },
    ],
    edges: [
      { from: { node: 'prompt', port: 'prompt' }, to: { node: 'shot', port: 'prompt' } },
      { from: { node: 'shot', port: 'video' }, to: { node: 'export', port: 'video' } },
    ],
  };
}

/** Subscribes to a run and resolves with its status once it has finished (it may have before the subscription). */
async function finishedStatus(client: TestClient, runId: string): Promise<string | undefined> {
  client.send({ type: 'subscribe', runId });
  const state = await client.next('run.state', (m) => m.runId === runId);
  if (state.phase === 'finished') return state.status;
  return (await client.next('run.finished', (m) => m.runId === runId, 180_000)).status;
}

async function listRuns(client: TestClient): Promise<RunSummary[]> {
  const before = client.of('runs').length;
  client.send({ type: 'list-runs' });
  await expect.poll(() => client.of('runs').length, { timeout: 10_000 }).toBe(before + 1);
  return client.of('runs').at(-1)!.runs;
}

describe('a restart of `reelgraph serve`', () => {
  it('after a kill: keeps the history and runs what was waiting or running, in order', { timeout: 300_000 }, async () => {
    const dataDir = path.join(work, 'data-kill');
    const first = await serve(dataDir);
    const client = await connect(first);
    client.send({ type: 'run', runId: 'done-before', pipeline: shot('done-before', 1, 0.5) });
    expect((await client.next('run.finished', (m) => m.runId === 'done-before', 60_000)).status).toBe('succeeded');
    const exported = (await client.next('node.output', (m) => m.runId === 'done-before' && m.nodeId === 'export')).outputs.file!;

    client.send({ type: 'run', runId: 'slow', pipeline: shot('slow', 2, 8, { width: 256, height: 144 }) });
    client.send({ type: 'run', runId: 'second', pipeline: shot('second', 3, 0.5) });
    client.send({ type: 'run', runId: 'third', pipeline: shot('third', 4, 0.5) });
    await client.next('run.accepted', (m) => m.runId === 'third');
    await client.next('node.progress', (m) => m.runId === 'slow' && m.nodeId === 'shot');
    expect((await listRuns(client)).map((r) => [r.runId, r.phase, r.position])).toEqual([
      ['done-before', 'finished', undefined],
      ['slow', 'running', 0],
      ['second', 'queued', 1],
      ['third', 'queued', 2],
    ]);
    await first.stop('SIGKILL');

    const second = await serve(dataDir);
    await expect.poll(() => second.output().stderr).toContain('Resuming 3 runs left waiting by the last engine.');
    const after = await connect(second);
    const history = await listRuns(after);
    expect(history[0]).toMatchObject({ runId: 'done-before', name: 'done-before', phase: 'finished', status: 'succeeded', stats: { executed: 3 } });
    expect(history.slice(1).map((r) => r.runId)).toEqual(['slow', 'second', 'third']);
    // A finished run's export is still served, under the same URL.
    const media = await fetch(`http://127.0.0.1:${second.port}${exported.url}`);
    expect(media.status).toBe(200);
    expect(media.headers.get('content-type')).toBe('image/gif');
    const state = await (async () => {
      after.send({ type: 'subscribe', runId: 'done-before' });
      return after.next('run.state', (m) => m.runId === 'done-before');
    })();
    expect(state).toMatchObject({ phase: 'finished', status: 'succeeded', nodes: { export: { state: 'done' } } });

    expect(await finishedStatus(after, 'third')).toBe('succeeded');
    const finished = await listRuns(after);
    expect(finished.map((r) => [r.runId, r.status])).toEqual([
      ['done-before', 'succeeded'],
      ['slow', 'succeeded'],
      ['second', 'succeeded'],
      ['third', 'succeeded'],
    ]);
    const ends = finished.slice(1).map((r) => Date.parse(r.finishedAt!));
    expect([...ends].sort((a, b) => a - b)).toEqual(ends);
    // Each run was acknowledged before anything else was said of it.
    for (const runId of ['done-before', 'slow', 'second', 'third']) {
      expect(client.messages.find((m) => 'runId' in m && m.runId === runId)?.type, runId).toBe('run.accepted');
    }
  });

  it('refuses a second engine on the same data dir, which would run the same queue', async () => {
    const dataDir = path.join(work, 'data-twice');
    const first = await serve(dataDir);
    const refused = await startServeProcess(dataDir).then(
      (second) => {
        engines.push(second);
        return 'started';
      },
      (error: Error) => error.message,
    );
    expect(refused).toContain(`Another Reelgraph engine (pid ${first.child.pid}) is serving this data dir`);
    expect(first.alive()).toBe(true);
  });

  it('after a graceful stop: the running run stays cancelled, the waiting one runs on the next start', { timeout: 300_000 }, async () => {
    const dataDir = path.join(work, 'data-term');
    const first = await serve(dataDir);
    const client = await connect(first);
    client.send({ type: 'run', runId: 'interrupted', pipeline: shot('interrupted', 5, 8, { width: 256, height: 144 }) });
    client.send({ type: 'run', runId: 'waiting', pipeline: shot('waiting', 6, 0.5) });
    await client.next('node.progress', (m) => m.runId === 'interrupted' && m.nodeId === 'shot');
    expect((await first.stop('SIGTERM')).code).toBe(0);
    expect((await client.next('run.finished', (m) => m.runId === 'interrupted')).status).toBe('cancelled');
    expect(client.of('run.finished', 'waiting')).toEqual([]);

    const second = await serve(dataDir);
    const after = await connect(second);
    expect(await finishedStatus(after, 'waiting')).toBe('succeeded');
    expect((await listRuns(after)).map((r) => [r.runId, r.status])).toEqual([
      ['interrupted', 'cancelled'],
      ['waiting', 'succeeded'],
    ]);
  });
});
