/**
 * The render farm end to end, on real servers: a real redis-server, worker
 * processes of the real CLI, a shared folder, and `reelgraph run --redis`.
 * Checks what a farm promises: shots spread over the workers with the same
 * frames as a local run; a second submission executes nothing; a worker
 * killed mid-job loses nothing; cancel reaches the worker; jobs go only to
 * workers that serve their model.
 */
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Queue } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queueName, modelRoute } from '../../../engine/src/farm/farm-job.ts';
import { startRedisTestServer, type RedisTestServer } from '../../../engine/src/farm/testing/redis-test-server.ts';
import { startS3TestServer } from '../../../engine/src/farm/testing/s3-test-server.ts';
import { decodeWhole } from '../../support/decoded-video.ts';
import { startWorker, type TestWorker } from '../../support/farm-processes.ts';
import { startServeProcess } from '../../support/serve-process.ts';
import { TestClient } from '../../support/test-server.ts';
import { finalStates, runCli, spawnCli } from '../../support/run-cli.ts';

let redis: RedisTestServer;
let work: string;
let sharedDir: string;
const workers: TestWorker[] = [];

beforeAll(async () => {
  redis = await startRedisTestServer();
  work = await mkdtemp(path.join(tmpdir(), 'reelgraph-farm-'));
  sharedDir = path.join(work, 'shared');
}, 30_000);
/** Stops the workers of earlier tests, so that a test's jobs go only to its own. */
async function stopWorkers(): Promise<void> {
  await Promise.all(workers.splice(0).map((worker) => worker.stop('SIGKILL')));
}
afterAll(async () => {
  await stopWorkers();
  await redis?.stop();
  await rm(work, { recursive: true, force: true });
});

interface Shot {
  text: string;
  seed: number;
  seconds?: number;
  size?: [number, number];
}

/** A storyboard: one prompt → generate per shot, joined by a cut (one shot: no join), exported as MP4; `upscale` adds an upscale after each shot. */
async function storyboard(name: string, shots: Shot[], options: { upscale?: boolean } = {}): Promise<string> {
  const nodes: unknown[] = [];
  const edges: unknown[] = [];
  const wire = (from: string, fromPort: string, to: string, toPort: string) => edges.push({ from: { node: from, port: fromPort }, to: { node: to, port: toPort } });
  shots.forEach((shot, i) => {
    const [width, height] = shot.size ?? [96, 64];
    nodes.push({ id: `prompt-${i + 1}`, type: 'prompt', params: { text: shot.text } });
    nodes.push({ id: `shot-${i + 1}`, type: 'generate', params: { duration: shot.seconds ?? 1, fps: 12, seed: shot.seed, width, height } });
    wire(`prompt-${i + 1}`, 'prompt', `shot-${i + 1}`, 'prompt');
    let clip = `shot-${i + 1}`;
    if (options.upscale) {
      nodes.push({ id: `upscale-${i + 1}`, type: 'upscale', params: { scale: '2' } });
      wire(clip, 'video', `upscale-${i + 1}`, 'video');
      clip = `upscale-${i + 1}`;
    }
    // One shot is the film; concat needs two.
    if (shots.length === 1) wire(clip, 'video', 'export', 'video');
    else wire(clip, 'video', 'join', `clip${i + 1}`);
  });
  if (shots.length > 1) {
    nodes.push({ id: 'join', type: 'concat', params: { transition: 'cut' } });
    wire('join', 'video', 'export', 'video');
  }
  nodes.push({ id: 'export', type: 'export', params: { format: 'mp4', quality: 90, filename: name } });
  const file = path.join(work, `${name}.reel.json`);
  await writeFile(file, JSON.stringify({ format: 'reelgraph.pipeline', version: 1, name, nodes, edges }));
  return file;
}

const farmArgs = () => ['--redis', redis.url, '--shared-cache', sharedDir];
const farm = () => ({ redisUrl: redis.url, sharedDir });

/** Which worker each node finished on, from a run's JSON lines. */
function workersOf(lines: Record<string, unknown>[]): Record<string, string> {
  const ran: Record<string, string> = {};
  for (const line of lines) if (line.type === 'node.status' && line.state === 'done' && typeof line.worker === 'string') ran[line.nodeId as string] = line.worker;
  return ran;
}

function exportedFile(lines: Record<string, unknown>[], dataDir: string): string {
  const output = lines.find((line) => line.type === 'node.output' && line.nodeId === 'export') as { outputs: { file: { path: string } } };
  return path.join(dataDir, output.outputs.file.path);
}

