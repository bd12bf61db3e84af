/**
 * Graceful shutdown of the real `reelgraph serve`: SIGTERM in the middle of a
 * run cancels it (the client is told) rather than waiting for it, closes
 * sockets with 1001, exits 0 and releases the port, and leaves a cache with no
 * temp files and only whole entries, which a restarted engine serves.
 */
import { execFileSync, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ffmpegPath, openEntry } from '@reelgraph/nodes';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startServeProcess, type ServeProcess } from '../../support/serve-process.ts';
import { embeddedExample, startTestServer, TestClient, type TestServer } from '../../support/test-server.ts';

let work: string;
let pipeline: Record<string, unknown>;
const children: ChildProcess[] = [];
const clients: TestClient[] = [];

beforeAll(async () => {
  work = await mkdtemp(path.join(tmpdir(), 'reelgraph-shutdown-'));
  // 300 frames: decoding takes a moment and encoding the export a few seconds, so a signal lands mid-run.
  const clip = path.join(work, 'long.mp4');
  execFileSync(ffmpegPath(), [
    '-hide_banner', '-loglevel', 'error', '-f', 'lavfi', '-i', 'testsrc2=size=480x270:rate=30:duration=10',
    '-c:v', 'libx264', '-preset', 'ultrafast', '-crf', '30', '-pix_fmt', 'yuv420p', clip,
  ]);
  const bytes = await readFile(clip);
  const ref = `sha256:${createHash('sha256').update(bytes).digest('hex')}`;
  pipeline = {
    format: 'reelgraph.pipeline',
    version: 1,
    nodes: [
      { id: 'load', type: 'load-video', params: { video: ref } },
      { id: 'export', type: 'export', params: { format: 'mp4', quality: 90, filename: 'long' } },
    ],
    edges: [{ from: { node: 'load', port: 'video' }, to: { node: 'export', port: 'video' } }],
    assets: { [ref]: { name: 'long.mp4', mime: 'video/mp4', data: bytes.toString('base64') } },
  };
});
afterEach(async () => {
  for (const client of clients.splice(0)) client.socket.terminate();
  for (const child of children.splice(0)) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
});
afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

/** Whether the port can be bound again, i.e. the engine let go of it. */
async function canBind(port: number): Promise<boolean> {
  const probe = createServer();
  return new Promise((resolve) => {
    probe.once('error', () => resolve(false));
    probe.listen(port, '127.0.0.1', () => probe.close(() => resolve(true)));
  });
}

/** Starts `serve`, on a port the system picks unless one is given; it is killed after the test. */
async function serve(dataDir: string, requestedPort = 0): Promise<ServeProcess> {
  const engine = await startServeProcess(dataDir, { port: requestedPort });
  children.push(engine.child);
  return engine;
}

async function connect(port: number) {
  const client = await TestClient.connect(`ws://127.0.0.1:${port}/ws`);
  clients.push(client);
  const closed = new Promise<number>((resolve) => client.socket.on('close', (code) => resolve(code)));
  return { client, closed };
}

/** Every file under a folder, recursively. */
async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true }).catch(() => []);
  return entries.filter((e) => e.isFile()).map((e) => path.join(e.parentPath ?? e.path, e.name));
}

/** The cache holds no temp file, and every entry decodes; returns the entries' outputs. */
async function expectCleanCache(dataDir: string) {
  const files = await filesUnder(path.join(dataDir, 'cache'));
  expect(files.filter((f) => f.endsWith('.tmp'))).toEqual([]);
  const entries = [];
  for (const file of files.filter((f) => f.endsWith('.rgc'))) entries.push(await openEntry(file, { verify: true }));
  return entries;
}

