import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { afterAll, describe, expect, it } from 'vitest';
import { GraphBuilder } from '../onnx/graph-builder.ts';
import { SessionPool, type PooledSession, type SessionFactory, type SessionPoolOptions } from './session-pool.ts';

function doubler(): Uint8Array {
  const g = new GraphBuilder('doubler');
  g.output(g.mul(g.input('x', 'float32', [2]), 2), 'y');
  return g.build();
}

function countingPool(): { pool: SessionPool; opened: () => number } {
  let count = 0;
  const open: SessionFactory = (model, options) => {
    count++;
    return typeof model === 'string' ? ort.InferenceSession.create(model, options) : ort.InferenceSession.create(model, options);
  };
  return { pool: new SessionPool(open), opened: () => count };
}

const dir = await mkdtemp(join(tmpdir(), 'reelgraph-pool-'));
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('SessionPool', () => {
  it('gives the same session for the same model bytes, even from another buffer or a file', async () => {
    const { pool, opened } = countingPool();
    const bytes = doubler();
    const path = join(dir, 'doubler.onnx');
    await writeFile(path, bytes);
    const first = await pool.sessionFor(bytes, 'cpu');
    expect(await pool.sessionFor(bytes.slice(), 'cpu')).toBe(first);
    expect(await pool.sessionFor(path, 'cpu')).toBe(first);
    expect(opened()).toBe(1);
    const result = await first.run({ x: new ort.Tensor('float32', Float32Array.from([1.5, -2]), [2]) });
    expect(Array.from(result.y!.data as Float32Array)).toEqual([3, -4]);
  });

  it('opens a session once under concurrent requests', async () => {
    const { pool, opened } = countingPool();
    const bytes = doubler();
    const sessions = await Promise.all(Array.from({ length: 8 }, () => pool.sessionFor(bytes.slice(), 'cpu')));
    expect(new Set(sessions).size).toBe(1);
    expect(opened()).toBe(1);
    expect(pool.size).toBe(1);
  });

  it('keeps sessions of different models apart', async () => {
    const { pool } = countingPool();
    const g = new GraphBuilder('tripler');
    g.output(g.mul(g.input('x', 'float32', [2]), 3), 'y');
    expect(await pool.sessionFor(g.build(), 'cpu')).not.toBe(await pool.sessionFor(doubler(), 'cpu'));
  });

  it('reports a model that will not open, and tries again next time', async () => {
    const { pool, opened } = countingPool();
    const junk = new TextEncoder().encode('not an onnx model');
    await expect(pool.sessionFor(junk, 'cpu')).rejects.toThrow(/Could not open an in-memory model \(17 bytes\) on cpu: /);
    await expect(pool.sessionFor(junk, 'cpu')).rejects.toThrow();
    expect(opened()).toBe(2);
    expect(pool.size).toBe(0);
  });

  it('notices a changed file', async () => {
    const { pool } = countingPool();
    const path = join(dir, 'changing.onnx');
    await writeFile(path, doubler());
    const before = await pool.contentHash(path);
    const g = new GraphBuilder('other');
    g.output(g.add(g.input('x', 'float32', [2]), 1), 'y');
    await writeFile(path, g.build());
    expect(await pool.contentHash(path)).not.toBe(before);
  });

  it('releases every session and reopens on demand', async () => {
    const { pool, opened } = countingPool();
    await pool.sessionFor(doubler(), 'cpu');
    await pool.release();
    expect(pool.size).toBe(0);
    await pool.sessionFor(doubler(), 'cpu');
    expect(opened()).toBe(2);
  });

  it('keeps loaded models within its byte budget, releasing the least recently used; a released one reopens on its next run', async () => {
    const [two, three] = [scaler(2), scaler(3)];
    const { pool, opened, released } = instrumentedPool({ budgetBytes: Math.max(two.length, three.length) + 1 });
    const doubling = await pool.sessionFor(two, 'cpu');
    const tripling = await pool.sessionFor(three, 'cpu');
    // Only one fits: opening the second released the first.
    expect([pool.size, released()]).toEqual([1, 1]);
    expect(pool.loadedBytes).toBe(three.length);
    expect(await runScaler(doubling, [1, 2])).toEqual([2, 4]);
    expect([opened(), released()]).toEqual([3, 2]);
    expect(await runScaler(tripling, [1, 2])).toEqual([3, 6]);
    expect(opened()).toBe(4);
  });

  it('never releases a session while a run on it is in flight', async () => {
    const [two, three] = [scaler(2), scaler(3)];
    let open!: () => void;
    const gate = new Promise<void>((resolve) => (open = resolve));
    const { pool, released } = instrumentedPool({ budgetBytes: Math.max(two.length, three.length) + 1 }, gate);
    const doubling = await pool.sessionFor(two, 'cpu');
    const running = runScaler(doubling, [5, 6]);
    await new Promise((resolve) => setTimeout(resolve, 20));
    await pool.sessionFor(three, 'cpu');
    // Over budget, but the doubler is busy: both stay until its run ends.
    expect([pool.size, released()]).toEqual([2, 0]);
    open();
    expect(await running).toEqual([10, 12]);
    expect([pool.size, released()]).toEqual([1, 1]);
  });
});

function scaler(factor: number): Uint8Array {
  const g = new GraphBuilder(`times_${factor}`);
  g.output(g.mul(g.input('x', 'float32', [2]), factor), 'y');
  return g.build();
}

async function runScaler(session: PooledSession, values: number[]): Promise<number[]> {
  const result = await session.run({ x: new ort.Tensor('float32', Float32Array.from(values), [2]) });
  return Array.from(result.y!.data as Float32Array);
}

/** A pool that counts openings and releases; its sessions' runs wait for `gate` when one is given. */
function instrumentedPool(options: SessionPoolOptions, gate?: Promise<void>): { pool: SessionPool; opened: () => number; released: () => number } {
  let [opened, released] = [0, 0];
  const open: SessionFactory = async (model, sessionOptions) => {
    opened++;
    const session = await ort.InferenceSession.create(model as Uint8Array, sessionOptions);
    const [run, release] = [session.run.bind(session), session.release.bind(session)];
    Object.assign(session, {
      run: async (...args: Parameters<typeof run>) => {
        await gate;
        return run(...args);
      },
      release: async () => {
        released++;
        await release();
      },
    });
    return session;
  };
  return { pool: new SessionPool(open, options), opened: () => opened, released: () => released };
}

