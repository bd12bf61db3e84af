/**
 * An ncnn model's layers as ONNX nodes, added to a caller's GraphBuilder.
 *
 * ncnn image blobs are (c, h, w) with no batch; here they are (1, c, h, w),
 * so an ncnn axis a is ONNX axis a + 1. The semantics follow ncnn's own
 * layers (src/layer/*.cpp): Interp's bilinear mode without align_corner is
 * half-pixel sampling clamped at the edges, which is ONNX Resize's
 * `half_pixel`; nearest is `asymmetric` + `floor`. Resize is given scales,
 * so a size that is not a whole multiple of the scale maps coordinates
 * slightly differently from ncnn (which uses in/out); RIFE's padded sizes
 * always are whole multiples.
 *
 * Layer types a family defines itself (RIFE's `rife.Warp`) come in through
 * `custom`.
 */
import type { GraphBuilder, Tensor } from '../onnx/graph-builder.ts';
import { NcnnModelError, scalar, type NcnnLayer, type NcnnModel } from './ncnn-model.ts';

type F32 = Tensor<'float32'>;
export type CustomLayer = (inputs: readonly F32[], layer: NcnnLayer) => F32;

/**
 * Adds every layer after the model's Input layers, which read `inputs` (by
 * the Input layer's blob name); returns every blob by name.
 */
export function addNcnnLayers(
  g: GraphBuilder,
  model: NcnnModel,
  inputs: ReadonlyMap<string, F32>,
  custom: Readonly<Record<string, CustomLayer>> = {},
): Map<string, F32> {
  const blobs = new Map<string, F32>();
  for (const layer of model.layers) {
    const ins = layer.inputs.map((name) => blobs.get(name)!);
    const [first] = ins;
    const set = (t: F32) => blobs.set(layer.outputs[0]!, t);
    const customLayer = custom[layer.type];
    if (customLayer) {
      set(customLayer(ins, layer));
      continue;
    }
    switch (layer.type) {
      case 'Input': {
        const given = inputs.get(layer.outputs[0]!);
        if (!given) throw new NcnnModelError(`Nothing is given for the model's input "${layer.outputs[0]}".`);
        set(given);
        break;
      }
      case 'Split':
        for (const out of layer.outputs) blobs.set(out, first!);
        break;
      case 'Concat':
        set(g.concat(ins, onnxAxis(layer.params.get(0) ?? 0)));
        break;
      case 'Interp':
        set(interp(g, first!, layer));
        break;
      case 'Convolution':
        set(activation(g, convolution(g, first!, layer, 'conv'), layer));
        break;
      case 'Deconvolution':
        set(activation(g, convolution(g, first!, layer, 'deconv'), layer));
        break;
      case 'BinaryOp':
        set(binaryOp(g, ins, layer));
        break;
      case 'ReLU': {
        const slope = layer.params.get(0) ?? 0;
        set(slope === 0 ? g.relu(first!) : g.leakyRelu(first!, slope));
        break;
      }
      case 'Sigmoid':
        set(g.sigmoid(first!));
        break;
      case 'Eltwise':
        set(eltwise(g, ins, layer));
        break;
      case 'Crop':
        set(crop(g, first!, layer));
        break;
      case 'PixelShuffle':
        if ((layer.params.get(1) ?? 0) !== 0) throw unsupported(layer, 'its channel order (mode 1)');
        set(g.depthToSpace(first!, scalar(layer, 0), 'CRD'));
        break;
      default:
        throw new NcnnModelError(`The model's layer "${layer.name}" is a ${layer.type}, which has no converter here.`);
    }
  }
  return blobs;
}

function unsupported(layer: NcnnLayer, what: string): NcnnModelError {
  return new NcnnModelError(`The model's layer "${layer.name}" (${layer.type}) uses ${what}, which Reelgraph cannot convert.`);
}

/** ncnn's (c, h, w) axis, negative or not, as an axis of (1, c, h, w). */
function onnxAxis(axis: number): number {
  return (axis < 0 ? axis + 3 : axis) + 1;
}

function interp(g: GraphBuilder, x: F32, layer: NcnnLayer): F32 {
  const mode = layer.params.get(0) ?? 0;
  const [hScale, wScale] = [layer.params.get(1) ?? 1, layer.params.get(2) ?? 1];
  const [outH, outW] = [layer.params.get(3) ?? 0, layer.params.get(4) ?? 0];
  const alignCorner = (layer.params.get(6) ?? 0) !== 0;
  if (layer.params.get(5)) throw unsupported(layer, 'a size taken from a second input');
  const sizing = outH > 0 && outW > 0 ? { sizes: [1, x.shape?.[1] as number, outH, outW] } : { scales: [1, 1, hScale, wScale] };
  if ('sizes' in sizing && typeof x.shape?.[1] !== 'number') throw unsupported(layer, 'a fixed size on an input of unknown channels');
  switch (mode) {
    case 1:
      return g.resize(x, { ...sizing, mode: 'nearest', coordinateTransformationMode: 'asymmetric', nearestMode: 'floor' }) as F32;
    case 2:
      return g.resize(x, { ...sizing, mode: 'linear', coordinateTransformationMode: alignCorner ? 'align_corners' : 'half_pixel' }) as F32;
    default:
      throw unsupported(layer, `resize type ${mode}`);
  }
}

/**
 * Convolution and Deconvolution share ncnn's parameter ids: 0 outputs,
 * 1/11 kernel w/h, 2/12 dilation, 3/13 stride, 4/14/15/16 pads (left, top,
 * right, bottom), 5 bias, 6 weight count. ncnn stores both kernels as
 * (out, in, kh, kw); ONNX's ConvTranspose wants (in, out, kh, kw).
 */
