/**
 * An ESRGAN-style TensorFlow.js layers model as one ONNX graph, built with the
 * project's graph builder, so it runs on onnxruntime like every other model.
 *
 * Keras is NHWC and ONNX Runtime's convolutions are NCHW, so the graph works
 * in NCHW throughout: input `LR` is (1, 3, height, width) and output `SR`
 * (1, 3, height·scale, width·scale), values on the model's own scale (0–255
 * for esrgan-slim), not clamped. A Keras kernel (kh, kw, in, out) becomes
 * ONNX's (out, in, kh, kw); `same` padding at stride 1 pads k // 2 on each
 * side (odd kernels only, which the reader checks); channel concatenation is
 * axis 1; nearest upsampling is Resize with `asymmetric` coordinates and
 * `floor`, which is what Keras' UpSampling2D computes.
 */
import { GraphBuilder, type Tensor } from '../onnx/graph-builder.ts';
import { LayersModelError, type LayersModel } from './layers-model.ts';

export interface EsrganGraph {
  onnx: Uint8Array;
  /** Output pixels per input pixel, along each side. */
  scale: number;
  /** Input pixels each output pixel depends on, on each side (`receptiveRadius`). */
  radius: number;
}

export interface EsrganGraphOptions {
  /**
   * `float` (default): the network alone, NCHW float input `LR` and output
   * `SR`, as converted. `pixels`: wrapped for frames, uint8 RGB24 in
   * (`pixels`, (1, h, w, 3)) and out (`out`, (1, h·s, w·s, 3)), rounded and
   * clamped inside the graph.
   */
  io?: 'float' | 'pixels';
  /**
   * The values the network takes and gives, 0 to `range`: 255 (default;
   * esrgan-slim) or 1 (networks trained on pixels ÷ 255, like RDN
   * psnr-small). Only the `pixels` wrapping uses it: ÷ 255 in, × 255 out.
   */
  range?: 255 | 1;
}

export function esrganGraph(model: LayersModel, options: EsrganGraphOptions = {}): EsrganGraph {
  const pixels = options.io === 'pixels';
  const range = options.range ?? 255;
  const g = new GraphBuilder('esrgan');
  const tensors = new Map<string, Tensor<'float32'>>();
  const get = (name: string) => tensors.get(name)!;
  const fromPixels = (x: Tensor<'float32'>) => (range === 255 ? x : g.div(x, 255));
  const toPixels = (x: Tensor<'float32'>) => (range === 255 ? x : g.mul(x, 255));
  let scale = 1;
  const weight = (name: string, shape: readonly number[]) => {
    const found = model.weights.get(name);
    if (!found) throw new LayersModelError(`The model's weights have no "${name}".`);
    if (found.shape.length !== shape.length || found.shape.some((d, i) => d !== shape[i])) {
      throw new LayersModelError(`The model's weight "${name}" is [${found.shape.join(', ')}], not [${shape.join(', ')}].`);
    }
    return found.values;
  };
  const channels = new Map<string, number>();

  for (const layer of model.layers) {
    switch (layer.kind) {
      case 'input':
        if (pixels && layer.channels !== 3) throw new LayersModelError(`The model takes ${layer.channels} channels, not RGB.`);
        tensors.set(
          layer.name,
          pixels
            ? fromPixels(g.transpose(g.cast(g.input('pixels', 'uint8', [1, 'height', 'width', 3]), 'float32'), [0, 3, 1, 2]))
            : g.input('LR', 'float32', [1, layer.channels, 'height', 'width']),
        );
        channels.set(layer.name, layer.channels);
        break;
      case 'conv2d': {
        const inChannels = channels.get(layer.input)!;
        const [kh, kw] = layer.kernel;
        const kernel = weight(`${layer.name}/kernel`, [kh, kw, inChannels, layer.filters]);
        const w = g.initializer('float32', toOihw(kernel, kh, kw, inChannels, layer.filters), [layer.filters, inChannels, kh, kw], `${layer.name}.weight`);
        const b = layer.useBias ? g.initializer('float32', weight(`${layer.name}/bias`, [layer.filters]), [layer.filters], `${layer.name}.bias`) : undefined;
        const pads = layer.padding === 'same' ? [kh >> 1, kw >> 1, kh >> 1, kw >> 1] : [0, 0, 0, 0];
        const conv = g.conv(get(layer.input), w, b, { pads }) as Tensor<'float32'>;
        tensors.set(layer.name, layer.activation === 'relu' ? g.relu(conv) : conv);
        channels.set(layer.name, layer.filters);
        break;
      }
      case 'relu':
        tensors.set(layer.name, g.relu(get(layer.input)));
        channels.set(layer.name, channels.get(layer.input)!);
        break;
      case 'concat':
        tensors.set(layer.name, g.concat(layer.inputs.map(get), 1));
        channels.set(layer.name, layer.inputs.reduce((sum, name) => sum + channels.get(name)!, 0));
        break;
      case 'add': {
        const [first, ...rest] = layer.inputs.map(get);
        const widths = new Set(layer.inputs.map((name) => channels.get(name)));
        if (!first || widths.size !== 1) throw new LayersModelError(`The model adds layers of different widths in "${layer.name}".`);
        tensors.set(layer.name, rest.reduce((sum, t) => g.add(sum, t) as Tensor<'float32'>, first));
        channels.set(layer.name, channels.get(layer.inputs[0]!)!);
        break;
      }
      case 'upsample': {
        const [sh, sw] = layer.size;
        if (sh !== sw) throw new LayersModelError(`The model upsamples "${layer.name}" by ${sh}×${sw}; only square factors are supported.`);
        scale *= sh;
        const up = g.resize(get(layer.input), { scales: [1, 1, sh, sw], mode: 'nearest', coordinateTransformationMode: 'asymmetric', nearestMode: 'floor' });
        tensors.set(layer.name, up as Tensor<'float32'>);
        channels.set(layer.name, channels.get(layer.input)!);
        break;
      }
    }
  }
  const result = get(model.output);
  if (pixels) g.output(g.cast(g.clip(g.round(g.transpose(toPixels(result), [0, 2, 3, 1])), 0, 255), 'uint8'), 'out');
  else g.output(result, 'SR');
  return { onnx: g.build(), scale, radius: receptiveRadius(model) };
}

