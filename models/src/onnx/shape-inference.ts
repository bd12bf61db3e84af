/**
 * Output shapes of the ops the graph builder offers, computed where cheap so
 * that graph outputs carry shapes and mistakes surface while building rather
 * than inside onnxruntime. A dim is a number, a symbolic name (e.g. 'N'), or
 * null when unknown; a shape of `undefined` means even the rank is unknown.
 */

export type Dim = number | string | null;
export type Shape = readonly Dim[];

function broadcastDim(a: Dim, b: Dim): Dim {
  if (a === 1) return b;
  if (b === 1) return a;
  if (a === b) return a;
  if (typeof a === 'number' && typeof b === 'number') {
    throw new RangeError(`cannot broadcast dims ${a} and ${b}`);
  }
  if (typeof a === 'number') return a;
  if (typeof b === 'number') return b;
  return null;
}

/** NumPy-style broadcasting of any number of shapes. */
export function broadcastShapes(...shapes: (Shape | undefined)[]): Shape | undefined {
  if (shapes.some((s) => s === undefined)) return undefined;
  const known = shapes as Shape[];
  const rank = Math.max(...known.map((s) => s.length));
  const out: Dim[] = [];
  for (let i = 0; i < rank; i++) {
    let dim: Dim = 1;
    for (const s of known) {
      const d = s[s.length - rank + i];
      if (d !== undefined) dim = broadcastDim(dim, d);
    }
    out.push(dim);
  }
  return out;
}

/** An axis in [0, rank); negative axes count from the end, as ONNX allows. */
export function normaliseAxis(axis: number, rank: number): number {
  const a = axis < 0 ? axis + rank : axis;
  if (!Number.isInteger(a) || a < 0 || a >= rank) throw new RangeError(`axis ${axis} is out of range for rank ${rank}`);
  return a;
}

export function matMulShape(a: Shape | undefined, b: Shape | undefined): Shape | undefined {
  if (a === undefined || b === undefined) return undefined;
  if (a.length === 0 || b.length === 0) throw new RangeError('MatMul needs inputs of rank 1 or more');
  const a2 = a.length === 1 ? [1, a[0]!] : a;
  const b2 = b.length === 1 ? [b[0]!, 1] : b;
  const inner = [a2[a2.length - 1]!, b2[b2.length - 2]!];
  if (typeof inner[0] === 'number' && typeof inner[1] === 'number' && inner[0] !== inner[1]) {
    throw new RangeError(`MatMul inner dims differ: ${inner[0]} and ${inner[1]}`);
  }
  const batch = broadcastShapes(a2.slice(0, -2), b2.slice(0, -2)) ?? [];
  const out: Dim[] = [...batch];
  if (a.length > 1) out.push(a2[a2.length - 2]!);
  if (b.length > 1) out.push(b2[b2.length - 1]!);
  return out;
}

export function transposeShape(s: Shape | undefined, perm: readonly number[]): Shape | undefined {
  if (s === undefined) return undefined;
  if (perm.length !== s.length) throw new RangeError(`Transpose perm [${perm.join(', ')}] does not match rank ${s.length}`);
  return perm.map((p) => s[normaliseAxis(p, s.length)]!);
}

export function unsqueezeShape(s: Shape | undefined, axes: readonly number[]): Shape | undefined {
  if (s === undefined) return undefined;
  const rank = s.length + axes.length;
  const at = new Set(axes.map((a) => normaliseAxis(a, rank)));
  const rest = [...s];
  return Array.from({ length: rank }, (_, i) => (at.has(i) ? 1 : rest.shift()!));
}

export function squeezeShape(s: Shape | undefined, axes: readonly number[] | undefined): Shape | undefined {
  if (s === undefined) return undefined;
  if (axes === undefined) return s.some((d) => typeof d !== 'number') ? undefined : s.filter((d) => d !== 1);
  const at = new Set(axes.map((a) => normaliseAxis(a, s.length)));
  for (const a of at) {
    const d = s[a];
    if (typeof d === 'number' && d !== 1) throw new RangeError(`cannot squeeze axis ${a} of size ${d}`);
  }
  return s.filter((_, i) => !at.has(i));
}

export function concatShape(shapes: (Shape | undefined)[], axis: number): Shape | undefined {
  if (shapes.some((s) => s === undefined)) return undefined;
  const known = shapes as Shape[];
  const first = known[0];
  if (first === undefined) throw new RangeError('Concat needs at least one input');
  const a = normaliseAxis(axis, first.length);
  let total: Dim = 0;
  for (const s of known) {
    if (s.length !== first.length) throw new RangeError('Concat inputs differ in rank');
    const d = s[a]!;
    total = typeof total === 'number' && typeof d === 'number' ? total + d : null;
  }
  return first.map((d, i) => (i === a ? total : d));
}

