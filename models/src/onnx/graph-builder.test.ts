import * as ort from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import { GraphBuilder, OPSET } from './graph-builder.ts';
import { onnx } from './onnx-proto.ts';
import { floatTensor, runOnCpu } from './test-support.ts';

describe('GraphBuilder.build', () => {
  it('serialises a ModelProto with opset 20 and the declared inputs and outputs', () => {
    const g = new GraphBuilder('tiny');
    g.output(g.relu(g.input('x', 'float32', ['N', 3])), 'y');
    const model = onnx.ModelProto.decode(g.build());
    expect(OPSET).toBe(20);
    expect(model.opsetImport.map((o) => [o.domain, Number(o.version)])).toEqual([['', 20]]);
    expect(Number(model.irVersion)).toBe(9);
    expect(model.graph?.name).toBe('tiny');
    const input = model.graph?.input?.[0];
    expect(input?.name).toBe('x');
    expect(input?.type?.tensorType?.shape?.dim?.map((d) => d.dimParam || Number(d.dimValue))).toEqual(['N', 3]);
    expect(model.graph?.output?.map((o) => o.name)).toEqual(['y']);
  });

  it('runs one graph for any size of a symbolic dim', async () => {
    const g = new GraphBuilder();
    g.output(g.reduceSum(g.input('x', 'float32', ['N', 2]), [1], false), 'sum');
    for (const n of [1, 5]) {
      const out = await runOnCpu(g, { x: floatTensor(Array.from({ length: 2 * n }, (_, i) => i), [n, 2]) });
      expect(Array.from(out.sum!.data as Float32Array)).toEqual(Array.from({ length: n }, (_, i) => 4 * i + 1));
    }
  });

  it('refuses to build a graph without outputs', () => {
    expect(() => new GraphBuilder('empty').build()).toThrow("graph 'empty' has no outputs");
  });
});

describe('GraphBuilder checks while building', () => {
  it('refuses a name used twice', () => {
    const g = new GraphBuilder();
    g.input('x', 'float32', [1]);
    expect(() => g.input('x', 'float32', [1])).toThrow("name 'x' is already used");
  });

  it("refuses another graph's tensor", () => {
    const other = new GraphBuilder('other').input('x', 'float32', [1]);
    const g = new GraphBuilder('mine');
    expect(() => g.relu(other)).toThrow("tensor 'x' does not belong to graph 'mine'");
  });

  it('refuses shapes that cannot broadcast or multiply', () => {
    const g = new GraphBuilder();
    const a = g.input('a', 'float32', [2, 3]);
    expect(() => g.add(a, g.input('b', 'float32', [4]))).toThrow('cannot broadcast dims 3 and 4');
    expect(() => g.matMul(a, g.input('c', 'float32', [2, 3]))).toThrow('MatMul inner dims differ: 3 and 2');
  });

  it('refuses operands of different dtypes', () => {
    const g = new GraphBuilder();
    const x = g.input('x', 'float32', [1]);
    const i = g.input('i', 'int32', [1]);
    expect(() => g.add(x, i as never)).toThrow("operand 'i' is int32, expected float32");
  });

  it('infers symbolic and unknown dims', () => {
    const g = new GraphBuilder();
    const x = g.input('x', 'float32', ['N', 1, 4]);
    expect(g.add(x, g.input('y', 'float32', [3, 1])).shape).toEqual(['N', 3, 4]);
    expect(g.transpose(x, [2, 0, 1]).shape).toEqual([4, 'N', 1]);
    expect(g.reshape(x, [-1, 2]).shape).toEqual([null, 2]);
    expect(g.concat([x, x], 0).shape).toEqual([null, 1, 4]);
  });
});

describe('Resize with axes', () => {
  it('loads and runs between Transposes with a symbolic batch', async () => {
    // onnxruntime 1.30 fails to load this when `axes` reaches it as an attribute (see GraphBuilder.resize).
    const g = new GraphBuilder();
    const x = g.input('x', 'float32', ['N', 4, 6, 3]);
    const nchw = g.transpose(x, [0, 3, 1, 2]);
    const small = g.resize(nchw, { sizes: [2, 3], axes: [2, 3], mode: 'cubic', antialias: true });
    g.output(g.transpose(small, [0, 2, 3, 1]), 'y');
    const session = await ort.InferenceSession.create(g.build(), { graphOptimizationLevel: 'all' });
    const out = await session.run({ x: floatTensor(new Array(2 * 4 * 6 * 3).fill(0.25), [2, 4, 6, 3]) });
    expect([...out.y!.dims]).toEqual([2, 2, 3, 3]);
    for (const v of out.y!.data as Float32Array) expect(v).toBeCloseTo(0.25, 5);
  });

  it('takes sizes from a tensor for the given axes', async () => {
    const g = new GraphBuilder();
    const x = g.input('x', 'float32', ['N', 1, 2, 2]);
    const up = g.resize(x, { sizes: g.input('sizes', 'int64', [2]), axes: [2, 3], mode: 'nearest' });
    g.output(up, 'y');
    const out = await runOnCpu(g, {
      x: floatTensor([1, 2, 3, 4], [1, 1, 2, 2]),
      sizes: new ort.Tensor('int64', BigInt64Array.from([4n, 2n]), [2]),
    });
    expect([...out.y!.dims]).toEqual([1, 1, 4, 2]);
    expect(Array.from(out.y!.data as Float32Array)).toEqual([1, 2, 1, 2, 3, 4, 3, 4]);
  });

  it('refuses sizes that do not match the axes', () => {
    const g = new GraphBuilder();
    expect(() => g.resize(g.input('x', 'float32', [1, 1, 2, 2]), { sizes: [4], axes: [2, 3] })).toThrow('resize got 1 sizes/scales for 2 axes');
  });
});
