/**
 * A small typed layer over onnx-proto for authoring ONNX graphs in code: the
 * built-in procedural model and the pixel operations are made with it, so
 * they need no exported files and stay reviewable as TypeScript.
 *
 * Each op method takes tensor handles (or plain numbers for scalars and
 * number arrays for shape-like inputs), appends one node and returns a handle
 * whose dtype is tracked by the type system and whose shape is inferred where
 * cheap. `build()` serialises the ModelProto.
 */
import { ONNX_DATA_TYPE, rawBytes, typedArrayOf, type DType, type NumericDType, type TypedArrayFor } from './dtype.ts';
import { onnx, type AttributeProto, type NodeProto, type TensorProto, type ValueInfoProto } from './onnx-proto.ts';
import {
  broadcastShapes,
  concatShape,
  convShape,
  gatherShape,
  gridSampleShape,
  matMulShape,
  padShape,
  reduceShape,
  reshapeShape,
  sliceShape,
  squeezeShape,
  transposeShape,
  unsqueezeShape,
  type Shape,
} from './shape-inference.ts';

/**
 * Opset 20: GridSample (16) with its opset-20 mode names, Resize with
 * `antialias` (18), Pad with `edge`/`wrap` (18/19) and ReduceMean with axes
 * as an input (18). onnxruntime 1.30's CPU provider implements all of them;
 * IR version 9 is the one that goes with opset 20.
 */
export const OPSET = 20;
const IR_VERSION = 9;

export interface Tensor<D extends DType = DType> {
  readonly name: string;
  readonly dtype: D;
  /** Undefined when not even the rank is known. */
  readonly shape: Shape | undefined;
}

type FloatDType = 'float32';
/** A tensor, or a number that becomes a scalar constant of the other operand's dtype. */
export type Operand<D extends DType> = Tensor<D> | number;
/** A 1-D int64 input given either as a tensor or as numbers known while building. */
export type Ints = Tensor<'int64'> | readonly number[];

export interface GridSampleOptions {
  mode?: 'linear' | 'nearest' | 'cubic';
  paddingMode?: 'zeros' | 'border' | 'reflection';
  alignCorners?: boolean;
}

export interface ResizeOptions {
  /** Output sizes for `axes` (or every axis); give either sizes or scales. */
  sizes?: Ints;
  scales?: readonly number[];
  axes?: readonly number[];
  mode?: 'nearest' | 'linear' | 'cubic';
  antialias?: boolean;
  coordinateTransformationMode?: 'half_pixel' | 'half_pixel_symmetric' | 'pytorch_half_pixel' | 'align_corners' | 'asymmetric' | 'tf_crop_and_resize';
  cubicCoeffA?: number;
  excludeOutside?: boolean;
  nearestMode?: 'round_prefer_floor' | 'round_prefer_ceil' | 'floor' | 'ceil';
  /** With `tf_crop_and_resize`: the region to resample, [starts…, ends…] over every axis in normalised coordinates. */
  roi?: Tensor<'float32'>;
  /** With `tf_crop_and_resize`: the value of samples outside the input (default 0). */
  extrapolationValue?: number;
}

export interface ConvOptions {
  /** [x1_begin, x2_begin, …, x1_end, x2_end, …] as ONNX orders them. */
  pads?: readonly number[];
  strides?: readonly number[];
  dilations?: readonly number[];
  group?: number;
}

export interface GemmOptions {
  alpha?: number;
  beta?: number;
  transA?: boolean;
  transB?: boolean;
}

export interface PadOptions {
  mode?: 'constant' | 'reflect' | 'edge' | 'wrap';
  /** Fill for `constant` mode (default 0). */
  value?: number;
}

const attr = {
  int: (name: string, i: number): AttributeProto => ({ name, type: onnx.AttributeProto.AttributeType.INT, i }),
  float: (name: string, f: number): AttributeProto => ({ name, type: onnx.AttributeProto.AttributeType.FLOAT, f }),
  string: (name: string, s: string): AttributeProto => ({
    name,
    type: onnx.AttributeProto.AttributeType.STRING,
    s: new TextEncoder().encode(s),
  }),
  ints: (name: string, ints: readonly number[]): AttributeProto => ({
    name,
    type: onnx.AttributeProto.AttributeType.INTS,
    ints: [...ints],
  }),
  tensor: (name: string, t: TensorProto): AttributeProto => ({ name, type: onnx.AttributeProto.AttributeType.TENSOR, t }),
};