/** Keys whose whole entry (data and manifest) is in the shared folder. */
async function sharedKeys(): Promise<string[]> {
  const keys: string[] = [];
  for (const shard of await readdir(sharedDir).catch(() => [])) {
    for (const name of await readdir(path.join(sharedDir, shard))) if (name.endsWith('.json')) keys.push(name.slice(0, -'.json'.length));
  }
  return keys.sort();
}

describe('reelgraph on a farm (BullMQ on a real redis-server)', () => {
  const shots: Shot[] = [
    { text: 'a misty forest at dawn', seed: 1 },
    { text: 'a bright desert at noon', seed: 2 },
    { text: 'a neon city at night', seed: 3 },
    { text: 'a calm sea at dusk', seed: 4 },
  ];
  let farmData: string;
  let file: string;

  it('spreads independent shots over two workers and makes the same frames as a local run', async () => {
    workers.push(await startWorker('gpu-a', farm()), await startWorker('gpu-b', farm()));
    file = await storyboard('spread', shots);
    farmData = await mkdtemp(path.join(work, 'coordinator-'));
    const localData = await mkdtemp(path.join(work, 'local-'));
    const farmed = await runCli(['run', file, '--data-dir', farmData, '--json', ...farmArgs()]);
    expect(farmed.code, farmed.stderr).toBe(0);
    const local = await runCli(['run', file, '--data-dir', localData, '--json']);
    expect(local.code, local.stderr).toBe(0);

    const ran = workersOf(farmed.lines);
    const shotWorkers = ['shot-1', 'shot-2', 'shot-3', 'shot-4'].map((id) => ran[id]);
    expect(new Set(shotWorkers)).toEqual(new Set(['gpu-a', 'gpu-b']));
    expect(ran.join).toMatch(/^gpu-[ab]$/);
    // The export writes the file the person asked for: it runs where they asked.
    expect(ran.export).toBeUndefined();
    expect(finalStates(farmed.lines).export).toBe('done');

    const farmVideo = await decodeWhole(exportedFile(farmed.lines, farmData));
    const localVideo = await decodeWhole(exportedFile(local.lines, localData));
    expect(farmVideo.frameCount).toBe(48);
    expect(localVideo.frameCount).toBe(48);
    expect(Buffer.from(farmVideo.pixels).equals(Buffer.from(localVideo.pixels))).toBe(true);
    // Every node the workers ran is in the shared cache, under the key the local run gave it.
    const keysOf = (lines: Record<string, unknown>[]) =>
      Object.fromEntries(lines.filter((line) => line.type === 'node.status' && line.state === 'done').map((line) => [line.nodeId, line.key]));
    const farmKeys = keysOf(farmed.lines);
    expect(keysOf(local.lines)).toEqual(farmKeys);
    const shared = await sharedKeys();
    for (const id of Object.keys(ran)) expect(shared).toContain(farmKeys[id]);
  }, 240_000);

  it('executes nothing when the same pipeline is submitted again', async () => {
    const before = [workers[0]!.log(), workers[1]!.log()].join('').match(/ runs /g)?.length ?? 0;
    const again = await runCli(['run', file, '--data-dir', farmData, '--json', ...farmArgs()]);
    expect(again.code, again.stderr).toBe(0);
    expect(again.lines.at(-1)).toMatchObject({ type: 'run.finished', status: 'succeeded', stats: { executed: 0 } });
    const after = [workers[0]!.log(), workers[1]!.log()].join('').match(/ runs /g)?.length ?? 0;
    expect(after).toBe(before);

    // Another coordinator (a fresh data dir) takes every shot from the shared cache; only its own export runs.
    const otherData = await mkdtemp(path.join(work, 'coordinator-'));
    const other = await runCli(['run', file, '--data-dir', otherData, '--json', ...farmArgs()]);
    expect(other.code, other.stderr).toBe(0);
    expect(other.lines.at(-1)).toMatchObject({ status: 'succeeded', stats: { executed: 1 } });
    // The join comes from the shared cache; the shots behind it are not even looked at.
    expect(finalStates(other.lines)).toEqual({ join: 'cached', export: 'done' });
  }, 120_000);

  it('finishes the run when a worker is killed mid-job, with every node once in the shared cache', async () => {
    await stopWorkers();
    const victim = await startWorker('doomed', farm());
    workers.push(victim);
    const longShots: Shot[] = [{ text: 'a long pan over mountains', seed: 21, seconds: 4, size: [192, 128] }];
    const pipeline = await storyboard('killed', longShots);
    const run = runCli(['run', pipeline, '--data-dir', await mkdtemp(path.join(work, 'coordinator-')), '--json', ...farmArgs()]);
    await victim.waitFor(/runs generate "shot-1"/);
    victim.child.kill('SIGKILL');
    const rescuer = await startWorker('rescuer', farm());
    workers.push(rescuer);
    const result = await run;
    expect(result.code, result.stderr).toBe(0);
    expect(workersOf(result.lines)['shot-1']).toBe('rescuer');
    const states = finalStates(result.lines);
    expect(Object.values(states).every((state) => state === 'done' || state === 'cached')).toBe(true);
    const keys = Object.fromEntries(result.lines.filter((line) => line.type === 'node.status').map((line) => [line.nodeId, line.key as string]));
    const shared = await sharedKeys();
    for (const id of ['prompt-1', 'shot-1']) expect(shared.filter((key) => key === keys[id])).toHaveLength(1);
  }, 180_000);

  it('hands a running job back to its queue when its worker is stopped (SIGTERM), and another worker finishes it', async () => {
    await stopWorkers();
    const leaving = await startWorker('leaving', farm());
    workers.push(leaving);
    const pipeline = await storyboard('handed-back', [{ text: 'a slow crane shot over a bridge', seed: 61, seconds: 8, size: [256, 160] }]);
    const run = runCli(['run', pipeline, '--data-dir', await mkdtemp(path.join(work, 'coordinator-')), '--json', ...farmArgs()]);
    await leaving.waitFor(/runs generate "shot-1"/);
    const staying = await startWorker('staying', farm());
    workers.push(staying);
    await leaving.stop('SIGTERM');
    expect(leaving.log()).toMatch(/generate "shot-1" goes back to its queue: this worker is stopping\./);
    const result = await run;
    expect(result.code, result.stderr).toBe(0);
    expect(workersOf(result.lines)['shot-1']).toBe('staying');
  }, 120_000);

  it('cancels: Ctrl-C on the run stops the node on the worker and leaves nothing of it', async () => {
    await stopWorkers();
    const worker = await startWorker('busy', farm());
    workers.push(worker);
    const pipeline = await storyboard('cancelled', [{ text: 'a slow dolly through a library', seed: 31, seconds: 10, size: [256, 160] }]);
    const run = spawnCli(['run', pipeline, '--data-dir', await mkdtemp(path.join(work, 'coordinator-')), '--json', ...farmArgs()]);
    let stdout = '';
    run.stdout!.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => run.once('exit', (code) => resolve(code)));
    await worker.waitFor(/runs generate "shot-1"/);
    run.kill('SIGINT');
    expect(await exited).toBe(130);
    await worker.waitFor(/generate "shot-1" failed: Cancelled\./, 30_000);
    const key = stdout
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as Record<string, unknown>)
      .find((line) => line.nodeId === 'shot-1')!.key as string;
    expect(await sharedKeys()).not.toContain(key);
    const queue = new Queue(queueName(modelRoute('reelgraph/procedural-field')), { connection: { host: '127.0.0.1', port: redis.port } });
    try {
      expect(await queue.getJob(key)).toBeUndefined();
    } finally {
      await queue.close();
    }
  }, 120_000);

  it('sends a model’s jobs only to workers that serve that model', async () => {
    await stopWorkers();
    workers.push(
      await startWorker('generator', farm(), ['--models', 'reelgraph/procedural-field']),
      await startWorker('upscaler', farm(), ['--models', 'upscalerjs/esrgan-slim']),
    );
    const pipeline = await storyboard('routed', [
      { text: 'a red kite over a field', seed: 41, size: [64, 64] },
      { text: 'a blue boat on a lake', seed: 42, size: [64, 64] },
    ], { upscale: true });
    const result = await runCli(['run', pipeline, '--data-dir', await mkdtemp(path.join(work, 'coordinator-')), '--json', ...farmArgs()]);
    expect(result.code, result.stderr).toBe(0);
    const ran = workersOf(result.lines);
    expect([ran['shot-1'], ran['shot-2']]).toEqual(['generator', 'generator']);
    expect([ran['upscale-1'], ran['upscale-2']]).toEqual(['upscaler', 'upscaler']);
  }, 180_000);

  it('replaces its worker process after --max-jobs jobs, and the run goes on', async () => {
    await stopWorkers();
    const worker = await startWorker('recycled', farm(), ['--max-jobs', '1'], { supervised: true });
    workers.push(worker);
    const pipeline = await storyboard('recycled', [
      { text: 'a paper boat on a puddle', seed: 51, size: [64, 64] },
      { text: 'a kite in a storm', seed: 52, size: [64, 64] },
    ]);
    const result = await runCli(['run', pipeline, '--data-dir', await mkdtemp(path.join(work, 'coordinator-')), '--json', ...farmArgs()]);
    expect(result.code, result.stderr).toBe(0);
    // Five jobs (two prompts, two shots, the join); a process may run a CPU and a device job at once before it stops, so three processes at least.
    expect(worker.log().match(/stops to be replaced/g)?.length).toBeGreaterThanOrEqual(2);
    expect(worker.log().match(/is running/g)?.length).toBeGreaterThanOrEqual(3);
    expect(Object.values(workersOf(result.lines)).every((name) => name === 'recycled')).toBe(true);
  }, 180_000);

  it('runs the same with the shared cache on S3-compatible storage (a real S3-protocol server)', async () => {
    await stopWorkers();
    const s3 = await startS3TestServer();
    try {
      const env = { AWS_ACCESS_KEY_ID: s3.credentials.accessKeyId, AWS_SECRET_ACCESS_KEY: s3.credentials.secretAccessKey, AWS_REGION: 'us-east-1' };
      const place = `s3://${s3.bucket}/farm?endpoint=${encodeURIComponent(s3.endpoint)}`;
      const s3Farm = { redisUrl: redis.url, sharedDir: place };
      workers.push(await startWorker('s3-a', s3Farm, [], { env }), await startWorker('s3-b', s3Farm, [], { env }));
      const pipeline = await storyboard('on-s3', [
        { text: 'a lantern on a jetty', seed: 71, size: [64, 64] },
        { text: 'a heron in the reeds', seed: 72, size: [64, 64] },
      ]);
      const coordinator = await mkdtemp(path.join(work, 'coordinator-'));
      const run = () => runCli(['run', pipeline, '--data-dir', coordinator, '--json', '--redis', redis.url, '--shared-cache', place], { env });
      const first = await run();
      expect(first.code, first.stderr).toBe(0);
      expect(Object.keys(workersOf(first.lines)).sort()).toEqual(['join', 'prompt-1', 'prompt-2', 'shot-1', 'shot-2']);
      // Data, then manifest, per farmed node, under the prefix.
      const manifests = s3.events.filter((event) => event.name.startsWith('ObjectCreated') && event.key.startsWith('farm/') && event.key.endsWith('.json'));
      expect(manifests.length).toBeGreaterThanOrEqual(5);
      const localData = await mkdtemp(path.join(work, 'local-'));
      const local = await runCli(['run', pipeline, '--data-dir', localData, '--json']);
      expect(local.code, local.stderr).toBe(0);
      const farmVideo = await decodeWhole(exportedFile(first.lines, coordinator));
      const localVideo = await decodeWhole(exportedFile(local.lines, localData));
      expect(farmVideo.frameCount).toBe(24);
      expect(Buffer.from(farmVideo.pixels).equals(Buffer.from(localVideo.pixels))).toBe(true);
    } finally {
      await stopWorkers();
      await s3.stop();
    }
  }, 180_000);

  it('serve --redis: a client sees the same protocol, with the worker that ran each node', async () => {
    await stopWorkers();
    workers.push(await startWorker('socket-gpu', farm()));
    const serve = await startServeProcess(await mkdtemp(path.join(work, 'serve-')), { args: farmArgs() });
    const client = await TestClient.connect(`ws://127.0.0.1:${serve.port}/ws`);
    try {
      client.send({ type: 'hello', protocolVersion: 1, client: 'farm-test' });
      const pipeline = JSON.parse(await readFile(await storyboard('over-socket', [
        { text: 'a tram in the rain', seed: 81, size: [64, 64] },
        { text: 'a bakery at dawn', seed: 82, size: [64, 64] },
      ]), 'utf8'));
      client.send({ type: 'run', runId: 'farm-socket', pipeline });
      const finished = await client.next('run.finished', (m) => m.runId === 'farm-socket', 120_000);
      expect(finished).toMatchObject({ status: 'succeeded', stats: { executed: 6 } });
      const statuses = client.of('node.status', 'farm-socket');
      const ranOn = Object.fromEntries(statuses.filter((m) => m.state === 'done').map((m) => [m.nodeId, m.worker]));
      expect(ranOn).toEqual({ 'prompt-1': 'socket-gpu', 'prompt-2': 'socket-gpu', 'shot-1': 'socket-gpu', 'shot-2': 'socket-gpu', join: 'socket-gpu', export: undefined });
      expect(statuses.some((m) => m.nodeId === 'shot-1' && m.state === 'running' && m.worker === 'socket-gpu')).toBe(true);
      // The export made here is served like any other.
      const exported = client.of('node.output', 'farm-socket').find((m) => m.nodeId === 'export')!;
      expect(exported.outputs.file?.url).toMatch(/^\/media\//);
    } finally {
      await client.close();
      await serve.stop('SIGINT');
    }
  }, 180_000);
});
