import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { defineNode, port, type AnyNodeDefinition } from '@reelgraph/nodes';
import { Catalog } from './catalog.ts';
import { Engine } from './engine.ts';
import { loadPipelineValue } from './pipeline/load-pipeline.ts';
import { PipelineInvalidError } from './pipeline/pipeline-issue.ts';
import type { NodeState, RunEvent } from './run/run-events.ts';
import { fixtureCatalog, type RunCounter } from './testing/fixture-nodes.ts';
import { pipelineOf } from './testing/pipeline-builder.ts';

let dataDir: string;
let counter: RunCounter;
let engine: Engine;

beforeEach(async () => {
  dataDir = await mkdtemp(path.join(tmpdir(), 'reelgraph-engine-'));
  counter = new Map();
  engine = new Engine({ catalog: fixtureCatalog(counter), dataDir });
});
afterEach(async () => {
  await rm(dataDir, { recursive: true, force: true });
});

/** a → b → d ← c, plus an independent e → f */
function diamond(params: Record<string, Record<string, unknown>> = {}) {
  return pipelineOf(
    [
      { id: 'a', type: 'source', params: params.a ?? {} },
      { id: 'b', type: 'join', params: params.b ?? {} },
      { id: 'c', type: 'source', params: { text: 'c', ...params.c } },
      { id: 'd', type: 'join', params: params.d ?? {} },
      { id: 'e', type: 'source', params: { text: 'e', ...params.e } },
      { id: 'f', type: 'join', params: params.f ?? {} },
    ],
    ['a.out -> b.a', 'b.out -> d.a', 'c.out -> d.b', 'e.out -> f.a'],
  );
}

async function run(document: unknown, options: { targets?: string[]; noCache?: boolean; signal?: AbortSignal } = {}) {
  const events: RunEvent[] = [];
  const pipeline = loadPipelineValue(document, engine.catalog);
  const result = await engine.run({ pipeline, ...options }, (event) => events.push(event));
  const states = new Map<string, NodeState[]>();
  for (const event of events) {
    if (event.type === 'node.status') states.set(event.nodeId, [...(states.get(event.nodeId) ?? []), event.state]);
  }
  const inState = (state: NodeState) => [...states].filter(([, s]) => s.at(-1) === state).map(([id]) => id).sort();
  return { result, events, states, inState };
}

describe('Engine.cachedResults', () => {
  it('reports what the cache holds for each node without running anything; a changed node and its downstream are missing', async () => {
    const pipeline = (params = {}) => loadPipelineValue(diamond(params), engine.catalog);
    expect(await engine.cachedResults(pipeline())).toEqual(new Map());
    const first = await run(diamond());
    const keyOf = (id: string) => (first.events.find((e) => e.type === 'node.output' && e.nodeId === id) as { key: string }).key;
    const runsBefore = [...counter.values()].reduce((a, b) => a + b, 0);

    const all = await engine.cachedResults(pipeline());
    expect([...all.keys()].sort()).toEqual(['a', 'b', 'c', 'd', 'e', 'f']);
    expect(all.get('d')).toEqual({ key: keyOf('d'), outputs: { out: expect.objectContaining({ kind: expect.any(String) }) } });

    const changed = await engine.cachedResults(pipeline({ c: { text: 'changed' } }));
    expect([...changed.keys()].sort()).toEqual(['a', 'b', 'e', 'f']);
    // Nothing ran to find out.
    expect([...counter.values()].reduce((a, b) => a + b, 0)).toBe(runsBefore);
  });
});

