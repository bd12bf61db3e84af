import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import * as ort from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import { GraphBuilder } from './graph-builder.ts';
import { expectClose, floatTensor, randomFloats, runSingle, tabulate } from './test-support.ts';

/** erf by Abramowitz and Stegun 7.1.26 (error under 1.5e-7). */
function erf(x: number): number {
  const t = 1 / (1 + 0.3275911 * Math.abs(x));
  const poly = t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429))));
  return Math.sign(x) * (1 - poly * Math.exp(-x * x));
}

const mean = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
const variance = (xs: readonly number[]) => mean(xs.map((x) => (x - mean(xs)) ** 2));

describe('normalisation and activation ops match a JS reference', () => {
  it('Softmax along the last axis and along axis 1', async () => {
    const shape = [2, 3, 4];
    const x = randomFloats(24, 11, -3, 3);
    for (const axis of [-1, 1]) {
      const g = new GraphBuilder();
      const { data, dims } = await runSingle(g, g.softmax(g.input('x', 'float32', shape), axis), { x: floatTensor(x, shape) });
      expect(dims).toEqual(shape);
      const expected = tabulate(shape, ([a, b, c]) => {
        const along = axis === 1 ? [0, 1, 2].map((k) => x[a! * 12 + k * 4 + c!]!) : [0, 1, 2, 3].map((k) => x[a! * 12 + b! * 4 + k]!);
        const own = x[a! * 12 + b! * 4 + c!]!;
        return Math.exp(own) / along.reduce((sum, v) => sum + Math.exp(v), 0);
      });
      expectClose(data, expected, 5);
    }
  });

  it('Gelu, exact and tanh-approximated', async () => {
    const x = randomFloats(16, 12, -4, 4);
    const exact = new GraphBuilder();
    const e = await runSingle(exact, exact.gelu(exact.input('x', 'float32', [16])), { x: floatTensor(x, [16]) });
    expectClose(e.data, Array.from(x, (v) => 0.5 * v * (1 + erf(v / Math.SQRT2))), 5);
    const approx = new GraphBuilder();
    const a = await runSingle(approx, approx.gelu(approx.input('x', 'float32', [16]), 'tanh'), { x: floatTensor(x, [16]) });
    expectClose(a.data, Array.from(x, (v) => 0.5 * v * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (v + 0.044715 * v ** 3)))), 5);
  });

  it('LayerNormalization over the last axis, with scale and bias', async () => {
    const shape = [2, 3, 5];
    const x = randomFloats(30, 13, -2, 2);
    const scale = randomFloats(5, 14, 0.5, 1.5);
    const bias = randomFloats(5, 15);
    const g = new GraphBuilder();
    const out = g.layerNormalization(g.input('x', 'float32', shape), g.initializer('float32', scale, [5]), g.initializer('float32', bias, [5]), { epsilon: 1e-6 });
    const { data } = await runSingle(g, out, { x: floatTensor(x, shape) });
    const expected = tabulate(shape, ([a, b, c]) => {
      const row = Array.from(x.subarray((a! * 3 + b!) * 5, (a! * 3 + b! + 1) * 5));
      return ((row[c!]! - mean(row)) / Math.sqrt(variance(row) + 1e-6)) * scale[c!]! + bias[c!]!;
    });
    expectClose(data, expected, 4);
  });

  it('InstanceNormalization per sample and channel over the spatial axes', async () => {
    const shape = [2, 3, 2, 4];
    const x = randomFloats(48, 16, -2, 2);
    const scale = randomFloats(3, 17, 0.5, 1.5);
    const bias = randomFloats(3, 18);
    const g = new GraphBuilder();
    const out = g.instanceNormalization(g.input('x', 'float32', shape), g.initializer('float32', scale, [3]), g.initializer('float32', bias, [3]), 1e-5);
    const { data } = await runSingle(g, out, { x: floatTensor(x, shape) });
    const expected = tabulate(shape, ([n, c, h, w]) => {
      const plane = Array.from(x.subarray((n! * 3 + c!) * 8, (n! * 3 + c! + 1) * 8));
      return ((plane[h! * 4 + w!]! - mean(plane)) / Math.sqrt(variance(plane) + 1e-5)) * scale[c!]! + bias[c!]!;
    });
    expectClose(data, expected, 4);
  });
});

describe('buildWithExternalData', () => {
  it('moves large initializers to a file beside the model, and the model loaded from its path computes as the inline one', async () => {
    const make = () => {
      const g = new GraphBuilder('external');
      const x = g.input('x', 'float32', [1, 64]);
      const big = g.initializer('float32', randomFloats(64 * 32, 19), [64, 32]);
      const small = g.initializer('float32', randomFloats(32, 20), [32]);
      g.output(g.add(g.matMul(x, big), small), 'y');
      return g;
    };
    const x = floatTensor(randomFloats(64, 21), [1, 64]);
    const { model, externalData } = make().buildWithExternalData('model.onnx_data', 1024);
    expect(externalData.map((part) => part.byteLength)).toEqual([64 * 32 * 4]);
    const inline = make().build();
    expect(model.byteLength).toBeLessThan(inline.byteLength - 8000);
    const dir = await mkdtemp(path.join(tmpdir(), 'reelgraph-external-'));
    try {
      await writeFile(path.join(dir, 'model.onnx'), model);
      await writeFile(path.join(dir, 'model.onnx_data'), Buffer.concat(externalData));
      const fromFile = await ort.InferenceSession.create(path.join(dir, 'model.onnx'));
      const fromBytes = await ort.InferenceSession.create(inline);
      const [a, b] = [await fromFile.run({ x }), await fromBytes.run({ x })];
      expect(Array.from(a.y!.data as Float32Array)).toEqual(Array.from(b.y!.data as Float32Array));
      await Promise.all([fromFile.release(), fromBytes.release()]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
