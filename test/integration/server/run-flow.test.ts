/**
 * The protocol as a client lives it, over a real socket against a real
 * engine: hello, a whole run with its event order, media fetched with Range
 * requests, cancel, reconnect + subscribe, two clients, malformed messages.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { ServerMessage } from '@reelgraph/engine';
import { ffmpegPath, probeMedia } from '@reelgraph/nodes';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { embeddedExample, startTestServer, TestClient, type TestServer } from '../../support/test-server.ts';

let server: TestServer;
let twoClips: Record<string, unknown>;
let slowPipeline: Record<string, unknown>;
let scratch: string;

/** A pipeline whose one load-video decodes 96 frames of 1280×720: long enough to watch and to cancel. */
async function longClipPipeline(): Promise<Record<string, unknown>> {
  const file = path.join(scratch, 'long.mp4');
  execFileSync(ffmpegPath(), [
    '-hide_banner', '-loglevel', 'error', '-f', 'lavfi', '-i', 'testsrc2=size=1280x720:rate=24:duration=4',
    '-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p', file,
  ]);
  const bytes = await readFile(file);
  const ref = `sha256:${createHash('sha256').update(bytes).digest('hex')}`;
  return {
    format: 'reelgraph.pipeline',
    version: 1,
    name: 'long clip',
    nodes: [
      { id: 'load', type: 'load-video', params: { video: ref } },
      { id: 'out', type: 'export', params: { format: 'mp4' } },
    ],
    edges: [{ from: { node: 'load', port: 'video' }, to: { node: 'out', port: 'video' } }],
    assets: { [ref]: { name: 'long.mp4', mime: 'video/mp4', data: bytes.toString('base64') } },
  };
}

beforeAll(async () => {
  scratch = await mkdtemp(path.join(tmpdir(), 'reelgraph-flow-'));
  server = await startTestServer();
  twoClips = await embeddedExample('two-clips');
  slowPipeline = await longClipPipeline();
});
afterAll(async () => {
  await server.dispose();
  await rm(scratch, { recursive: true, force: true });
});

const withTransition = (transition: string) => ({
  ...twoClips,
  nodes: (twoClips.nodes as { id: string; params: Record<string, unknown> }[]).map((n) =>
    n.id === 'join' ? { ...n, params: { ...n.params, transition } } : n,
  ),
});