describe('Engine.run', () => {
  it('runs every node once, in dependency order, and reports outputs', async () => {
    const { result, events, inState } = await run(diamond());
    expect(result.status).toBe('succeeded');
    expect(result.stats).toMatchObject({ executed: 6, cached: 0 });
    expect(inState('done')).toEqual(['a', 'b', 'c', 'd', 'e', 'f']);
    const outputOf = (id: string) => events.find((e) => e.type === 'node.output' && e.nodeId === id);
    expect(outputOf('d')).toMatchObject({ outputs: { out: { kind: 'prompt', text: 'x+c' } } });
    const doneOrder = events.filter((e) => e.type === 'node.status' && e.state === 'done').map((e) => (e as { nodeId: string }).nodeId);
    expect(doneOrder.indexOf('a')).toBeLessThan(doneOrder.indexOf('b'));
    expect(doneOrder.indexOf('b')).toBeLessThan(doneOrder.indexOf('d'));
    expect(events.at(-1)).toMatchObject({ type: 'run.finished', status: 'succeeded' });
  });

  it('has each output in the cache by the time it is reported (a client may fetch its preview at once)', async () => {
    const pipeline = loadPipelineValue(diamond(), engine.catalog);
    const cachedWhenReported = new Map<string, boolean>();
    await engine.run({ pipeline }, (event) => {
      // Synchronously, as the server's preview route would find it on the next request.
      if (event.type === 'node.output') cachedWhenReported.set(event.nodeId, engine.cache.memory.get(event.key) !== undefined);
    });
    expect(Object.fromEntries(cachedWhenReported)).toEqual({ a: true, b: true, c: true, d: true, e: true, f: true });
  });

  it('executes nothing on a second run, and still reports every output', async () => {
    await run(diamond());
    counter.clear();
    const { result, events, inState } = await run(diamond());
    expect(result.stats).toMatchObject({ executed: 0, cached: 6 });
    expect(counter.size).toBe(0);
    expect(inState('cached')).toEqual(['a', 'b', 'c', 'd', 'e', 'f']);
    expect(events.filter((e) => e.type === 'node.output').map((e) => (e as { nodeId: string }).nodeId).sort()).toEqual(['a', 'b', 'c', 'd', 'e', 'f']);
    expect(events.find((e) => e.type === 'node.output' && e.nodeId === 'b')).toMatchObject({ outputs: { out: { kind: 'prompt', text: 'x' } } });
  });

  it('re-executes exactly the changed node and its downstream', async () => {
    await run(diamond());
    counter.clear();
    const { result, inState } = await run(diamond({ b: { separator: '/' } }));
    expect([...counter.keys()].sort()).toEqual(['b', 'd']);
    expect(inState('done')).toEqual(['b', 'd']);
    expect(inState('cached')).toEqual(['a', 'c', 'e', 'f']);
    expect(result.stats).toMatchObject({ executed: 2, cached: 4 });
  });

  it('describes cached upstream videos from the disk without reading their pixels', async () => {
    const document = pipelineOf([{ id: 'v', type: 'video-source', params: { frames: 3 } }, { id: 'k', type: 'video-sink' }], ['v.video -> k.video']);
    await run(document);
    engine = new Engine({ catalog: fixtureCatalog(counter), dataDir });
    const { events, inState } = await run(document);
    expect(inState('cached')).toEqual(['k', 'v']);
    expect(events.find((e) => e.type === 'node.output' && e.nodeId === 'v')).toMatchObject({
      outputs: { video: { kind: 'video', width: 4, height: 4, frameCount: 3 } },
    });
    // Only the target's entry was loaded into memory; the upstream video was only peeked at.
    expect(engine.cache.memory.size).toBe(1);
  });

  it('does not report upstream nodes whose results were evicted', async () => {
    await run(diamond());
    engine = new Engine({ catalog: fixtureCatalog(counter), dataDir });
    const { plan } = await engine.plan({ pipeline: loadPipelineValue(diamond(), engine.catalog) });
    const { rm } = await import('node:fs/promises');
    await rm(path.join(dataDir, 'cache', plan.keys.get('b')!.slice(0, 2)), { recursive: true, force: true });
    engine = new Engine({ catalog: fixtureCatalog(counter), dataDir });
    const { inState } = await run(diamond());
    // b is gone, so nothing is known of it or (through it) of a; d and its other input c still are.
    expect(inState('cached')).toEqual(['c', 'd', 'e', 'f']);
  });

  it('serves results from disk to a new engine (restart)', async () => {
    await run(diamond());
    engine = new Engine({ catalog: fixtureCatalog(counter), dataDir });
    counter.clear();
    const { result } = await run(diamond());
    expect(result.stats.executed).toBe(0);
    expect(counter.size).toBe(0);
  });

  it('with noCache executes everything again', async () => {
    await run(diamond());
    counter.clear();
    const { result } = await run(diamond(), { noCache: true });
    expect(result.stats).toMatchObject({ executed: 6, cached: 0 });
  });

  it('runs only the upstream of the named targets', async () => {
    const { inState } = await run(diamond(), { targets: ['b'] });
    expect(inState('done')).toEqual(['a', 'b']);
    expect(counter.has('e')).toBe(false);
  });

  it('refuses an unknown target before running anything', async () => {
    await expect(run(diamond(), { targets: ['zz'] })).rejects.toThrow(PipelineInvalidError);
    expect(counter.size).toBe(0);
  });

  it('fails only the downstream of a failing node; independent branches finish', async () => {
    const document = pipelineOf(
      [
        { id: 'x', type: 'fail' },
        { id: 'y', type: 'join' },
        { id: 'z', type: 'join' },
        { id: 'ok', type: 'source' },
        { id: 'ok2', type: 'join' },
      ],
      ['x.out -> y.a', 'y.out -> z.a', 'ok.out -> ok2.a'],
    );
    const { result, events, inState } = await run(document);
    expect(result.status).toBe('failed');
    expect(inState('error')).toEqual(['x']);
    expect(inState('skipped')).toEqual(['y', 'z']);
    expect(inState('done')).toEqual(['ok', 'ok2']);
    expect(events.find((e) => e.type === 'node.status' && e.state === 'error')).toMatchObject({ error: 'This node fails on purpose.' });
    expect(counter.has('y')).toBe(false);
  });

  it('cancels a running node through its signal and marks the rest cancelled', async () => {
    const controller = new AbortController();
    const document = pipelineOf([{ id: 'w', type: 'wait' }, { id: 'after', type: 'join' }], ['w.out -> after.a']);
    const events: RunEvent[] = [];
    const pipeline = loadPipelineValue(document, engine.catalog);
    const running = engine.run({ pipeline, signal: controller.signal }, (event) => {
      events.push(event);
      if (event.type === 'node.progress' && event.done === 3) controller.abort();
    });
    const result = await running;
    expect(result.status).toBe('cancelled');
    const progress = events.filter((e) => e.type === 'node.progress');
    expect(progress.length).toBe(4);
    const finalStates = Object.fromEntries(
      events.filter((e) => e.type === 'node.status').map((e) => [(e as { nodeId: string }).nodeId, (e as { state: string }).state]),
    );
    expect(finalStates).toEqual({ w: 'cancelled', after: 'cancelled' });
    expect(counter.has('after')).toBe(false);
  });

  it('runs accelerator nodes one at a time', async () => {
    const document = pipelineOf([
      { id: 'w1', type: 'wait', params: { steps: 5 } },
      { id: 'w2', type: 'wait', params: { steps: 6 } },
    ]);
    const { events } = await run(document);
    const sequence = events
      .filter((e) => e.type === 'node.status' && (e.state === 'running' || e.state === 'done'))
      .map((e) => `${(e as { nodeId: string }).nodeId}:${(e as { state: string }).state}`);
    // Independent nodes may start in either order; what matters is that one is done before the other runs.
    const first = sequence[0]!.split(':')[0];
    const second = first === 'w1' ? 'w2' : 'w1';
    expect(sequence).toEqual([`${first}:running`, `${first}:done`, `${second}:running`, `${second}:done`]);
  });

  it('never serves a non-deterministic node from cache', async () => {
    const document = pipelineOf([{ id: 'r', type: 'random' }]);
    await run(document);
    const { result } = await run(document);
    expect(result.stats).toMatchObject({ executed: 1, cached: 0 });
  });

  it('passes pixel outputs between nodes and caches them', async () => {
    const document = pipelineOf([{ id: 'v', type: 'video-source', params: { frames: 3 } }, { id: 'k', type: 'video-sink' }], ['v.out -> k.video'.replace('out', 'video')]);
    const first = await run(document);
    expect(first.events.find((e) => e.type === 'node.output' && e.nodeId === 'v')).toMatchObject({
      outputs: { video: { kind: 'video', width: 4, height: 4, frameCount: 3, fps: 24 } },
    });
    expect(first.result.outputs.get('k')?.out).toMatchObject({ text: '3 frames ' });
  });
});