function tensorProto(name: string, dtype: DType, data: TypedArrayFor[DType], dims: readonly number[]): TensorProto {
  const count = dims.reduce((a, b) => a * b, 1);
  if (data.length !== count) throw new RangeError(`tensor '${name}' has ${data.length} values but dims [${dims.join(', ')}] need ${count}`);
  return { name, dataType: ONNX_DATA_TYPE[dtype], dims: [...dims], rawData: rawBytes(data) };
}

function valueInfo(name: string, dtype: DType, shape: Shape | undefined): ValueInfoProto {
  const dims = shape?.map((d) => (typeof d === 'number' ? { dimValue: d } : typeof d === 'string' ? { dimParam: d } : {}));
  return {
    name,
    type: { tensorType: { elemType: ONNX_DATA_TYPE[dtype], ...(dims ? { shape: { dim: dims } } : {}) } },
  };
}

export class GraphBuilder {
  readonly #nodes: NodeProto[] = [];
  readonly #inputs: ValueInfoProto[] = [];
  readonly #outputs: ValueInfoProto[] = [];
  readonly #initializers: TensorProto[] = [];
  readonly #tensors = new WeakSet<Tensor>();
  /** Values of int64 tensors known while building, so shape-like inputs can be inferred through. */
  readonly #known = new Map<string, readonly number[]>();
  readonly #names = new Set<string>();
  #counter = 0;

  constructor(readonly graphName = 'graph') {}

  // ---- graph interface -------------------------------------------------

  input<D extends DType>(name: string, dtype: D, shape: Shape): Tensor<D> {
    const t = this.#tensor(this.#claim(name), dtype, shape);
    this.#inputs.push(valueInfo(t.name, dtype, shape));
    return t;
  }

  /** Marks `t` as a graph output, renamed (through Identity) when `name` differs. */
  output(t: Tensor, name: string = t.name): void {
    this.#own(t);
    const out = name === t.name ? t : this.#node('Identity', [t], [], [{ dtype: t.dtype, shape: t.shape }], this.#claim(name))[0]!;
    this.#outputs.push(valueInfo(out.name, out.dtype, out.shape));
  }

  /** A weight stored in the model (TensorProto initializer). */
  initializer<D extends DType>(dtype: D, data: TypedArrayFor[D], dims: readonly number[], name?: string): Tensor<D> {
    const t = this.#tensor(name === undefined ? this.#fresh('init') : this.#claim(name), dtype, dims);
    this.#initializers.push(tensorProto(t.name, dtype, data, dims));
    if (dtype === 'int64' && data.length <= 64) this.#known.set(t.name, Array.from(data as BigInt64Array, Number));
    return t;
  }

  /** A Constant node: a scalar for a number, else a tensor of `dims` (default 1-D). */
  constant<D extends DType>(dtype: D, values: number | readonly number[], dims?: readonly number[]): Tensor<D> {
    const list = typeof values === 'number' ? [values] : values;
    const shape = dims ?? (typeof values === 'number' ? [] : [list.length]);
    const name = this.#fresh('const');
    const value = tensorProto(name, dtype, typedArrayOf(dtype, list), shape);
    const [t] = this.#node('Constant', [], [attr.tensor('value', value)], [{ dtype, shape }], name);
    if (dtype === 'int64') this.#known.set(t!.name, list);
    return t as Tensor<D>;
  }

  /** The serialised ModelProto. */
  build(): Uint8Array {
    return this.#encode(this.#initializers);
  }