/**
 * Input pixels each output pixel depends on, on each side: along the longest
 * path, each convolution's radius (k // 2) in the pixels it runs at. After a
 * nearest upsampling by f, r of those pixels reach ⌈r / f⌉ input pixels at
 * worst (a tile's edge may fall at any phase of the repeat). A tile read with
 * this much context gives exactly the whole frame's result.
 */
export function receptiveRadius(model: LayersModel): number {
  /** `inner` input pixels, plus `outer` pixels at `factor` times the input's resolution. */
  interface Reach {
    inner: number;
    outer: number;
    factor: number;
  }
  const reach = new Map<string, Reach>();
  const total = (r: Reach) => r.inner + Math.ceil(r.outer / r.factor);
  for (const layer of model.layers) {
    const from = (layer.kind === 'input' ? [] : 'inputs' in layer ? layer.inputs : [layer.input]).map((name) => reach.get(name)!);
    const r: Reach = { inner: Math.max(0, ...from.map((x) => x.inner)), outer: Math.max(0, ...from.map((x) => x.outer)), factor: from[0]?.factor ?? 1 };
    if (layer.kind === 'conv2d') r.outer += Math.max(layer.kernel[0] >> 1, layer.kernel[1] >> 1);
    else if (layer.kind === 'upsample') reach.set(layer.name, { inner: total(r), outer: 0, factor: r.factor * layer.size[0] });
    if (!reach.has(layer.name)) reach.set(layer.name, r);
  }
  return total(reach.get(model.output)!);
}
/** Keras' (kh, kw, in, out) kernel as ONNX's (out, in, kh, kw). */
function toOihw(kernel: Float32Array, kh: number, kw: number, inChannels: number, outChannels: number): Float32Array {
  const out = new Float32Array(kernel.length);
  for (let y = 0; y < kh; y++) {
    for (let x = 0; x < kw; x++) {
      for (let i = 0; i < inChannels; i++) {
        const from = ((y * kw + x) * inChannels + i) * outChannels;
        for (let o = 0; o < outChannels; o++) out[((o * inChannels + i) * kh + y) * kw + x] = kernel[from + o]!;
      }
    }
  }
  return out;
}