describe('graceful shutdown of `reelgraph serve`', () => {
  it('on SIGTERM mid-run: cancels the run, tells the client, closes with 1001, exits 0, frees the port, leaves a clean cache', async () => {
    const dataDir = path.join(work, 'data-term');
    const engine = await serve(dataDir);
    const { port } = engine;
    const { client, closed } = await connect(port);

    client.send({ type: 'run', runId: 'long', pipeline });
    await client.next('run.accepted', (m) => m.runId === 'long');
    // The export is encoding: ffmpeg is busy and the decoded clip's cache entry is being written.
    await client.next('node.progress', (m) => m.runId === 'long' && m.nodeId === 'export');

    const exit = await engine.stop('SIGTERM');
    expect(exit.code, JSON.stringify(engine.output())).toBe(0);
    expect(engine.output().stdout).toContain('Stopped.');

    const finished = await client.next('run.finished', (m) => m.runId === 'long', 1000);
    expect(finished.status).toBe('cancelled');
    const exportStates = client.of('node.status', 'long').filter((m) => m.nodeId === 'export').map((m) => m.state);
    expect(exportStates.at(-1)).toBe('cancelled');
    expect(await closed).toBe(1001);
    // run.finished came before the socket closed, not after a reconnect.
    expect(client.messages.at(-1)?.type).toBe('run.finished');

    expect(await canBind(port)).toBe(true);

    // The decoded clip finished before the signal; its entry must be there and whole.
    const videos = (await expectCleanCache(dataDir)).flatMap((outputs) => (outputs.video ? [outputs.video] : []));
    expect(videos).toEqual([expect.objectContaining({ kind: 'video', width: 480, height: 270, frameCount: 300 })]);
    // A cancelled export publishes nothing and leaves no half-written file behind.
    const outputs = await filesUnder(path.join(dataDir, 'outputs'));
    expect(outputs.map((f) => path.basename(f))).toEqual([]);
    expect((await filesUnder(path.join(dataDir, 'assets'))).filter((f) => f.endsWith('.tmp'))).toEqual([]);

    // A restarted engine on the same port and data dir serves the decoded clip from that cache.
    const again = await serve(dataDir, port);
    const second = await connect(port);
    second.client.send({ type: 'run', runId: 'again', pipeline, targets: ['load'] });
    const rerun = await second.client.next('run.finished', (m) => m.runId === 'again');
    expect(rerun.status).toBe('succeeded');
    expect(second.client.of('node.status', 'again').map((m) => [m.nodeId, m.state])).toEqual([['load', 'cached']]);
    expect((await again.stop('SIGTERM')).code).toBe(0);
  });

  it('on SIGINT while idle: closes connected clients with 1001, exits 0, frees the port', async () => {
    const engine = await serve(path.join(work, 'data-int'));
    const { port } = engine;
    const first = await connect(port);
    const second = await connect(port);
    first.client.send({ type: 'hello', protocolVersion: 1 });
    await first.client.next('welcome');

    const exit = await engine.stop('SIGINT');
    expect(exit.code, JSON.stringify(engine.output())).toBe(0);
    expect(await first.closed).toBe(1001);
    expect(await second.closed).toBe(1001);
    expect(await canBind(port)).toBe(true);
  });

  it('on SIGTERM with a run waiting in the queue: the running one ends cancelled, the waiting one is kept for the next start', async () => {
    const dataDir = path.join(work, 'data-queue');
    const engine = await serve(dataDir);
    const { port } = engine;
    const { client, closed } = await connect(port);
    client.send({ type: 'run', runId: 'first', pipeline });
    // Waited for, so the second is queued behind the first (back-to-back runs can overtake each other: see below).
    await client.next('run.accepted', (m) => m.runId === 'first');
    client.send({ type: 'run', runId: 'second', pipeline: { ...pipeline, nodes: [(pipeline.nodes as unknown[])[0]], edges: [] } });
    expect((await client.next('run.accepted', (m) => m.runId === 'second')).position).toBe(1);
    await client.next('node.progress', (m) => m.runId === 'first');

    const exit = await engine.stop('SIGTERM');
    expect(exit.code).toBe(0);
    expect((await client.next('run.finished', (m) => m.runId === 'first', 1000)).status).toBe('cancelled');
    expect(await closed).toBe(1001);
    // The second run never started (none of its nodes ran) and is not over: it waits in the journal.
    expect(client.of('node.status', 'second')).toEqual([]);
    expect(client.of('run.finished', 'second')).toEqual([]);
    await expectCleanCache(dataDir);
    const again = await serve(dataDir);
    const { client: later } = await connect(again.port);
    later.send({ type: 'subscribe', runId: 'second' });
    // It may have finished before the subscription reached the engine; either way it ran and succeeded.
    const state = await later.next('run.state', (m) => m.runId === 'second');
    const status = state.phase === 'finished' ? state.status : (await later.next('run.finished', (m) => m.runId === 'second', 60_000)).status;
    expect(status).toBe('succeeded');
  });
});

/**
 * What a client sends takes effect in the order sent: a `cancel` right after
 * its `run` stops that run (the Stop button pressed at once), and runs sent
 * back to back queue in that order. A run with media to check (embedded
 * assets are hashed and stored first) must not be overtaken by a later message.
 */
describe('cancelling and queueing in the order a client sent', () => {
  let server: TestServer;
  let withMedia: Record<string, unknown>;
  const noMedia = { format: 'reelgraph.pipeline', version: 1, nodes: [{ id: 'p', type: 'prompt', params: { text: 'a lighthouse' } }] };

  beforeAll(async () => {
    withMedia = await embeddedExample('two-clips');
  });
  // A fresh data dir each time, so the run with media really stores its assets (disk writes) before it can be queued.
  beforeEach(async () => {
    server = await startTestServer();
  });
  afterEach(async () => {
    await server.dispose();
  });

  it('a cancel sent right after its run cancels that run', async () => {
    const client = await TestClient.connect(server.wsUrl);
    clients.push(client);
    client.send({ type: 'run', runId: 'stop-at-once', pipeline: withMedia, noCache: true });
    client.send({ type: 'cancel', runId: 'stop-at-once' });
    const finished = await client.next('run.finished', (m) => m.runId === 'stop-at-once');
    expect(client.of('error')).toEqual([]);
    expect(finished.status).toBe('cancelled');
  });

  it('runs sent back to back are queued in the order sent', async () => {
    const client = await TestClient.connect(server.wsUrl);
    clients.push(client);
    client.send({ type: 'run', runId: 'order-1', pipeline: withMedia, noCache: true });
    client.send({ type: 'run', runId: 'order-2', pipeline: noMedia, noCache: true });
    await client.next('run.finished', (m) => m.runId === 'order-1');
    await client.next('run.finished', (m) => m.runId === 'order-2');
    expect(client.of('run.accepted').map((m) => [m.runId, m.position])).toEqual([
      ['order-1', 0],
      ['order-2', 1],
    ]);
  });

  it('a run id sent twice back to back is refused the second time', async () => {
    const client = await TestClient.connect(server.wsUrl);
    clients.push(client);
    client.send({ type: 'run', runId: 'twice', pipeline: withMedia, noCache: true });
    client.send({ type: 'run', runId: 'twice', pipeline: withMedia, noCache: true });
    // Both answers (accepted or refused) come long before the first run finishes.
    await client.next('run.finished', (m) => m.runId === 'twice');
    expect(client.of('run.accepted', 'twice')).toHaveLength(1);
    expect(client.of('error', 'twice').map((m) => m.message)).toEqual([expect.stringMatching(/exists already/)]);
  });
});