describe('one run, bounded', () => {
  it('executes nodes with the same key once; the others take that result', async () => {
    const document = pipelineOf(
      [
        { id: 'left', type: 'source', params: { text: 'same' } },
        { id: 'right', type: 'source', params: { text: 'same' } },
        { id: 'both', type: 'join' },
      ],
      ['left.out -> both.a', 'right.out -> both.b'],
    );
    const { result, events, states } = await run(document);
    expect(result.status).toBe('succeeded');
    expect([...counter.keys()].sort()).toEqual(['both', 'left']);
    expect(result.stats).toMatchObject({ executed: 2, cached: 1 });
    expect(states.get('right')).toEqual(['queued', 'cached']);
    expect(events.find((e) => e.type === 'node.output' && e.nodeId === 'both')).toMatchObject({ outputs: { out: { text: 'same+same' } } });
  });

  it('still executes identical non-deterministic nodes each', async () => {
    const { result } = await run(pipelineOf([{ id: 'r1', type: 'random' }, { id: 'r2', type: 'random' }]));
    expect(result.stats.executed).toBe(2);
  });

  it('lets go of the outputs of a duplicate\'s own inputs, which nothing reads', async () => {
    const document = pipelineOf(
      [
        { id: 'v1', type: 'video-source', params: { frames: 3 } },
        { id: 'k1', type: 'video-sink' },
        { id: 'v2', type: 'video-source', params: { frames: 3 } },
        { id: 'k2', type: 'video-sink' },
      ],
      ['v1.video -> k1.video', 'v2.video -> k2.video'],
    );
    const { result } = await run(document);
    expect([...result.outputs.keys()].sort()).toEqual(['k1', 'k2']);
  });

  it('lets go of a node\'s outputs after its last reader, keeping the targets\'', async () => {
    const document = pipelineOf([{ id: 'v', type: 'video-source', params: { frames: 3 } }, { id: 'k', type: 'video-sink' }], ['v.video -> k.video']);
    const { result } = await run(document);
    expect([...result.outputs.keys()]).toEqual(['k']);
    const targeted = await run(document, { targets: ['k', 'v'], noCache: true });
    expect([...targeted.result.outputs.keys()].sort()).toEqual(['k', 'v']);
  });

  it('refuses a run that would execute more nodes than its budget, before anything runs', async () => {
    engine = new Engine({ catalog: fixtureCatalog(counter), dataDir, budget: { nodes: 5 } });
    const chain = pipelineOf(
      [{ id: 'n0', type: 'source' }, ...[1, 2, 3, 4, 5].map((i) => ({ id: `n${i}`, type: 'join', params: { separator: String(i) } }))],
      [1, 2, 3, 4, 5].map((i) => `n${i - 1}.out -> n${i}.a`),
    );
    const refused = await run(chain).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(PipelineInvalidError);
    expect((refused as PipelineInvalidError).issues).toEqual([
      {
        code: 'budget',
        message: 'This run would execute 6 nodes; a run may execute at most 5. Run part of it (choose targets) or raise the budget (--max-nodes).',
      },
    ]);
    expect(counter.size).toBe(0);
    expect(await engine.check({ pipeline: loadPipelineValue(chain, engine.catalog) })).toEqual((refused as PipelineInvalidError).issues);
    // Five of them fit; after that, the sixth alone does.
    expect((await run(chain, { targets: ['n4'] })).result.status).toBe('succeeded');
    expect((await run(chain)).result.stats.executed).toBe(1);
  });

  it('keeps the frames a duplicate node hands out until its own readers finish, cached or not', async () => {
    const slowReader = defineNode({
      type: 'slow-reader',
      version: 1,
      title: 'Slow reader',
      category: 'Test',
      description: 'Reads its video after a while.',
      inputs: { video: port.video() },
      outputs: { out: port.prompt() },
      params: {},
      device: 'cpu',
      async run({ inputs }) {
        await new Promise((resolve) => setTimeout(resolve, 200));
        const pixels = await inputs.video.frames.read(0, 3);
        return { out: { kind: 'prompt', text: `read ${pixels.byteLength} bytes`, negative: '', schedule: [] } };
      },
    });
    const fixtures = fixtureCatalog(counter);
    const catalog = new Catalog([...fixtures.types.map((type) => fixtures.get(type)!), slowReader as AnyNodeDefinition]);
    // 20 bytes of disk: no entry is kept, so v1's frames live in a file the run deletes when it lets go.
    for (const cacheDiskBytes of [20, 1 << 30]) {
      engine = new Engine({ catalog, dataDir: path.join(dataDir, String(cacheDiskBytes)), cacheDiskBytes });
      const document = pipelineOf(
        [
          { id: 'v1', type: 'video-source', params: { frames: 3 } },
          { id: 'v2', type: 'video-source', params: { frames: 3 } },
          { id: 'k1', type: 'video-sink' },
          { id: 'slow', type: 'slow-reader' },
        ],
        ['v1.video -> k1.video', 'v2.video -> slow.video'],
      );
      const { result, states } = await run(document);
      expect(result.status, `disk ${cacheDiskBytes}`).toBe('succeeded');
      expect(states.get('v2')?.at(-1)).toBe('cached');
      expect(states.get('slow')?.at(-1)).toBe('done');
    }
  });

  it('fails a node that returns frames it never finished writing, instead of waiting for them', async () => {
    engine = new Engine({ catalog: fixtureCatalog(counter), dataDir });
    const document = pipelineOf([{ id: 'v', type: 'video-source', params: { frames: 3, finish: false } }, { id: 'k', type: 'video-sink' }], ['v.video -> k.video']);
    const { result, states, events } = await run(document);
    expect(result.status).toBe('failed');
    const error = events.find((e) => e.type === 'node.status' && e.nodeId === 'v' && e.state === 'error') as { error: string };
    expect(error.error).toBe('Node kind "video-source" returned frames it had not finished writing on output "video" (a bug in that node kind).');
    expect(states.get('k')?.at(-1)).toBe('skipped');
  });

  it('stops a node mid-write before the run passes its byte budget, and says why', async () => {
    engine = new Engine({ catalog: fixtureCatalog(counter), dataDir, budget: { bytesWritten: 4 } });
    const document = pipelineOf([{ id: 'v', type: 'video-source', params: { frames: 3 } }, { id: 'k', type: 'video-sink' }], ['v.video -> k.video']);
    const { result, states, events } = await run(document);
    expect(result.status).toBe('failed');
    expect(states.get('v')?.at(-1)).toBe('error');
    const error = events.find((e) => e.type === 'node.status' && e.nodeId === 'v' && e.state === 'error') as { error: string };
    expect(error.error).toMatch(/^This node would take the run past its budget of 4 bytes written \(0 bytes so far\), so it stops here\./);
    expect(await readdir(dataDir, { recursive: true })).not.toContainEqual(expect.stringMatching(/\.(rgc|tmp)$/));
    expect(counter.has('k')).toBe(false);
  });
});
