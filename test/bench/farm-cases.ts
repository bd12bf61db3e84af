/**
 * The render farm's costs, on a real redis-server and a shared folder:
 * - per-node overhead: a graph of many small nodes run through the farm (one
 *   in-process worker) against the local engine, in the same run;
 * - scaling: four independent shots on two worker processes against one.
 * Each round uses new prompts, so nothing is served from a cache.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Catalog, Engine, loadPipelineValue, PIPELINE_FORMAT, PIPELINE_VERSION } from '@reelgraph/engine';
import { builtinNodes } from '@reelgraph/nodes';
import { FarmClient } from '../../engine/src/farm/farm-client.ts';
import { FarmWorker } from '../../engine/src/farm/farm-worker.ts';
import { FolderStore } from '../../engine/src/farm/shared-store/folder-store.ts';
import { startRedisTestServer, type RedisTestServer } from '../../engine/src/farm/testing/redis-test-server.ts';
import { startWorker, type TestWorker } from '../support/farm-processes.ts';
import { runCli } from '../support/run-cli.ts';
import type { BenchCase } from './bench-harness.ts';

const catalog = new Catalog(builtinNodes);

/** `count` small independent nodes (prompts), with new text each round. */
function smallNodes(count: number, round: number) {
  const nodes = Array.from({ length: count }, (_, i) => ({ id: `p${i}`, type: 'prompt', params: { text: `round ${round}: a lighthouse at dusk, take ${i}` } }));
  return { format: PIPELINE_FORMAT, version: PIPELINE_VERSION, name: 'small nodes', nodes, edges: [] };
}

export function farmOverheadCase(count = 40): BenchCase {
  let dir = '';
  let redis: RedisTestServer;
  let farmEngine: Engine;
  let localEngine: Engine;
  let client: FarmClient;
  let worker: FarmWorker;
  let round = 0;
  return {
    name: `farm run, ${count} small nodes`,
    baselineName: 'the same graph on the local engine',
    runs: 5,
    async setup() {
      dir = await mkdtemp(path.join(tmpdir(), 'reelgraph-bench-farm-'));
      redis = await startRedisTestServer();
      const shared = new FolderStore(path.join(dir, 'shared'));
      client = new FarmClient({ redisUrl: redis.url, shared });
      farmEngine = new Engine({ catalog, dataDir: path.join(dir, 'coordinator'), sharedCache: shared, remote: client });
      localEngine = new Engine({ catalog, dataDir: path.join(dir, 'local') });
      const workerEngine = new Engine({ catalog, dataDir: path.join(dir, 'worker'), sharedCache: shared });
      worker = new FarmWorker({ redisUrl: redis.url, engine: workerEngine, models: [], cpuSlots: 4, pollMs: 20 });
      await worker.start();
    },
    async teardown() {
      await worker.close();
      await client.close();
      await redis.stop();
      await rm(dir, { recursive: true, force: true });
    },
    async subject() {
      const result = await farmEngine.run({ pipeline: loadPipelineValue(smallNodes(count, ++round), catalog) });
      if (result.status !== 'succeeded' || result.stats.executed !== count) throw new Error(`farm run: ${result.status}, ${result.stats.executed} executed`);
    },
    async baseline() {
      const result = await localEngine.run({ pipeline: loadPipelineValue(smallNodes(count, ++round), catalog) });
      if (result.stats.executed !== count) throw new Error(`local run executed ${result.stats.executed}`);
    },
    detail: (subject, baseline) => `${((subject - baseline) / count).toFixed(1)} ms/node overhead`,
  };
}

export function farmScalingCase(): BenchCase {
  let dir = '';
  let redis: RedisTestServer;
  const workers: TestWorker[] = [];
  let round = 0;
  /** Two farms on one redis-server (databases 1 and 2), each with its own shared folder: two workers, and one. */
  const farmOf = (workerCount: number) => ({ redisUrl: `${redis.url}/${workerCount}`, sharedDir: path.join(dir, `shared-${workerCount}`) });
  const runShots = async (workerCount: number) => {
    const farm = farmOf(workerCount);
    const file = path.join(dir, `shots-${++round}.reel.json`);
    const nodes: unknown[] = [];
    const edges: unknown[] = [];
    for (let i = 1; i <= 4; i++) {
      nodes.push({ id: `prompt-${i}`, type: 'prompt', params: { text: `round ${round}, shot ${i}: a harbour at dawn` } });
      nodes.push({ id: `shot-${i}`, type: 'generate', params: { duration: 2, fps: 12, seed: i, width: 256, height: 144 } });
      edges.push({ from: { node: `prompt-${i}`, port: 'prompt' }, to: { node: `shot-${i}`, port: 'prompt' } });
    }
    await writeFile(file, JSON.stringify({ format: PIPELINE_FORMAT, version: PIPELINE_VERSION, name: 'four shots', nodes, edges }));
    const result = await runCli(['run', file, '--data-dir', path.join(dir, `coordinator-${round}`), '--json', '--redis', farm.redisUrl, '--shared-cache', farm.sharedDir]);
    if (result.code !== 0) throw new Error(`farm run failed: ${result.stderr}`);
  };
  return {
    name: 'four shots on a farm, two workers',
    baselineName: 'one worker',
    runs: 3,
    async setup() {
      dir = await mkdtemp(path.join(tmpdir(), 'reelgraph-bench-farm-scale-'));
      redis = await startRedisTestServer();
      workers.push(await startWorker('pair-1', farmOf(2)), await startWorker('pair-2', farmOf(2)), await startWorker('solo', farmOf(1)));
    },
    async teardown() {
      await Promise.all(workers.map((worker) => worker.stop()));
      await redis.stop();
      await rm(dir, { recursive: true, force: true });
    },
    subject: () => runShots(2),
    baseline: () => runShots(1),
  };
}