describe('engine server protocol', () => {
  it('answers hello with the engine, protocol, device and catalog', async () => {
    const client = await TestClient.connect(server.wsUrl);
    client.send({ type: 'hello', protocolVersion: 1, client: 'test' });
    const welcome = await client.next('welcome');
    expect(welcome).toMatchObject({ protocolVersion: 1, engineVersion: expect.stringMatching(/^\d+\.\d+\.\d+/) });
    // Whatever the machine has; on one without CUDA the reason it was skipped is given.
    expect(['cpu', 'webgpu', 'cuda']).toContain(welcome.device.name);
    if (welcome.device.name !== 'cuda') expect(welcome.device.reasons.join(' ')).toMatch(/cuda skipped/);
    expect(welcome.models).toEqual([
      expect.objectContaining({ id: 'reelgraph/procedural-field', tasks: expect.arrayContaining(['text-to-video']) }),
      expect.objectContaining({ id: 'upscalerjs/esrgan-slim', tasks: ['upscale'], licence: 'MIT (code and weights)' }),
      expect.objectContaining({ id: 'upscalerjs/psnr-small', tasks: ['upscale'], licence: expect.stringMatching(/^MIT/) }),
      expect.objectContaining({ id: 'hzwer/rife-4.6', tasks: ['interpolate'], licence: 'MIT (code and weights)' }),
    ]);
    expect(welcome.catalog.map((entry) => entry.type)).toEqual(expect.arrayContaining(['load-video', 'concat', 'export']));
    const concat = welcome.catalog.find((entry) => entry.type === 'concat')!;
    expect(concat.inputs.clip1).toMatchObject({ type: 'VIDEO', optional: false });
    expect(concat.params.transition).toMatchObject({ kind: 'select', options: ['cut', 'crossfade', 'fade-black'] });
    await client.close();
  });

  it('runs a pipeline with events in order, then serves its MP4 with Range requests', async () => {
    const client = await TestClient.connect(server.wsUrl);
    client.send({ type: 'run', runId: 'flow-1', pipeline: twoClips });
    const finished = await client.next('run.finished', (m) => m.runId === 'flow-1');
    expect(finished).toMatchObject({ status: 'succeeded', stats: { executed: 4, cached: 0 } });

    const messages = client.messages.filter((m) => 'runId' in m && m.runId === 'flow-1');
    expect(messages[0]).toEqual({ type: 'run.accepted', runId: 'flow-1', position: 0 });
    expect(messages.at(-1)).toBe(finished);
    for (const nodeId of ['clip-a', 'clip-b', 'join', 'export']) {
      const trail = messages
        .filter((m): m is Extract<ServerMessage, { type: 'node.status' | 'node.output' }> => (m.type === 'node.status' || m.type === 'node.output') && m.nodeId === nodeId)
        .map((m) => (m.type === 'node.status' ? m.state : 'output'));
      expect(trail, nodeId).toEqual(['queued', 'running', 'done', 'output']);
    }
    const joinDone = messages.findIndex((m) => m.type === 'node.status' && m.nodeId === 'join' && m.state === 'done');
    const exportRunning = messages.findIndex((m) => m.type === 'node.status' && m.nodeId === 'export' && m.state === 'running');
    expect(joinDone).toBeLessThan(exportRunning);

    const exported = client.of('node.output', 'flow-1').find((m) => m.nodeId === 'export')!.outputs.file!;
    expect(exported).toMatchObject({ kind: 'file', mime: 'video/mp4', url: expect.stringMatching(/^\/media\/file\/[0-9a-f]{64}\/two-clips_00001\.mp4$/) });
    const onDisk = await readFile(path.join(server.dataDir, exported.path as string));

    const head = await fetch(`${server.url}${exported.url}`, { headers: { Range: 'bytes=0-99' } });
    expect(head.status).toBe(206);
    expect(head.headers.get('content-range')).toBe(`bytes 0-99/${onDisk.length}`);
    expect(head.headers.get('content-type')).toBe('video/mp4');
    expect(Buffer.from(await head.arrayBuffer())).toEqual(onDisk.subarray(0, 100));
    const tail = await fetch(`${server.url}${exported.url}`, { headers: { Range: 'bytes=-50' } });
    expect(Buffer.from(await tail.arrayBuffer())).toEqual(onDisk.subarray(onDisk.length - 50));
    const beyond = await fetch(`${server.url}${exported.url}`, { headers: { Range: `bytes=${onDisk.length}-` } });
    expect(beyond.status).toBe(416);
    const whole = await fetch(`${server.url}${exported.url}`);
    expect(whole.headers.get('accept-ranges')).toBe('bytes');
    expect(Buffer.from(await whole.arrayBuffer())).toEqual(onDisk);
    await client.close();
  });

  it('tells a client which results the cache holds for a pipeline, with URLs that serve them, without running it', async () => {
    const client = await TestClient.connect(server.wsUrl);
    client.send({ type: 'run', runId: 'results-1', pipeline: twoClips });
    await client.next('run.finished', (m) => m.runId === 'results-1');
    const ran = client.of('node.output', 'results-1');

    client.send({ type: 'results', requestId: 'q1', pipeline: twoClips });
    const results = await client.next('results', (m) => m.requestId === 'q1');
    expect(Object.keys(results.nodes).sort()).toEqual(['clip-a', 'clip-b', 'export', 'join']);
    for (const output of ran) expect(results.nodes[output.nodeId]).toEqual({ key: output.key, outputs: output.outputs });
    const preview = await fetch(`${server.url}${results.nodes.join!.outputs.video!.url}`);
    expect(preview.status).toBe(200);
    expect(preview.headers.get('content-type')).toBe('video/mp4');

    // Another transition: the join and the export are not in the cache; the clips are.
    client.send({ type: 'results', requestId: 'q2', pipeline: withTransition('fade-black') });
    expect(Object.keys((await client.next('results', (m) => m.requestId === 'q2')).nodes).sort()).toEqual(['clip-a', 'clip-b']);
    // Nothing ran to answer.
    expect(client.messages.filter((m) => m.type === 'run.accepted')).toHaveLength(1);
    client.send({ type: 'results', requestId: 'q3', pipeline: { format: 'nonsense' } });
    expect((await client.next('results', (m) => m.requestId === 'q3')).nodes).toEqual({});
    await client.close();
  });

  it('lists a finished run with the files it wrote, and gives back the pipeline it was made from', async () => {
    const client = await TestClient.connect(server.wsUrl);
    client.send({ type: 'run', runId: 'history-1', pipeline: withTransition('fade-black') });
    await client.next('run.finished', (m) => m.runId === 'history-1');
    client.send({ type: 'list-runs' });
    const listed = (await client.next('runs')).runs.find((run) => run.runId === 'history-1')!;
    expect(listed).toMatchObject({ phase: 'finished', status: 'succeeded', files: [{ nodeId: 'export', name: expect.stringMatching(/^two-clips_\d+\.mp4$/) }] });
    expect((await fetch(`${server.url}${listed.files![0]!.url}`)).status).toBe(200);
    client.send({ type: 'run-pipeline', runId: 'history-1' });
    const { pipeline } = await client.next('run.pipeline', (m) => m.runId === 'history-1');
    const join = (pipeline as { nodes: { id: string; params: Record<string, unknown> }[] }).nodes.find((n) => n.id === 'join')!;
    expect(join.params.transition).toBe('fade-black');
    client.send({ type: 'run-pipeline', runId: 'nobody' });
    expect(await client.next('error', (m) => m.runId === 'nobody')).toMatchObject({ code: 'unknown-run' });
    await client.close();
  });

  it('renders a playable preview of an intermediate video output', async () => {
    const client = await TestClient.connect(server.wsUrl);
    client.send({ type: 'run', runId: 'flow-preview', pipeline: twoClips });
    await client.next('run.finished', (m) => m.runId === 'flow-preview');
    // A run to the concat node alone reports its output too.
    client.send({ type: 'run', runId: 'flow-preview-join', pipeline: twoClips, targets: ['join'] });
    await client.next('run.finished', (m) => m.runId === 'flow-preview-join');
    const joined = client.of('node.output', 'flow-preview-join').find((m) => m.nodeId === 'join')!.outputs.video!;
    expect(joined).toMatchObject({ kind: 'video', width: 320, height: 180, frameCount: 84, url: expect.stringMatching(/^\/media\/preview\/[0-9a-f]{64}\/video\.mp4$/) });
    const response = await fetch(`${server.url}${joined.url}`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('video/mp4');
    const file = path.join(scratch, 'preview.mp4');
    await import('node:fs/promises').then((fs) => response.arrayBuffer().then((b) => fs.writeFile(file, Buffer.from(b))));
    expect(await probeMedia(file)).toMatchObject({ codec: 'h264', width: 320, height: 180, frameCount: 84 });
    await client.close();
  });

  it('serves a second run of the same pipeline from cache', async () => {
    const client = await TestClient.connect(server.wsUrl);
    client.send({ type: 'run', runId: 'flow-cached', pipeline: twoClips });
    const finished = await client.next('run.finished', (m) => m.runId === 'flow-cached');
    expect(finished).toMatchObject({ status: 'succeeded', stats: { executed: 0, cached: 4 } });
    expect(client.of('node.status', 'flow-cached').map((m) => [m.nodeId, m.state])).toEqual([
      ['clip-a', 'cached'],
      ['clip-b', 'cached'],
      ['join', 'cached'],
      ['export', 'cached'],
    ]);
    const outputs = Object.fromEntries(client.of('node.output', 'flow-cached').map((m) => [m.nodeId, m.outputs]));
    expect(outputs.export!.file!.url).toMatch(/^\/media\/file\//);
    // Upstream results come with their previews, so the editor shows every node's result at once.
    expect(outputs.join!.video).toMatchObject({ frameCount: 84, url: expect.stringMatching(/^\/media\/preview\//) });
    await client.close();
  });

  it('streams progress with a small JPEG preview now and then', async () => {
    const client = await TestClient.connect(server.wsUrl);
    client.send({ type: 'run', runId: 'flow-progress', pipeline: slowPipeline, noCache: true });
    await client.next('run.finished', (m) => m.runId === 'flow-progress');
    const progress = client.of('node.progress', 'flow-progress').filter((m) => m.nodeId === 'load');
    expect(progress.length).toBeGreaterThan(10);
    expect(progress.at(-1)).toMatchObject({ done: 96, total: 96 });
    const previews = progress.filter((m) => m.preview);
    expect(previews.length).toBeGreaterThanOrEqual(1);
    // Throttled: at most one picture per 500 ms, so far fewer than the 96 progress steps.
    expect(previews.length).toBeLessThan(progress.length / 2);
    const jpeg = Buffer.from(previews[0]!.preview!.replace(/^data:image\/jpeg;base64,/, ''), 'base64');
    expect(jpeg.subarray(0, 3).toString('hex')).toBe('ffd8ff');
    expect(jpeg.length).toBeLessThan(40_000);
    await client.close();
  });

  it('cancels a running run; the engine carries on serving', async () => {
    const client = await TestClient.connect(server.wsUrl);
    client.send({ type: 'run', runId: 'flow-cancel', pipeline: slowPipeline, noCache: true });
    await client.next('node.progress', (m) => m.runId === 'flow-cancel' && m.done >= 5);
    client.send({ type: 'cancel', runId: 'flow-cancel' });
    const finished = await client.next('run.finished', (m) => m.runId === 'flow-cancel');
    expect(finished.status).toBe('cancelled');
    const states = Object.fromEntries(client.of('node.status', 'flow-cancel').map((m) => [m.nodeId, m.state]));
    expect(states).toEqual({ load: 'cancelled', out: 'cancelled' });
    const loadProgress = client.of('node.progress', 'flow-cancel').filter((m) => m.nodeId === 'load');
    expect(loadProgress.at(-1)!.done).toBeLessThan(96);

    client.send({ type: 'hello', protocolVersion: 1 });
    await client.next('welcome');
    await client.close();
  });

  it('keeps a run going when its client leaves; another client re-attaches with subscribe', async () => {
    const starter = await TestClient.connect(server.wsUrl);
    starter.send({ type: 'run', runId: 'flow-detached', pipeline: withTransition('cut') });
    await starter.next('run.accepted');
    await starter.close();

    const later = await TestClient.connect(server.wsUrl);
    later.send({ type: 'subscribe', runId: 'flow-detached' });
    const state = await later.next('run.state');
    expect(state.runId).toBe('flow-detached');
    expect(['queued', 'running', 'finished']).toContain(state.phase);
    const finished = state.phase === 'finished' ? state : await later.next('run.finished', (m) => m.runId === 'flow-detached');
    expect(finished.status).toBe('succeeded');

    later.send({ type: 'subscribe', runId: 'flow-detached' });
    const after = await later.next('run.state', (m) => m.phase === 'finished');
    expect(after.nodes.export).toMatchObject({ state: 'done', outputs: { file: { kind: 'file', url: expect.stringMatching(/^\/media\//) } } });
    expect(after.nodes.join).toMatchObject({ state: 'done' });

    // Its results are in the cache: the same pipeline now executes nothing.
    later.send({ type: 'run', runId: 'flow-detached-again', pipeline: withTransition('cut') });
    expect(await later.next('run.finished', (m) => m.runId === 'flow-detached-again')).toMatchObject({ stats: { executed: 0 } });
    await later.close();
  });

  it('queues runs from two clients in order and finishes both', async () => {
    const [a, b] = await Promise.all([TestClient.connect(server.wsUrl), TestClient.connect(server.wsUrl)]);
    const arrivals: string[] = [];
    for (const [name, client] of [['a', a], ['b', b]] as const) {
      client.socket.on('message', (data) => {
        const m = JSON.parse(data.toString()) as ServerMessage;
        if (m.type === 'node.status' || m.type === 'run.finished') arrivals.push(`${name}:${m.type}:${'state' in m ? m.state : m.status}`);
      });
    }
    // a's run takes seconds, so b's is still behind it however fast this machine is.
    a.send({ type: 'run', runId: 'two-a', pipeline: slowPipeline, noCache: true });
    await a.next('run.accepted');
    b.send({ type: 'run', runId: 'two-b', pipeline: { ...withTransition('fade-black'), nodes: withTransition('fade-black').nodes.map((n) => (n.id === 'join' ? { ...n, params: { ...n.params, duration: 1 } } : n)) } });
    expect(await b.next('run.accepted')).toMatchObject({ position: 1 });
    expect(await a.next('run.finished')).toMatchObject({ status: 'succeeded' });
    expect(await b.next('run.finished')).toMatchObject({ status: 'succeeded' });
    // b's nodes start only after a's run has finished, and neither client saw the other's events.
    expect(arrivals.indexOf('a:run.finished:succeeded')).toBeLessThan(arrivals.indexOf('b:node.status:running'));
    expect(a.messages.some((m) => 'runId' in m && m.runId === 'two-b')).toBe(false);
    expect(b.messages.some((m) => 'runId' in m && m.runId === 'two-a')).toBe(false);
    await Promise.all([a.close(), b.close()]);
  });

  it('answers malformed messages with an error and keeps the socket and other clients working', async () => {
    const client = await TestClient.connect(server.wsUrl);
    const bystander = await TestClient.connect(server.wsUrl);
    const errorsBefore = () => client.of('error').length;
    const expectError = async (message: unknown, pattern: RegExp, code = 'bad-message') => {
      const count = errorsBefore();
      client.send(message);
      const error = await client.next('error', () => client.of('error').length > count);
      expect(client.of('error').at(-1)).toMatchObject({ code, message: expect.stringMatching(pattern) });
      return error;
    };
    await expectError('{"type": "hello",', /not valid JSON/);
    await expectError({ type: 'render' }, /not one this engine understands/);
    await expectError({ type: 'cancel' }, /runId/);
    await expectError({ type: 'hello', protocolVersion: 'one' }, /protocolVersion/);
    await expectError({ type: 'run', pipeline: twoClips, extra: true }, /extra/);
    await expectError({ type: 'cancel', runId: 'never-was' }, /No run "never-was"/, 'unknown-run');
    client.socket.send(Buffer.from([1, 2, 3]), { binary: true });
    await client.next('error', (m) => /binary/.test(m.message));

    client.send({ type: 'run', runId: 'flow-bad', pipeline: { format: 'reelgraph.pipeline', version: 1, nodes: [{ id: 'x', type: 'concat' }] } });
    const rejected = await client.next('run.rejected');
    expect(rejected.errors).toEqual(
      expect.arrayContaining([expect.objectContaining({ code: 'missing-input', nodeId: 'x', port: 'clip1' })]),
    );
    client.send({ type: 'run', runId: 'flow-1', pipeline: twoClips });
    await client.next('error', (m) => /exists already/.test(m.message));

    client.send({ type: 'hello', protocolVersion: 99 });
    expect(await client.next('error', (m) => m.code === 'protocol-version')).toMatchObject({ message: expect.stringMatching(/version 1/) });
    await client.next('welcome');

    bystander.send({ type: 'hello', protocolVersion: 1 });
    await bystander.next('welcome');
    expect(bystander.of('error')).toEqual([]);
    await Promise.all([client.close(), bystander.close()]);
  });
});
