import * as ort from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import { GraphBuilder, type Operand, type Tensor } from './graph-builder.ts';
import { broadcastBinary, floatTensor, randomFloats, roundHalfEven, runSingle } from './test-support.ts';

const A_SHAPE = [2, 3, 4];
const B_SHAPE = [3, 1];

type Binary = (g: GraphBuilder, a: Operand<'float32'>, b: Operand<'float32'>) => Tensor;

const binaryOps: { op: string; build: Binary; ref: (x: number, y: number) => number; range: [number, number] }[] = [
  { op: 'Add', build: (g, a, b) => g.add(a, b), ref: (x, y) => x + y, range: [-2, 2] },
  { op: 'Sub', build: (g, a, b) => g.sub(a, b), ref: (x, y) => x - y, range: [-2, 2] },
  { op: 'Mul', build: (g, a, b) => g.mul(a, b), ref: (x, y) => x * y, range: [-2, 2] },
  { op: 'Div', build: (g, a, b) => g.div(a, b), ref: (x, y) => x / y, range: [0.5, 2] },
  { op: 'Pow', build: (g, a, b) => g.pow(a, b), ref: (x, y) => x ** y, range: [0.5, 2] },
  { op: 'Min', build: (g, a, b) => g.min(a, b), ref: Math.min, range: [-2, 2] },
  { op: 'Max', build: (g, a, b) => g.max(a, b), ref: Math.max, range: [-2, 2] },
  { op: 'Less', build: (g, a, b) => g.less(a, b), ref: (x, y) => Number(x < y), range: [-2, 2] },
  { op: 'Greater', build: (g, a, b) => g.greater(a, b), ref: (x, y) => Number(x > y), range: [-2, 2] },
];

describe('broadcasting binary ops match a JS reference', () => {
  for (const { op, build, ref, range } of binaryOps) {
    it(`${op} of (2,3,4) and (3,1)`, async () => {
      const a = randomFloats(24, 1, ...range);
      const b = randomFloats(3, 2, ...range);
      const g = new GraphBuilder();
      const out = build(g, g.input('a', 'float32', A_SHAPE), g.input('b', 'float32', B_SHAPE));
      const { data, dims } = await runSingle(g, out, { a: floatTensor(a, A_SHAPE), b: floatTensor(b, B_SHAPE) });
      const expected = broadcastBinary(a, A_SHAPE, b, B_SHAPE, ref);
      expect(dims).toEqual(expected.shape);
      data.forEach((v, i) => expect(v).toBeCloseTo(expected.data[i]!, 5));
    });
  }

  it('takes a number as a scalar constant on either side', async () => {
    const a = randomFloats(6, 3);
    const g = new GraphBuilder();
    const x = g.input('a', 'float32', [2, 3]);
    const out = g.sub(10, g.mul(x, 3));
    const { data } = await runSingle(g, out, { a: floatTensor(a, [2, 3]) });
    data.forEach((v, i) => expect(v).toBeCloseTo(10 - 3 * a[i]!, 5));
  });
});

type Unary = (g: GraphBuilder, x: Tensor<'float32'>) => Tensor;

const unaryOps: { op: string; build: Unary; ref: (x: number) => number; range: [number, number] }[] = [
  { op: 'Sqrt', build: (g, x) => g.sqrt(x), ref: Math.sqrt, range: [0, 4] },
  { op: 'Exp', build: (g, x) => g.exp(x), ref: Math.exp, range: [-3, 3] },
  { op: 'Sin', build: (g, x) => g.sin(x), ref: Math.sin, range: [-4, 4] },
  { op: 'Cos', build: (g, x) => g.cos(x), ref: Math.cos, range: [-4, 4] },
  { op: 'Tanh', build: (g, x) => g.tanh(x), ref: Math.tanh, range: [-3, 3] },
  { op: 'Sigmoid', build: (g, x) => g.sigmoid(x), ref: (x) => 1 / (1 + Math.exp(-x)), range: [-5, 5] },
  { op: 'Relu', build: (g, x) => g.relu(x), ref: (x) => Math.max(0, x), range: [-2, 2] },
  { op: 'Abs', build: (g, x) => g.abs(x), ref: Math.abs, range: [-2, 2] },
  { op: 'Neg', build: (g, x) => g.neg(x), ref: (x) => -x, range: [-2, 2] },
  { op: 'Floor', build: (g, x) => g.floor(x), ref: Math.floor, range: [-5, 5] },
  { op: 'Round', build: (g, x) => g.round(x), ref: roundHalfEven, range: [-5, 5] },
];

