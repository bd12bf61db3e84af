/**
 * What the farm retries: an error that may pass (the shared cache could not
 * be written) is tried again with backoff and the run succeeds; an error
 * that would repeat (the node itself fails) fails the node after one try.
 * In-process coordinator and worker, on a real redis-server and a real
 * shared folder; the fault is a real one (a file where the store needs a
 * folder), removed while the job waits for its retry.
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Catalog, Engine, loadPipelineValue } from '@reelgraph/engine';
import { builtinNodes } from '@reelgraph/nodes';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FarmClient } from '../../../engine/src/farm/farm-client.ts';
import { FarmWorker } from '../../../engine/src/farm/farm-worker.ts';
import { FolderStore } from '../../../engine/src/farm/shared-store/folder-store.ts';
import { startRedisTestServer, type RedisTestServer } from '../../../engine/src/farm/testing/redis-test-server.ts';
import { pipelineOf } from '../../../engine/src/testing/pipeline-builder.ts';

const catalog = new Catalog(builtinNodes);
let redis: RedisTestServer;
let dir: string;
let coordinator: Engine;
let client: FarmClient;
let worker: FarmWorker;
const log: string[] = [];

beforeAll(async () => {
  redis = await startRedisTestServer();
  dir = await mkdtemp(path.join(tmpdir(), 'reelgraph-farm-retries-'));
  const shared = new FolderStore(path.join(dir, 'shared'));
  client = new FarmClient({ redisUrl: redis.url, shared });
  coordinator = new Engine({ catalog, dataDir: path.join(dir, 'coordinator'), sharedCache: shared, remote: client });
  const workerEngine = new Engine({ catalog, dataDir: path.join(dir, 'worker'), sharedCache: shared });
  worker = new FarmWorker({ redisUrl: redis.url, engine: workerEngine, models: ['reelgraph/procedural-field', 'upscalerjs/esrgan-slim'], name: 'retrier', cpuSlots: 1, pollMs: 20, log: (line) => log.push(line) });
  await worker.start();
}, 30_000);
afterAll(async () => {
  await worker?.close();
  await client?.close();
  await redis?.stop();
  await rm(dir, { recursive: true, force: true });
});

describe('farm retries', () => {
  it('tries again, with backoff, a job whose result could not reach the shared cache, and the run succeeds', async () => {
    const pipeline = loadPipelineValue(pipelineOf([{ id: 'p', type: 'prompt', params: { text: 'a lighthouse, retried' } }]), catalog);
    const key = (await coordinator.plan({ pipeline }, { peekOnly: true })).plan.keys.get('p')!;
    // A file where the store's shard folder must go: the upload fails (ENOTDIR/EEXIST), as a full or unmounted share would.
    const shard = path.join(dir, 'shared', key.slice(0, 2));
    await mkdir(path.dirname(shard), { recursive: true });
    await writeFile(shard, 'in the way');
    const failed = new Promise<void>((resolve) => {
      const timer = setInterval(() => {
        if (log.some((line) => line.includes('prompt "p" failed'))) {
          clearInterval(timer);
          resolve();
        }
      }, 20);
    });
    const run = coordinator.run({ pipeline });
    await failed;
    await rm(shard);
    const result = await run;
    expect(result.status, log.join('\n')).toBe('succeeded');
    expect(log.filter((line) => line.includes('runs prompt "p"'))).toHaveLength(2);
    expect(log.filter((line) => line.includes('prompt "p" failed'))).toHaveLength(1);
  }, 30_000);

  it('fails a node that fails by itself after one try, with its own message', async () => {
    // 1200×64 enlarged ×8 is past the frame size limit: the upscale node refuses at run time, every time.
    const pipeline = loadPipelineValue(
      pipelineOf(
        [
          { id: 'p', type: 'prompt', params: { text: 'a very wide horizon' } },
          { id: 'g', type: 'generate', params: { width: 1200, height: 64, duration: 0.1, fps: 10 } },
          { id: 'u', type: 'upscale', params: { scale: '8' } },
        ],
        ['p.prompt -> g.prompt', 'g.video -> u.video'],
      ),
      catalog,
    );
    const events: { nodeId: string; state: string; error?: string }[] = [];
    const result = await coordinator.run({ pipeline }, (event) => {
      if (event.type === 'node.status') events.push(event);
    });
    expect(result.status).toBe('failed');
    expect(events.find((event) => event.nodeId === 'u' && event.state === 'error')?.error).toMatch(/9600×512 is outside the supported size/);
    expect(log.filter((line) => line.includes('runs upscale "u"'))).toHaveLength(1);
  }, 60_000);
});
