import * as ort from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import { GraphBuilder } from './graph-builder.ts';
import { at, broadcastOffset, expectClose, floatTensor, randomFloats, runOnCpu, runSingle, tabulate } from './test-support.ts';

describe('linear algebra', () => {
  it('MatMul broadcasts a (2,3,4) batch against a (4,5) matrix', async () => {
    const a = randomFloats(24, 21);
    const b = randomFloats(20, 22);
    const g = new GraphBuilder();
    const out = g.matMul(g.input('a', 'float32', [2, 3, 4]), g.input('b', 'float32', [4, 5]));
    const { data, dims } = await runSingle(g, out, { a: floatTensor(a, [2, 3, 4]), b: floatTensor(b, [4, 5]) });
    expect(dims).toEqual([2, 3, 5]);
    const expected = tabulate([2, 3, 5], ([n, i, j]) => {
      let s = 0;
      for (let k = 0; k < 4; k++) s += at(a, [2, 3, 4], [n!, i!, k]) * at(b, [4, 5], [k, j!]);
      return s;
    });
    expectClose(data, expected);
  });

  it('Gemm computes alpha·A·Bᵀ + beta·C with C broadcast', async () => {
    const a = randomFloats(6, 23);
    const b = randomFloats(12, 24);
    const c = randomFloats(4, 25);
    const g = new GraphBuilder();
    const out = g.gemm(g.input('a', 'float32', [2, 3]), g.input('b', 'float32', [4, 3]), g.input('c', 'float32', [4]), {
      alpha: 2,
      beta: 0.5,
      transB: true,
    });
    const { data, dims } = await runSingle(g, out, { a: floatTensor(a, [2, 3]), b: floatTensor(b, [4, 3]), c: floatTensor(c, [4]) });
    expect(dims).toEqual([2, 4]);
    const expected = tabulate([2, 4], ([i, j]) => {
      let s = 0;
      for (let k = 0; k < 3; k++) s += at(a, [2, 3], [i!, k]) * at(b, [4, 3], [j!, k]);
      return 2 * s + 0.5 * c[j!]!;
    });
    expectClose(data, expected);
  });
});