  /**
   * The serialised ModelProto with every initializer of at least `minBytes`
   * kept in an external data file named `location`, to be written beside the
   * model (ONNX's external data: how exports past protobuf's 2 GiB limit
   * keep their weights), and that file's bytes in order.
   */
  buildWithExternalData(location: string, minBytes = 1024): { model: Uint8Array; externalData: Uint8Array[] } {
    const externalData: Uint8Array[] = [];
    let offset = 0;
    const initializers = this.#initializers.map((t): TensorProto => {
      const raw = t.rawData as Uint8Array;
      if (raw.byteLength < minBytes) return t;
      externalData.push(raw);
      const entry = { name: t.name, dataType: t.dataType, dims: t.dims, dataLocation: onnx.TensorProto.DataLocation.EXTERNAL };
      const where = [
        { key: 'location', value: location },
        { key: 'offset', value: String(offset) },
        { key: 'length', value: String(raw.byteLength) },
      ];
      offset += raw.byteLength;
      return { ...entry, externalData: where };
    });
    return { model: this.#encode(initializers), externalData };
  }

  // ---- elementwise -----------------------------------------------------

  add<D extends NumericDType>(a: Operand<D>, b: Operand<D>): Tensor<D> {
    return this.#broadcasting('Add', [a, b]);
  }
  sub<D extends NumericDType>(a: Operand<D>, b: Operand<D>): Tensor<D> {
    return this.#broadcasting('Sub', [a, b]);
  }
  mul<D extends NumericDType>(a: Operand<D>, b: Operand<D>): Tensor<D> {
    return this.#broadcasting('Mul', [a, b]);
  }
  div<D extends NumericDType>(a: Operand<D>, b: Operand<D>): Tensor<D> {
    return this.#broadcasting('Div', [a, b]);
  }
  pow(a: Operand<FloatDType>, b: Operand<FloatDType>): Tensor<FloatDType> {
    return this.#broadcasting('Pow', [a, b]);
  }
  min<D extends NumericDType>(a: Operand<D>, b: Operand<D>): Tensor<D> {
    return this.#broadcasting('Min', [a, b]);
  }
  max<D extends NumericDType>(a: Operand<D>, b: Operand<D>): Tensor<D> {
    return this.#broadcasting('Max', [a, b]);
  }
  less<D extends NumericDType>(a: Operand<D>, b: Operand<D>): Tensor<'bool'> {
    return this.#broadcasting('Less', [a, b], 'bool');
  }
  greater<D extends NumericDType>(a: Operand<D>, b: Operand<D>): Tensor<'bool'> {
    return this.#broadcasting('Greater', [a, b], 'bool');
  }
  where<D extends DType>(condition: Tensor<'bool'>, x: Operand<D>, y: Operand<D>): Tensor<D> {
    const dtype = this.#dtypeOf([x, y]);
    const inputs = [condition, this.#operand(x, dtype), this.#operand(y, dtype)];
    return this.#single('Where', inputs, [], dtype, broadcastShapes(...inputs.map((t) => t.shape)));
  }

  sqrt(x: Tensor<FloatDType>): Tensor<FloatDType> {
    return this.#unary('Sqrt', x);
  }
  exp(x: Tensor<FloatDType>): Tensor<FloatDType> {
    return this.#unary('Exp', x);
  }
  sin(x: Tensor<FloatDType>): Tensor<FloatDType> {
    return this.#unary('Sin', x);
  }
  cos(x: Tensor<FloatDType>): Tensor<FloatDType> {
    return this.#unary('Cos', x);
  }
  tanh(x: Tensor<FloatDType>): Tensor<FloatDType> {
    return this.#unary('Tanh', x);
  }
  sigmoid(x: Tensor<FloatDType>): Tensor<FloatDType> {
    return this.#unary('Sigmoid', x);
  }
  floor(x: Tensor<FloatDType>): Tensor<FloatDType> {
    return this.#unary('Floor', x);
  }
  /** Rounds half to even, as ONNX specifies. */
  round(x: Tensor<FloatDType>): Tensor<FloatDType> {
    return this.#unary('Round', x);
  }
  relu<D extends 'float32' | 'int32'>(x: Tensor<D>): Tensor<D> {
    return this.#unary('Relu', x);
  }
  /** x where x ≥ 0, alpha·x elsewhere. */
  leakyRelu(x: Tensor<FloatDType>, alpha: number): Tensor<FloatDType> {
    return this.#single('LeakyRelu', [x], [attr.float('alpha', alpha)], x.dtype, x.shape);
  }
  abs<D extends NumericDType>(x: Tensor<D>): Tensor<D> {
    return this.#unary('Abs', x);
  }
  neg<D extends 'float32' | 'int32' | 'int64'>(x: Tensor<D>): Tensor<D> {
    return this.#unary('Neg', x);
  }

  /** Clamps to [min, max]; either bound may be left out. */
  clip<D extends NumericDType>(x: Tensor<D>, min?: Operand<D>, max?: Operand<D>): Tensor<D> {
    const bound = (v: Operand<D> | undefined) => (v === undefined ? undefined : this.#operand(v, x.dtype));
    return this.#single('Clip', [x, bound(min), bound(max)], [], x.dtype, x.shape);
  }

  cast<T extends DType>(x: Tensor, to: T): Tensor<T> {
    return this.#single('Cast', [x], [attr.int('to', ONNX_DATA_TYPE[to])], to, x.shape);
  }

  // ---- linear algebra --------------------------------------------------

  matMul<D extends 'float32' | 'int32' | 'int64'>(a: Tensor<D>, b: Tensor<D>): Tensor<D> {
    return this.#single('MatMul', [a, b], [], a.dtype, matMulShape(a.shape, b.shape));
  }

  /** alpha·A'·B' + beta·C, A' and B' optionally transposed; A and B are 2-D. */
  gemm(a: Tensor<FloatDType>, b: Tensor<FloatDType>, c?: Tensor<FloatDType>, options: GemmOptions = {}): Tensor<FloatDType> {
    const { alpha = 1, beta = 1, transA = false, transB = false } = options;
    const rows = a.shape?.[transA ? 1 : 0] ?? null;
    const cols = b.shape?.[transB ? 0 : 1] ?? null;
    const attrs = [attr.float('alpha', alpha), attr.float('beta', beta), attr.int('transA', transA ? 1 : 0), attr.int('transB', transB ? 1 : 0)];
    return this.#single('Gemm', [a, b, c], attrs, a.dtype, a.shape && b.shape ? [rows, cols] : undefined);
  }

  // ---- shape and indexing ------------------------------------------------

  shape(x: Tensor): Tensor<'int64'> {
    return this.#single('Shape', [x], [], 'int64', x.shape === undefined ? [null] : [x.shape.length]);
  }

  /** start, start + delta, … up to (not including) limit; all three scalars of one dtype. */
  range<D extends 'float32' | 'int64'>(start: Tensor<D>, limit: Tensor<D>, delta: Tensor<D>): Tensor<D> {
    return this.#single('Range', [start, limit, delta], [], start.dtype, [null]);
  }

  concat<D extends DType>(xs: readonly Tensor<D>[], axis: number): Tensor<D> {
    const first = xs[0];
    if (first === undefined) throw new RangeError('concat needs at least one tensor');
    const shape = concatShape(xs.map((t) => t.shape), axis);
    const known = xs.map((t) => this.#known.get(t.name));
    const t = this.#single('Concat', xs, [attr.int('axis', axis)], first.dtype, shape);
    if (first.dtype === 'int64' && known.every((k) => k !== undefined)) this.#known.set(t.name, known.flat());
    return t;
  }

  /** `shape` may hold 0 (copy the input's dim) and one -1 (inferred), as ONNX Reshape does. */
  reshape<D extends DType>(x: Tensor<D>, shape: Ints): Tensor<D> {
    const target = this.#ints(shape);
    const known = this.#knownInts(shape);
    const out = known ? reshapeShape(x.shape, known, false) : this.#rankFromInts(shape);
    return this.#single('Reshape', [x, target], [], x.dtype, out);
  }

  transpose<D extends DType>(x: Tensor<D>, perm: readonly number[]): Tensor<D> {
    return this.#single('Transpose', [x], [attr.ints('perm', perm)], x.dtype, transposeShape(x.shape, perm));
  }

  unsqueeze<D extends DType>(x: Tensor<D>, axes: readonly number[]): Tensor<D> {
    return this.#single('Unsqueeze', [x, this.#ints(axes)], [], x.dtype, unsqueezeShape(x.shape, axes));
  }

  /** Removes `axes` (size 1), or every size-1 axis when left out. */
  squeeze<D extends DType>(x: Tensor<D>, axes?: readonly number[]): Tensor<D> {
    const inputs = [x, axes === undefined ? undefined : this.#ints(axes)];
    return this.#single('Squeeze', inputs, [], x.dtype, squeezeShape(x.shape, axes));
  }

  slice<D extends DType>(x: Tensor<D>, starts: Ints, ends: Ints, axes?: readonly number[], steps?: readonly number[]): Tensor<D> {
    const [s, e] = [this.#knownInts(starts), this.#knownInts(ends)];
    const shape = s && e ? sliceShape(x.shape, s, e, axes, steps) : x.shape?.map(() => null);
    const inputs = [x, this.#ints(starts), this.#ints(ends), axes && this.#ints(axes), steps && this.#ints(steps)];
    return this.#single('Slice', inputs, [], x.dtype, shape);
  }

  /** Picks entries along `axis`; a number gathers one index and drops the axis. */
  gather<D extends DType>(x: Tensor<D>, indices: Tensor<'int32' | 'int64'> | readonly number[] | number, axis = 0): Tensor<D> {
    const index = typeof indices === 'number' || Array.isArray(indices) ? this.constant('int64', indices as number | number[]) : (indices as Tensor<'int32' | 'int64'>);
    return this.#single('Gather', [x, index], [attr.int('axis', axis)], x.dtype, gatherShape(x.shape, index.shape, axis));
  }

  /** Broadcasts `x` to `shape` (bidirectionally, as ONNX Expand does). */
  expand<D extends DType>(x: Tensor<D>, shape: Ints): Tensor<D> {
    const known = this.#knownInts(shape);
    const out = known ? broadcastShapes(x.shape, known) : undefined;
    return this.#single('Expand', [x, this.#ints(shape)], [], x.dtype, out);
  }

  // ---- reductions --------------------------------------------------------

  /** Mean over `axes` (every axis when empty). */
  reduceMean(x: Tensor<FloatDType>, axes: readonly number[], keepDims = true): Tensor<FloatDType> {
    return this.#reduce('ReduceMean', x, axes, keepDims);
  }
  reduceSum<D extends NumericDType>(x: Tensor<D>, axes: readonly number[], keepDims = true): Tensor<D> {
    return this.#reduce('ReduceSum', x, axes, keepDims);
  }

  // ---- normalisation and activations ------------------------------------

  /** exp(x) / Σ exp(x) along `axis`. */
  softmax(x: Tensor<FloatDType>, axis = -1): Tensor<FloatDType> {
    return this.#single('Softmax', [x], [attr.int('axis', axis)], x.dtype, x.shape);
  }

  /** GELU (opset 20): x·Φ(x) exactly (`none`, through erf) or its tanh approximation. */
  gelu(x: Tensor<FloatDType>, approximate: 'none' | 'tanh' = 'none'): Tensor<FloatDType> {
    return this.#single('Gelu', [x], [attr.string('approximate', approximate)], x.dtype, x.shape);
  }

  /** (x − mean) / √(variance + ε) over the axes from `axis` on, times `scale` plus `bias` (shaped as those axes). */
  layerNormalization(x: Tensor<FloatDType>, scale: Tensor<FloatDType>, bias: Tensor<FloatDType>, options: { axis?: number; epsilon?: number } = {}): Tensor<FloatDType> {
    const { axis = -1, epsilon = 1e-5 } = options;
    return this.#single('LayerNormalization', [x, scale, bias], [attr.int('axis', axis), attr.float('epsilon', epsilon)], x.dtype, x.shape);
  }

  /** Each (sample, channel) of (N, C, …) normalised over the axes after C, then times `scale[c]` plus `bias[c]`. */
  instanceNormalization(x: Tensor<FloatDType>, scale: Tensor<FloatDType>, bias: Tensor<FloatDType>, epsilon = 1e-5): Tensor<FloatDType> {
    return this.#single('InstanceNormalization', [x, scale, bias], [attr.float('epsilon', epsilon)], x.dtype, x.shape);
  }

  // ---- image ops ---------------------------------------------------------

  /** Samples `x` (N, C, H, W) at `grid` (N, Ho, Wo, 2) of normalised (x, y) in [-1, 1]. */
  gridSample(x: Tensor<FloatDType>, grid: Tensor<FloatDType>, options: GridSampleOptions = {}): Tensor<FloatDType> {
    const { mode = 'linear', paddingMode = 'zeros', alignCorners = false } = options;
    const attrs = [attr.string('mode', mode), attr.string('padding_mode', paddingMode), attr.int('align_corners', alignCorners ? 1 : 0)];
    return this.#single('GridSample', [x, grid], attrs, x.dtype, gridSampleShape(x.shape, grid.shape));
  }

  /**
   * Resamples `x`. With `axes`, sizes/scales are widened to full rank here
   * rather than passed as the `axes` attribute: onnxruntime 1.30's transpose
   * optimizer permutes a Resize's `sizes` as if it were full-rank when
   * Transposes surround it, and the session then fails to load.
   */
  resize<D extends FloatDType | 'uint8'>(x: Tensor<D>, options: ResizeOptions): Tensor<D> {
    const { sizes, scales, mode = 'linear', antialias = false } = options;
    if ((sizes === undefined) === (scales === undefined)) throw new RangeError('resize needs exactly one of sizes or scales');
    const shape = this.#resizeShape(x.shape, options);
    const attrs = [attr.string('mode', mode), attr.int('antialias', antialias ? 1 : 0)];
    if (options.coordinateTransformationMode) attrs.push(attr.string('coordinate_transformation_mode', options.coordinateTransformationMode));
    if (options.cubicCoeffA !== undefined) attrs.push(attr.float('cubic_coeff_a', options.cubicCoeffA));
    if (options.excludeOutside) attrs.push(attr.int('exclude_outside', 1));
    if (options.nearestMode) attrs.push(attr.string('nearest_mode', options.nearestMode));
    if (options.extrapolationValue !== undefined) attrs.push(attr.float('extrapolation_value', options.extrapolationValue));
    const axes = options.axes && this.#resizeAxes(x, options.axes);
    const given = scales ?? (Array.isArray(sizes) ? (sizes as readonly number[]) : undefined);
    if (axes && given && given.length !== axes.length) throw new RangeError(`resize got ${given.length} sizes/scales for ${axes.length} axes`);
    const scaleTensor = scales && this.constant('float32', axes ? x.shape!.map((_, i) => scales[axes.indexOf(i)] ?? 1) : scales);
    const sizeTensor = sizes && (axes ? this.#fullRankSizes(x, sizes, axes) : this.#ints(sizes));
    return this.#single('Resize', [x, options.roi, scaleTensor, sizeTensor], attrs, x.dtype, shape);
  }

  /** N-D convolution; `w` is (M, C/group, k1, k2, …). */
  conv(x: Tensor<FloatDType>, w: Tensor<FloatDType>, bias?: Tensor<FloatDType>, options: ConvOptions = {}): Tensor<FloatDType> {
    const spatial = (w.shape?.length ?? 4) - 2;
    const { pads = new Array(2 * spatial).fill(0), strides = new Array(spatial).fill(1), dilations = new Array(spatial).fill(1), group = 1 } = options;
    const attrs = [attr.ints('pads', pads), attr.ints('strides', strides), attr.ints('dilations', dilations), attr.int('group', group)];
    return this.#single('Conv', [x, w, bias], attrs, x.dtype, convShape(x.shape, w.shape, pads, strides, dilations));
  }

  /**
   * Transposed 2-D convolution; `w` is (C, M/group, kh, kw). The output is
   * (in − 1)·stride − pad_begin − pad_end + (k − 1)·dilation + 1 per side.
   */
  convTranspose(x: Tensor<FloatDType>, w: Tensor<FloatDType>, bias?: Tensor<FloatDType>, options: ConvOptions = {}): Tensor<FloatDType> {
    const { pads = [0, 0, 0, 0], strides = [1, 1], dilations = [1, 1], group = 1 } = options;
    const attrs = [attr.ints('pads', pads), attr.ints('strides', strides), attr.ints('dilations', dilations), attr.int('group', group)];
    const side = (d: number | string | null | undefined, i: number) =>
      typeof d === 'number' && typeof w.shape?.[2 + i] === 'number'
        ? (d - 1) * strides[i]! - pads[i]! - pads[i + 2]! + ((w.shape[2 + i] as number) - 1) * dilations[i]! + 1
        : null;
    const outChannels = typeof w.shape?.[1] === 'number' ? w.shape[1] * group : null;
    const shape = x.shape && [x.shape[0] ?? null, outChannels, side(x.shape[2], 0), side(x.shape[3], 1)];
    return this.#single('ConvTranspose', [x, w, bias], attrs, x.dtype, shape);
  }

  /** Moves blocks of channels into space (PyTorch's pixel_shuffle is mode `CRD`). */
  depthToSpace<D extends DType>(x: Tensor<D>, blockSize: number, mode: 'DCR' | 'CRD' = 'DCR'): Tensor<D> {
    const [n, c, h, w] = x.shape ?? [];
    const times = (d: number | string | null | undefined, k: number) => (typeof d === 'number' ? d * k : null);
    const shape = x.shape && [n ?? null, typeof c === 'number' ? c / (blockSize * blockSize) : null, times(h, blockSize), times(w, blockSize)];
    return this.#single('DepthToSpace', [x], [attr.int('blocksize', blockSize), attr.string('mode', mode)], x.dtype, shape);
  }

  /** `pads` is [x1_begin, x2_begin, …, x1_end, x2_end, …] over every axis. */
  pad<D extends NumericDType>(x: Tensor<D>, pads: readonly number[], options: PadOptions = {}): Tensor<D> {
    const { mode = 'constant', value } = options;
    const fill = value === undefined ? undefined : this.constant(x.dtype, value);
    return this.#single('Pad', [x, this.#ints(pads), fill], [attr.string('mode', mode)], x.dtype, padShape(x.shape, pads));
  }

  // ---- internals -----------------------------------------------------------

  #encode(initializers: TensorProto[]): Uint8Array {
    if (this.#outputs.length === 0) throw new Error(`graph '${this.graphName}' has no outputs`);
    const model = onnx.ModelProto.create({
      irVersion: IR_VERSION,
      producerName: 'reelgraph',
      opsetImport: [{ domain: '', version: OPSET }],
      graph: { name: this.graphName, node: this.#nodes, input: this.#inputs, output: this.#outputs, initializer: initializers },
    });
    return onnx.ModelProto.encode(model).finish();
  }

  #claim(name: string): string {
    if (this.#names.has(name)) throw new Error(`name '${name}' is already used in graph '${this.graphName}'`);
    this.#names.add(name);
    return name;
  }

  #fresh(prefix: string): string {
    let name: string;
    do name = `${prefix}_${this.#counter++}`;
    while (this.#names.has(name));
    return this.#claim(name);
  }

  #tensor<D extends DType>(name: string, dtype: D, shape: Shape | undefined): Tensor<D> {
    const t: Tensor<D> = Object.freeze({ name, dtype, shape: shape && Object.freeze([...shape]) });
    this.#tensors.add(t);
    return t;
  }

  #own(t: Tensor): void {
    if (!this.#tensors.has(t)) throw new Error(`tensor '${t.name}' does not belong to graph '${this.graphName}'`);
  }

  #node(
    opType: string,
    inputs: readonly (Tensor | undefined)[],
    attributes: AttributeProto[],
    outputs: { dtype: DType; shape: Shape | undefined }[],
    /** Already claimed; the others get fresh names. */
    firstOutputName?: string,
  ): Tensor[] {
    for (const t of inputs) if (t) this.#own(t);
    const outs = outputs.map((o, i) =>
      this.#tensor(i === 0 && firstOutputName ? firstOutputName : this.#fresh(opType.toLowerCase()), o.dtype, o.shape),
    );
    const names = inputs.map((t) => t?.name ?? '');
    while (names.at(-1) === '') names.pop();
    this.#nodes.push({
      name: `${opType}_${this.#nodes.length}`,
      opType,
      input: names,
      output: outs.map((t) => t.name),
      attribute: attributes,
    });
    return outs;
  }

  #single<D extends DType>(opType: string, inputs: readonly (Tensor | undefined)[], attributes: AttributeProto[], dtype: D, shape: Shape | undefined): Tensor<D> {
    return this.#node(opType, inputs, attributes, [{ dtype, shape }])[0] as Tensor<D>;
  }

  #unary<D extends DType>(opType: string, x: Tensor<D>): Tensor<D> {
    return this.#single(opType, [x], [], x.dtype, x.shape);
  }

  #dtypeOf<D extends DType>(operands: readonly Operand<D>[]): D {
    const t = operands.find((o): o is Tensor<D> => typeof o !== 'number');
    if (t === undefined) throw new TypeError('at least one operand must be a tensor');
    return t.dtype;
  }

  #operand<D extends DType>(o: Operand<D>, dtype: D): Tensor<D> {
    if (typeof o === 'number') return this.constant(dtype, o);
    if (o.dtype !== dtype) throw new TypeError(`operand '${o.name}' is ${o.dtype}, expected ${dtype}`);
    return o;
  }

  #broadcasting<D extends DType, R extends DType = D>(opType: string, operands: readonly Operand<D>[], resultType?: R): Tensor<R> {
    const dtype = this.#dtypeOf(operands);
    const inputs = operands.map((o) => this.#operand(o, dtype));
    return this.#single(opType, inputs, [], (resultType ?? dtype) as R, broadcastShapes(...inputs.map((t) => t.shape)));
  }

  #reduce<D extends DType>(opType: string, x: Tensor<D>, axes: readonly number[], keepDims: boolean): Tensor<D> {
    const inputs = [x, axes.length > 0 ? this.#ints(axes) : undefined];
    return this.#single(opType, inputs, [attr.int('keepdims', keepDims ? 1 : 0)], x.dtype, reduceShape(x.shape, axes, keepDims));
  }

  #ints(v: Ints): Tensor<'int64'> {
    return Array.isArray(v) ? this.constant('int64', v as readonly number[]) : (v as Tensor<'int64'>);
  }

  #knownInts(v: Ints): readonly number[] | undefined {
    return Array.isArray(v) ? (v as readonly number[]) : this.#known.get((v as Tensor<'int64'>).name);
  }

  #rankFromInts(v: Ints): Shape | undefined {
    const length = Array.isArray(v) ? v.length : (v as Tensor<'int64'>).shape?.[0];
    return typeof length === 'number' ? new Array<null>(length).fill(null) : undefined;
  }

  #resizeAxes(x: Tensor, axes: readonly number[]): number[] {
    if (x.shape === undefined) throw new RangeError('resize with axes needs an input of known rank');
    const rank = x.shape.length;
    return axes.map((a) => (a < 0 ? a + rank : a));
  }

  /** Sizes for every axis: the given ones at `axes`, the input's own elsewhere (read at run time when not known now). */
  #fullRankSizes(x: Tensor, sizes: Ints, axes: readonly number[]): Tensor<'int64'> {
    const given = this.#knownInts(sizes);
    const dims = x.shape!.map((d, i) => {
      const k = axes.indexOf(i);
      if (k >= 0) return given?.[k] ?? null;
      return typeof d === 'number' ? d : null;
    });
    if (dims.every((d): d is number => d !== null)) return this.constant('int64', dims);
    const inputShape = this.shape(x);
    const parts = dims.map((d, i): Tensor<'int64'> => {
      if (d !== null) return this.constant('int64', [d]);
      const k = axes.indexOf(i);
      // A size not known now comes from a sizes tensor (literal sizes are all known).
      return k >= 0 ? this.gather(sizes as Tensor<'int64'>, [k]) : this.gather(inputShape, [i]);
    });
    return this.concat(parts, 0);
  }

  #resizeShape(x: Shape | undefined, options: ResizeOptions): Shape | undefined {
    if (x === undefined) return undefined;
    const axes = (options.axes ?? [...x.keys()]).map((a) => (a < 0 ? a + x.length : a));
    const sizes = options.sizes && this.#knownInts(options.sizes);
    return x.map((d, i) => {
      const k = axes.indexOf(i);
      if (k < 0) return d;
      if (options.sizes) return sizes?.[k] ?? null;
      const scale = options.scales?.[k] ?? 1;
      return typeof d === 'number' ? Math.floor(d * scale) : scale === 1 ? d : null;
    });
  }
}