export function reshapeShape(input: Shape | undefined, target: readonly number[], allowZero: boolean): Shape {
  const out: Dim[] = target.map((d, i) => (d === 0 && !allowZero ? (input?.[i] ?? null) : d));
  const inferred = out.indexOf(-1);
  if (inferred < 0) return out;
  const inputSize = sizeOf(input);
  const otherSize = sizeOf(out.filter((_, i) => i !== inferred));
  out[inferred] = inputSize !== null && otherSize !== null && otherSize !== 0 ? inputSize / otherSize : null;
  return out;
}

/** Element count, or null when a dim is not a known number. */
export function sizeOf(s: Shape | undefined): number | null {
  if (s === undefined) return null;
  let n = 1;
  for (const d of s) {
    if (typeof d !== 'number') return null;
    n *= d;
  }
  return n;
}

function sliceLength(dim: number, start: number, end: number, step: number): number {
  const clampTo = (v: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, v < 0 ? v + dim : v));
  if (step > 0) return Math.max(0, Math.ceil((clampTo(end, 0, dim) - clampTo(start, 0, dim)) / step));
  return Math.max(0, Math.ceil((clampTo(end, -1, dim - 1) - clampTo(start, 0, dim - 1)) / step));
}

export function sliceShape(
  input: Shape | undefined,
  starts: readonly number[],
  ends: readonly number[],
  axes: readonly number[] | undefined,
  steps: readonly number[] | undefined,
): Shape | undefined {
  if (input === undefined) return undefined;
  const out = [...input];
  starts.forEach((start, i) => {
    const axis = normaliseAxis(axes?.[i] ?? i, input.length);
    const dim = input[axis]!;
    const step = steps?.[i] ?? 1;
    if (step === 0) throw new RangeError('Slice step cannot be 0');
    out[axis] = typeof dim === 'number' ? sliceLength(dim, start, ends[i]!, step) : null;
  });
  return out;
}

export function gatherShape(data: Shape | undefined, indices: Shape | undefined, axis: number): Shape | undefined {
  if (data === undefined || indices === undefined) return undefined;
  const a = normaliseAxis(axis, data.length);
  return [...data.slice(0, a), ...indices, ...data.slice(a + 1)];
}

export function reduceShape(input: Shape | undefined, axes: readonly number[], keepDims: boolean): Shape | undefined {
  if (input === undefined) return undefined;
  const at = axes.length === 0 ? new Set(input.keys()) : new Set(axes.map((a) => normaliseAxis(a, input.length)));
  return keepDims ? input.map((d, i) => (at.has(i) ? 1 : d)) : input.filter((_, i) => !at.has(i));
}

export function gridSampleShape(x: Shape | undefined, grid: Shape | undefined): Shape | undefined {
  if (x === undefined || grid === undefined) return undefined;
  if (x.length !== 4 || grid.length !== 4) throw new RangeError('GridSample needs a 4-D input (N, C, H, W) and a 4-D grid (N, H, W, 2)');
  return [broadcastDim(x[0]!, grid[0]!), x[1]!, grid[1]!, grid[2]!];
}

function spatialAdd(d: Dim, by: number): Dim {
  return typeof d === 'number' ? d + by : null;
}

export function convShape(
  x: Shape | undefined,
  w: Shape | undefined,
  pads: readonly number[],
  strides: readonly number[],
  dilations: readonly number[],
): Shape | undefined {
  if (x === undefined || w === undefined) return undefined;
  const spatial = x.length - 2;
  const out: Dim[] = [x[0]!, w[0]!];
  for (let i = 0; i < spatial; i++) {
    const k = w[2 + i]!;
    const padded = spatialAdd(x[2 + i]!, (pads[i] ?? 0) + (pads[spatial + i] ?? 0));
    if (typeof padded !== 'number' || typeof k !== 'number') {
      out.push(null);
      continue;
    }
    const reach = (dilations[i] ?? 1) * (k - 1) + 1;
    out.push(Math.floor((padded - reach) / (strides[i] ?? 1)) + 1);
  }
  return out;
}

export function padShape(x: Shape | undefined, pads: readonly number[]): Shape | undefined {
  if (x === undefined) return undefined;
  if (pads.length !== 2 * x.length) throw new RangeError(`Pad needs ${2 * x.length} pads for rank ${x.length}, got ${pads.length}`);
  return x.map((d, i) => spatialAdd(d, pads[i]! + pads[x.length + i]!));
}