describe('shape and indexing', () => {
  const x = randomFloats(24, 31);
  const X_SHAPE = [2, 3, 4];
  const feed = () => ({ x: floatTensor(x, X_SHAPE) });

  it('Concat joins along an axis', async () => {
    const y = randomFloats(16, 32);
    const g = new GraphBuilder();
    const out = g.concat([g.input('x', 'float32', X_SHAPE), g.input('y', 'float32', [2, 2, 4])], 1);
    const { data, dims } = await runSingle(g, out, { ...feed(), y: floatTensor(y, [2, 2, 4]) });
    expect(dims).toEqual([2, 5, 4]);
    expectClose(data, tabulate([2, 5, 4], ([n, i, k]) => (i! < 3 ? at(x, X_SHAPE, [n!, i!, k!]) : at(y, [2, 2, 4], [n!, i! - 3, k!]))));
  });

  it('Reshape keeps row-major order and infers 0 and -1 dims', async () => {
    const g = new GraphBuilder();
    const out = g.reshape(g.input('x', 'float32', X_SHAPE), [0, -1]);
    expect(out.shape).toEqual([2, 12]);
    const { data, dims } = await runSingle(g, out, feed());
    expect(dims).toEqual([2, 12]);
    expectClose(data, [...x]);
  });

  it('Transpose permutes axes', async () => {
    const g = new GraphBuilder();
    const out = g.transpose(g.input('x', 'float32', X_SHAPE), [2, 0, 1]);
    const { data, dims } = await runSingle(g, out, feed());
    expect(dims).toEqual([4, 2, 3]);
    expectClose(data, tabulate([4, 2, 3], ([k, n, i]) => at(x, X_SHAPE, [n!, i!, k!])));
  });

  it('Unsqueeze inserts and Squeeze removes size-1 axes', async () => {
    const g = new GraphBuilder();
    const up = g.unsqueeze(g.input('x', 'float32', X_SHAPE), [0, 3]);
    expect(up.shape).toEqual([1, 2, 3, 1, 4]);
    g.output(up);
    const down = g.squeeze(up, [3]);
    const { data, dims } = await runSingle(g, down, feed());
    expect(dims).toEqual([1, 2, 3, 4]);
    expectClose(data, [...x]);

    const h = new GraphBuilder();
    const all = h.squeeze(h.input('y', 'float32', [1, 3, 1]));
    const result = await runSingle(h, all, { y: floatTensor([1, 2, 3], [1, 3, 1]) });
    expect(result.dims).toEqual([3]);
  });

  it('Slice takes ranges with negative indices and steps', async () => {
    const g = new GraphBuilder();
    const out = g.slice(g.input('x', 'float32', X_SHAPE), [-1, 3], [-3, 0], [1, 2], [-1, -2]);
    const { data, dims } = await runSingle(g, out, feed());
    expect(dims).toEqual([2, 2, 2]);
    // axis 1: indices 2, 1; axis 2: indices 3, 1
    expectClose(data, tabulate([2, 2, 2], ([n, i, k]) => at(x, X_SHAPE, [n!, 2 - i!, 3 - 2 * k!])));
  });

  it('Gather picks indices along an axis, and a scalar index drops it', async () => {
    const g = new GraphBuilder();
    const input = g.input('x', 'float32', X_SHAPE);
    const picked = g.gather(input, [3, 0, 3], 2);
    const one = g.gather(input, 1, 0);
    g.output(one);
    const { data, dims } = await runSingle(g, picked, feed());
    expect(dims).toEqual([2, 3, 3]);
    expectClose(data, tabulate([2, 3, 3], ([n, i, j]) => at(x, X_SHAPE, [n!, i!, [3, 0, 3][j!]!])));
    expect(one.shape).toEqual([3, 4]);
  });

  it('Gather takes an int32 index tensor', async () => {
    const g = new GraphBuilder();
    const out = g.gather(g.input('x', 'float32', X_SHAPE), g.input('i', 'int32', [2]), 1);
    const { data } = await runSingle(g, out, { ...feed(), i: new ort.Tensor('int32', Int32Array.from([2, 1]), [2]) });
    expectClose(data, tabulate([2, 2, 4], ([n, j, k]) => at(x, X_SHAPE, [n!, [2, 1][j!]!, k!])));
  });

  it('Expand broadcasts to a shape', async () => {
    const g = new GraphBuilder();
    const out = g.expand(g.input('v', 'float32', [3, 1]), [2, 3, 4]);
    const v = [1, 2, 3];
    const { data, dims } = await runSingle(g, out, { v: floatTensor(v, [3, 1]) });
    expect(dims).toEqual([2, 3, 4]);
    expectClose(data, tabulate([2, 3, 4], (index) => v[broadcastOffset(index, [3, 1])]!));
  });

  it('Shape reports the runtime dims of a symbolic input', async () => {
    const g = new GraphBuilder();
    const out = g.shape(g.input('x', 'float32', ['N', 3, 4]));
    const { data } = await runSingle(g, out, feed());
    expect(data).toEqual(X_SHAPE);
  });

  it('Reshape accepts a computed shape tensor', async () => {
    const g = new GraphBuilder();
    const input = g.input('x', 'float32', ['N', 3, 4]);
    const batch = g.slice(g.shape(input), [0], [1]);
    const out = g.reshape(input, g.concat([batch, g.constant('int64', [12])], 0));
    expect(out.shape).toEqual([null, null]);
    const { dims } = await runSingle(g, out, feed());
    expect(dims).toEqual([2, 12]);
  });

  it('ReduceMean and ReduceSum reduce the given axes', async () => {
    const g = new GraphBuilder();
    const input = g.input('x', 'float32', X_SHAPE);
    const mean = g.reduceMean(input, [1], false);
    const sum = g.reduceSum(input, [0, 2]);
    g.output(sum);
    g.output(mean);
    const out = await runOnCpu(g, feed());
    expect([...out[mean.name]!.dims]).toEqual([2, 4]);
    expect([...out[sum.name]!.dims]).toEqual([1, 3, 1]);
    const meanRef = tabulate([2, 4], ([n, k]) => (at(x, X_SHAPE, [n!, 0, k!]) + at(x, X_SHAPE, [n!, 1, k!]) + at(x, X_SHAPE, [n!, 2, k!])) / 3);
    const sumRef = tabulate([3], ([i]) => tabulate([2, 4], ([n, k]) => at(x, X_SHAPE, [n!, i!, k!])).reduce((s, v) => s + v, 0));
    expectClose(Array.from(out[mean.name]!.data as Float32Array), meanRef);
    expectClose(Array.from(out[sum.name]!.data as Float32Array), sumRef);
  });

  it('ReduceMean with no axes averages everything', async () => {
    const g = new GraphBuilder();
    const out = g.reduceMean(g.input('x', 'float32', X_SHAPE), [], false);
    const { data, dims } = await runSingle(g, out, feed());
    expect(dims).toEqual([]);
    expect(data[0]).toBeCloseTo([...x].reduce((s, v) => s + v, 0) / 24, 5);
  });
});

describe('weights', () => {
  it('initializers and constants carry typed-array data', async () => {
    const g = new GraphBuilder();
    const w = g.initializer('float32', Float32Array.from([1, 2, 3, 4, 5, 6]), [2, 3]);
    const k = g.initializer('int64', BigInt64Array.from([3n, 2n]), [2]);
    const out = g.add(g.reshape(g.transpose(w, [1, 0]), k), g.constant('float32', [10, 20], [1, 2]));
    g.output(out, 'y');
    const result = (await runOnCpu(g, {})).y!;
    expect([...result.dims]).toEqual([3, 2]);
    expect(Array.from(result.data as Float32Array)).toEqual([11, 24, 12, 25, 13, 26]);
  });
});