function convolution(g: GraphBuilder, x: F32, layer: NcnnLayer, kind: 'conv' | 'deconv'): F32 {
  const p = (id: number, fallback: number) => layer.params.get(id) ?? fallback;
  const outputs = scalar(layer, 0);
  const kw = p(1, 0);
  const kh = p(11, kw);
  const dilation = [p(12, p(2, 1)), p(2, 1)];
  const stride = [p(13, p(3, 1)), p(3, 1)];
  const left = p(4, 0);
  const top = p(14, left);
  const pads = [top, left, p(16, top), p(15, left)];
  if (pads.some((v) => v < 0)) throw unsupported(layer, "ncnn's automatic 'same' padding");
  if (p(18, 0) !== 0 && kind === 'conv') throw unsupported(layer, 'a non-zero pad value');
  if (kind === 'deconv' && (p(18, 0) || p(19, 0) || p(20, 0) || p(21, 0))) throw unsupported(layer, 'an output padding or size');
  const [weight, bias] = layer.weights;
  const inputs = weight!.length / (outputs * kh * kw);
  if (!Number.isInteger(inputs) || inputs < 1) throw new NcnnModelError(`The model's layer "${layer.name}" has ${weight!.length} weights, which is not a whole number of ${kh}×${kw} kernels.`);
  const b = bias && g.initializer('float32', bias, [outputs], `${layer.name}.bias`);
  if (kind === 'conv') {
    const w = g.initializer('float32', weight!, [outputs, inputs, kh, kw], `${layer.name}.weight`);
    return g.conv(x, w, b, { pads, strides: stride, dilations: dilation }) as F32;
  }
  const w = g.initializer('float32', swapFirstTwoAxes(weight!, outputs, inputs, kh * kw), [inputs, outputs, kh, kw], `${layer.name}.weight`);
  return g.convTranspose(x, w, b, { pads, strides: stride, dilations: dilation }) as F32;
}

function swapFirstTwoAxes(data: Float32Array, a: number, b: number, inner: number): Float32Array {
  const out = new Float32Array(data.length);
  for (let i = 0; i < a; i++) for (let j = 0; j < b; j++) out.set(data.subarray((i * b + j) * inner, (i * b + j + 1) * inner), (j * a + i) * inner);
  return out;
}

/** The fused activation of a convolution: 9 = type, array 10 = its parameters. */
function activation(g: GraphBuilder, x: F32, layer: NcnnLayer): F32 {
  const type = layer.params.get(9) ?? 0;
  const args = layer.arrays.get(10) ?? [];
  switch (type) {
    case 0:
      return x;
    case 1:
      return g.relu(x);
    case 2:
      return g.leakyRelu(x, args[0] ?? 0) as F32;
    case 3:
      return g.clip(x, args[0], args[1]);
    case 4:
      return g.sigmoid(x) as F32;
    default:
      throw unsupported(layer, `activation type ${type}`);
  }
}

/** 0 add, 1 sub, 2 mul, 3 div, 4 max, 5 min, 6 pow, 7 reversed sub, 8 reversed div; 1 = with a scalar (2). */
function binaryOp(g: GraphBuilder, ins: readonly F32[], layer: NcnnLayer): F32 {
  const op = layer.params.get(0) ?? 0;
  const withScalar = (layer.params.get(1) ?? 0) !== 0;
  const a = ins[0]!;
  const b = withScalar ? (layer.params.get(2) ?? 0) : ins[1]!;
  switch (op) {
    case 0:
      return g.add(a, b);
    case 1:
      return g.sub(a, b);
    case 2:
      return g.mul(a, b);
    case 3:
      return g.div(a, b);
    case 4:
      return g.max(a, b);
    case 5:
      return g.min(a, b);
    case 6:
      return g.pow(a, b) as F32;
    case 7:
      return g.sub(b, a);
    case 8:
      return g.div(b, a);
    default:
      throw unsupported(layer, `binary operation ${op}`);
  }
}

/** 0 product, 1 sum (weighted by array 1 when given), 2 max. */
function eltwise(g: GraphBuilder, ins: readonly F32[], layer: NcnnLayer): F32 {
  const op = layer.params.get(0) ?? 1;
  const coeffs = layer.arrays.get(1) ?? [];
  const [first, ...rest] = ins;
  switch (op) {
    case 0:
      return rest.reduce((acc, t) => g.mul(acc, t), first!);
    case 1: {
      const weighted = ins.map((t, i) => (coeffs[i] === undefined || coeffs[i] === 1 ? t : g.mul(t, coeffs[i]!)));
      return weighted.slice(1).reduce((acc, t) => g.add(acc, t), weighted[0]!);
    }
    case 2:
      return rest.reduce((acc, t) => g.max(acc, t), first!);
    default:
      throw unsupported(layer, `element-wise operation ${op}`);
  }
}

/** Crop by arrays 9 (starts), 10 (ends) and 11 (axes); the offset-and-size form is not used by pnnx exports. */
function crop(g: GraphBuilder, x: F32, layer: NcnnLayer): F32 {
  const starts = layer.arrays.get(9);
  const ends = layer.arrays.get(10);
  const axes = layer.arrays.get(11);
  if (!starts || !ends || !axes || starts.length !== ends.length || starts.length !== axes.length) throw unsupported(layer, 'the offset-and-size form of Crop');
  return g.slice(x, starts, ends, axes.map(onnxAxis));
}
