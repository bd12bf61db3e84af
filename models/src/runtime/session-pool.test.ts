import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { afterAll, describe, expect, it } from 'vitest';
import { GraphBuilder } from '../onnx/graph-builder.ts';
import { SessionPool, type SessionFactory } from './session-pool.ts';

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
});