describe('unary ops match a JS reference', () => {
  for (const { op, build, ref, range } of unaryOps) {
    it(op, async () => {
      // Halves are appended so Round's half-to-even rule is exercised.
      const x = Float32Array.from([...randomFloats(30, 7, ...range), 0.5, 1.5, 2.5, -0.5, -1.5, -2.5].map((v) => (op === 'Sqrt' ? Math.abs(v) : v)));
      const g = new GraphBuilder();
      const out = build(g, g.input('x', 'float32', [x.length]));
      const { data } = await runSingle(g, out, { x: floatTensor(x, [x.length]) });
      data.forEach((v, i) => expect(v).toBeCloseTo(ref(x[i]!), 5));
    });
  }
});

describe('selection and conversion', () => {
  it('Where picks x where the condition holds, else y', async () => {
    const x = randomFloats(12, 11);
    const y = randomFloats(12, 12);
    const g = new GraphBuilder();
    const xs = g.input('x', 'float32', [3, 4]);
    const ys = g.input('y', 'float32', [3, 4]);
    const out = g.where(g.greater(xs, ys), xs, g.mul(ys, -1));
    const { data } = await runSingle(g, out, { x: floatTensor(x, [3, 4]), y: floatTensor(y, [3, 4]) });
    data.forEach((v, i) => expect(v).toBeCloseTo(x[i]! > y[i]! ? x[i]! : -y[i]!, 6));
  });

  it('Clip clamps to either or both bounds', async () => {
    const x = randomFloats(20, 13, -3, 3);
    const g = new GraphBuilder();
    const input = g.input('x', 'float32', [20]);
    const both = g.clip(input, -1, 2);
    const lowOnly = g.clip(input, 0);
    g.output(lowOnly);
    const { data } = await runSingle(g, both, { x: floatTensor(x, [20]) });
    data.forEach((v, i) => expect(v).toBeCloseTo(Math.min(2, Math.max(-1, x[i]!)), 6));
  });

  it('Cast converts between float, integer, uint8 and bool', async () => {
    const x = Float32Array.from([-2.7, -0.2, 0, 0.6, 3.9, 200.4]);
    const g = new GraphBuilder();
    const input = g.input('x', 'float32', [6]);
    const asInt = g.cast(input, 'int32');
    const asByte = g.cast(g.clip(input, 0, 255), 'uint8');
    const asBool = g.cast(input, 'bool');
    const back = g.add(g.add(g.cast(asInt, 'float32'), g.mul(g.cast(asByte, 'float32'), 1000)), g.mul(g.cast(asBool, 'float32'), 1e6));
    const { data } = await runSingle(g, back, { x: floatTensor(x, [6]) });
    const expected = [...x].map((v) => Math.trunc(v) + 1000 * Math.trunc(Math.min(255, Math.max(0, v))) + 1e6 * Number(v !== 0));
    data.forEach((v, i) => expect(v).toBeCloseTo(expected[i]!, 1));
  });

  it('integer arithmetic keeps its dtype', async () => {
    const g = new GraphBuilder();
    const x = g.input('x', 'int32', [4]);
    const out = g.abs(g.sub(g.mul(x, 3), 5));
    expect(out.dtype).toBe('int32');
    const { data } = await runSingle(g, out, { x: new ort.Tensor('int32', Int32Array.from([-2, 0, 1, 7]), [4]) });
    expect(data).toEqual([11, 5, 2, 16]);
  });
});
