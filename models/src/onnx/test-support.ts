/**
 * Helpers for the graph-builder tests: deterministic inputs, running a built
 * model on onnxruntime's CPU provider, and plain-JS reference arithmetic over
 * row-major n-d arrays. Not part of the public API.
 */
import * as ort from 'onnxruntime-node';
import { expect } from 'vitest';
import type { GraphBuilder, Tensor } from './graph-builder.ts';

import { seededRandom } from '../procedural/seeded-random.ts';

export { seededRandom };

export function randomFloats(count: number, seed: number, lo = -1, hi = 1): Float32Array {
  const next = seededRandom(seed);
  return Float32Array.from({ length: count }, () => lo + (hi - lo) * next());
}

export const sizeOfShape = (shape: readonly number[]): number => shape.reduce((a, b) => a * b, 1);

export function stridesOf(shape: readonly number[]): number[] {
  const strides = new Array<number>(shape.length).fill(1);
  for (let i = shape.length - 2; i >= 0; i--) strides[i] = strides[i + 1]! * shape[i + 1]!;
  return strides;
}

/** The multi-index of flat position `flat` in `shape`. */
export function unravel(flat: number, shape: readonly number[]): number[] {
  const index = new Array<number>(shape.length).fill(0);
  for (let i = shape.length - 1; i >= 0; i--) {
    index[i] = flat % shape[i]!;
    flat = Math.floor(flat / shape[i]!);
  }
  return index;
}

/** Element `index` of a row-major array of `shape`. */
export function at(data: ArrayLike<number>, shape: readonly number[], index: readonly number[]): number {
  const strides = stridesOf(shape);
  return data[index.reduce((o, v, i) => o + v * strides[i]!, 0)]!;
}

/** Every element of `shape`, computed from its multi-index. */
export function tabulate(shape: readonly number[], f: (index: number[]) => number): number[] {
  return Array.from({ length: sizeOfShape(shape) }, (_, flat) => f(unravel(flat, shape)));
}

export function expectClose(actual: readonly number[], expected: readonly number[], digits = 4): void {
  expect(actual.length).toBe(expected.length);
  actual.forEach((v, i) => expect(v).toBeCloseTo(expected[i]!, digits));
}

/** Flat position of a (broadcast) index in an array of `shape` aligned to the right. */
export function broadcastOffset(index: readonly number[], shape: readonly number[]): number {
  const strides = stridesOf(shape);
  const lead = index.length - shape.length;
  let offset = 0;
  shape.forEach((d, i) => {
    offset += (d === 1 ? 0 : index[lead + i]!) * strides[i]!;
  });
  return offset;
}

export function broadcastShape(a: readonly number[], b: readonly number[]): number[] {
  const rank = Math.max(a.length, b.length);
  return Array.from({ length: rank }, (_, i) => {
    const x = a[a.length - rank + i] ?? 1;
    const y = b[b.length - rank + i] ?? 1;
    return x === 1 ? y : x;
  });
}

/** out[i] = f(a[i], b[i]) with NumPy broadcasting. */
export function broadcastBinary(
  a: ArrayLike<number>,
  aShape: readonly number[],
  b: ArrayLike<number>,
  bShape: readonly number[],
  f: (x: number, y: number) => number,
): { data: number[]; shape: number[] } {
  const shape = broadcastShape(aShape, bShape);
  const data = Array.from({ length: sizeOfShape(shape) }, (_, flat) => {
    const index = unravel(flat, shape);
    return f(a[broadcastOffset(index, aShape)]!, b[broadcastOffset(index, bShape)]!);
  });
  return { data, shape };
}

export function roundHalfEven(x: number): number {
  const r = Math.round(x);
  return Math.abs(x % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

export type Feeds = Record<string, ort.Tensor>;

/** Builds the graph, runs it on CPU, and returns the named outputs. */
export async function runOnCpu(g: GraphBuilder, feeds: Feeds): Promise<Record<string, ort.Tensor>> {
  const session = await ort.InferenceSession.create(g.build(), { executionProviders: ['cpu'] });
  try {
    return await session.run(feeds);
  } finally {
    await session.release();
  }
}

/** Runs a graph whose single output is `out`, checking the builder's inferred shape against the real one. */
export async function runSingle(g: GraphBuilder, out: Tensor, feeds: Feeds): Promise<{ data: number[]; dims: number[] }> {
  g.output(out);
  const result = (await runOnCpu(g, feeds))[out.name];
  if (result === undefined) throw new Error(`no output '${out.name}'`);
  const dims = [...result.dims];
  if (out.shape === undefined || out.shape.length !== dims.length) throw new Error(`inferred shape ${JSON.stringify(out.shape)} vs actual [${dims.join(', ')}]`);
  out.shape.forEach((d, i) => {
    if (typeof d === 'number' && d !== dims[i]) throw new Error(`inferred shape [${out.shape!.join(', ')}] vs actual [${dims.join(', ')}]`);
  });
  const data = Array.from(result.data as ArrayLike<number | bigint>, Number);
  return { data, dims };
}

export function floatTensor(data: ArrayLike<number>, dims: readonly number[]): ort.Tensor {
  return new ort.Tensor('float32', Float32Array.from(data), dims);
}
