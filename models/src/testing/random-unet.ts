/**
 * Stable Diffusion's UNet (diffusers' UNet2DConditionModel for SD 1.x/2.x)
 * built layer by layer with the graph builder and filled with seeded random
 * weights: the full-size network with the names, dtypes and dynamic shapes of
 * an Optimum export, for measuring what a real step costs on a device
 * without any weights to download. It draws nothing meaningful.
 *
 * The same topology at a small width runs in tests; at SD-Turbo's width its
 * parameter count is the real model's, which is how the test knows the
 * layers are all there.
 */
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { GraphBuilder, type Tensor } from '../onnx/graph-builder.ts';
import type { TinyDiffusionOptions } from './tiny-diffusion.ts';

export interface UnetShape {
  /** Output channels of each down block (diffusers' `block_out_channels`). */
  blockChannels: readonly number[];
  /** Which down blocks have cross-attention transformers (the up blocks mirror them). */
  attention: readonly boolean[];
  /** Attention heads per block (SD 1.x: 8 everywhere; SD 2.x: 64 channels a head). */
  heads: readonly number[];
  layersPerBlock: number;
  crossAttentionDim: number;
  /** SD 2.x projects into and out of a transformer with a linear layer, SD 1.x with a 1×1 convolution. */
  linearProjection: boolean;
  /** 4, or 9 for an inpainting UNet. */
  inChannels: number;
  normGroups: number;
}

/** SD 2.1's UNet, which SD-Turbo shares: 865,910,724 parameters. */
export const SD_TURBO_UNET: UnetShape = {
  blockChannels: [320, 640, 1280, 1280],
  attention: [true, true, true, false],
  heads: [5, 10, 20, 20],
  layersPerBlock: 2,
  crossAttentionDim: 1024,
  linearProjection: true,
  inChannels: 4,
  normGroups: 32,
};

/** SD 1.5's UNet: 859,520,964 parameters. */
export const SD15_UNET: UnetShape = { ...SD_TURBO_UNET, heads: [8, 8, 8, 8], crossAttentionDim: 768, linearProjection: false };

/** A weight of `dims`: drawn with variance 1/fanIn, or all ones or zeros (norms). */
type Param = (dims: readonly number[], fill: 'random' | 'ones' | 'zeros') => Tensor<'float32'>;

export interface RandomUnetOptions {
  seed?: number;
  timestep?: TinyDiffusionOptions['timestep'];
}

/** The UNet graph with random weights, and its parameter count. */
export function randomUnetGraph(shape: UnetShape, options: RandomUnetOptions = {}): { graph: GraphBuilder; parameters: number } {
  const g = new GraphBuilder('random_unet');
  const next = xorshift(options.seed ?? 1);
  let parameters = 0;
  const param: Param = (dims, fill) => {
    const count = dims.reduce((a, b) => a * b, 1);
    parameters += count;
    const data = new Float32Array(count);
    if (fill === 'ones') data.fill(1);
    // Uniform with variance 1/fanIn (fanIn: every dim but the first, or the first of a [in, out] matrix).
    if (fill === 'random') fillUniform(data, Math.sqrt(3 / fanIn(dims)), next);
    return g.initializer('float32', data, dims);
  };
  unet(g, shape, param, options.timestep ?? 'int64-one');
  return { graph: g, parameters };
}

/** The parameter count of `shape`, without drawing any weights. */
export function unetParameterCount(shape: UnetShape): number {
  const g = new GraphBuilder('unet_shape');
  let parameters = 0;
  let index = 0;
  // Weights as graph inputs: the layers are built, no data is made.
  const param: Param = (dims) => {
    parameters += dims.reduce((a, b) => a * b, 1);
    return g.input(`weight_${index++}`, 'float32', dims);
  };
  unet(g, shape, param, 'int64-one');
  return parameters;
}

/** Writes `unet/model.onnx` (+ `model.onnx_data` for the weights, as large exports do) and `unet/config.json` under `dir`. */
export async function writeRandomUnet(dir: string, shape: UnetShape, options: RandomUnetOptions = {}): Promise<{ parameters: number }> {
  const { graph, parameters } = randomUnetGraph(shape, options);
  const { model, externalData } = graph.buildWithExternalData('model.onnx_data');
  await writeFile(path.join(dir, 'model.onnx'), model);
  await writeFile(path.join(dir, 'model.onnx_data'), externalData);
  const config = {
    _class_name: 'UNet2DConditionModel',
    in_channels: shape.inChannels,
    out_channels: 4,
    block_out_channels: shape.blockChannels,
    cross_attention_dim: shape.crossAttentionDim,
    attention_head_dim: shape.heads,
    layers_per_block: shape.layersPerBlock,
    use_linear_projection: shape.linearProjection,
    sample_size: 64,
  };
  await writeFile(path.join(dir, 'config.json'), `${JSON.stringify(config, null, 2)}\n`);
  return { parameters };
}

type F = Tensor<'float32'>;

function unet(g: GraphBuilder, shape: UnetShape, param: Param, timestepKind: NonNullable<TinyDiffusionOptions['timestep']>): void {
  const sample = g.input('sample', 'float32', ['batch', shape.inChannels, 'height', 'width']);
  const timestep =
    timestepKind === 'float-scalar'
      ? g.reshape(g.input('timestep', 'float32', []), [1])
      : g.cast(g.input('timestep', 'int64', [timestepKind === 'int64-one' ? 1 : 'batch']), 'float32');
  const context = g.input('encoder_hidden_states', 'float32', ['batch', 'sequence', shape.crossAttentionDim]);
  const layers = new Layers(g, param, shape.normGroups);

  const base = shape.blockChannels[0]!;
  const timeWidth = base * 4;
  const temb = layers.linear(layers.silu(layers.linear(timestepFeatures(g, timestep, base), base, timeWidth)), timeWidth, timeWidth);
  const embedding = layers.silu(temb);
  const resnet = (x: F, from: number, to: number) => layers.resnet(x, embedding, from, to, timeWidth);
  const transformer = (x: F, channels: number, heads: number) => layers.transformer(x, context, channels, heads, shape);

  let h = layers.conv(sample, shape.inChannels, base, 3);
  let channels = base;
  const skips: { x: F; channels: number }[] = [{ x: h, channels }];
  const last = shape.blockChannels.length - 1;
  shape.blockChannels.forEach((out, i) => {
    for (let j = 0; j < shape.layersPerBlock; j++) {
      h = resnet(h, channels, out);
      channels = out;
      if (shape.attention[i]) h = transformer(h, out, shape.heads[i]!);
      skips.push({ x: h, channels });
    }
    if (i < last) {
      h = layers.conv(h, channels, channels, 3, 2);
      skips.push({ x: h, channels });
    }
  });

  h = resnet(h, channels, channels);
  h = transformer(h, channels, shape.heads[last]!);
  h = resnet(h, channels, channels);

  [...shape.blockChannels].reverse().forEach((out, k) => {
    const i = last - k;
    for (let j = 0; j <= shape.layersPerBlock; j++) {
      const skip = skips.pop()!;
      h = resnet(g.concat([h, skip.x], 1), channels + skip.channels, out);
      channels = out;
      if (shape.attention[i]) h = transformer(h, out, shape.heads[i]!);
    }
    if (k < last) h = layers.conv(g.resize(h, { scales: [1, 1, 2, 2], mode: 'nearest' }), channels, channels, 3);
  });

  h = layers.silu(layers.groupNorm(h, channels, 1e-5));
  g.output(layers.conv(h, channels, 4, 3), 'out_sample');
}

/** Sinusoidal features of the timestep, cosines first (diffusers' `flip_sin_to_cos`, no frequency shift): [1 or batch, width]. */
function timestepFeatures(g: GraphBuilder, timestep: F, width: number): F {
  const half = width / 2;
  const frequencies = g.constant('float32', Array.from({ length: half }, (_, i) => Math.exp((-Math.log(10000) * i) / half)), [1, half]);
  const angles = g.mul(g.unsqueeze(timestep, [1]), frequencies);
  return g.concat([g.cos(angles), g.sin(angles)], 1);
}

class Layers {
  constructor(
    readonly g: GraphBuilder,
    readonly param: Param,
    readonly groups: number,
  ) {}

  silu(x: F): F {
    return this.g.mul(x, this.g.sigmoid(x));
  }

  /** x [..., from] → [..., to]; the weight stored [from, to], as exports store MatMul weights. */
  linear(x: F, from: number, to: number, bias = true): F {
    const y = this.g.matMul(x, this.param([from, to], 'random'));
    return bias ? this.g.add(y, this.param([to], 'zeros')) : y;
  }

  conv(x: F, from: number, to: number, kernel: number, stride = 1): F {
    const pad = (kernel - 1) / 2;
    return this.g.conv(x, this.param([to, from, kernel, kernel], 'random'), this.param([to], 'zeros'), { pads: [pad, pad, pad, pad], strides: [stride, stride] });
  }

  /** GroupNorm as exporters write it: InstanceNormalization over (N, groups, rest), then the per-channel affine. */
  groupNorm(x: F, channels: number, epsilon: number): F {
    const g = this.g;
    const grouped = g.reshape(x, [0, this.groups, -1]);
    const ones = g.constant('float32', new Array<number>(this.groups).fill(1), [this.groups]);
    const zeros = g.constant('float32', new Array<number>(this.groups).fill(0), [this.groups]);
    const normalised = g.reshape(g.instanceNormalization(grouped, ones, zeros, epsilon), g.shape(x));
    return g.add(g.mul(normalised, this.param([channels, 1, 1], 'ones')), this.param([channels, 1, 1], 'zeros'));
  }

  layerNorm(x: F, channels: number): F {
    return this.g.layerNormalization(x, this.param([channels], 'ones'), this.param([channels], 'zeros'));
  }

  resnet(x: F, embedding: F, from: number, to: number, timeWidth: number): F {
    const g = this.g;
    let h = this.conv(this.silu(this.groupNorm(x, from, 1e-5)), from, to, 3);
    h = g.add(h, g.unsqueeze(this.linear(embedding, timeWidth, to), [2, 3]));
    h = this.conv(this.silu(this.groupNorm(h, to, 1e-5)), to, to, 3);
    return g.add(from === to ? x : this.conv(x, from, to, 1), h);
  }

  /** Transformer2DModel with one BasicTransformerBlock: self-attention, cross-attention to the text, GEGLU feed-forward. */
  transformer(x: F, context: F, channels: number, heads: number, shape: UnetShape): F {
    const g = this.g;
    const toTokens = (t: F) => g.transpose(g.reshape(t, [0, 0, -1]), [0, 2, 1]);
    let h = this.groupNorm(x, channels, 1e-6);
    h = shape.linearProjection ? this.linear(toTokens(h), channels, channels) : toTokens(this.conv(h, channels, channels, 1));
    h = g.add(this.attention(this.layerNorm(h, channels), undefined, channels, heads), h);
    h = g.add(this.attention(this.layerNorm(h, channels), context, channels, heads, shape.crossAttentionDim), h);
    h = g.add(this.feedForward(this.layerNorm(h, channels), channels), h);
    const toMap = (t: F) => g.reshape(g.transpose(t, [0, 2, 1]), g.shape(x));
    h = shape.linearProjection ? toMap(this.linear(h, channels, channels)) : this.conv(toMap(h), channels, channels, 1);
    return g.add(h, x);
  }

  /** Multi-head attention of tokens `x` [B, L, C] to `context` [B, S, contextWidth] (itself when left out). */
  attention(x: F, context: F | undefined, channels: number, heads: number, contextWidth = channels): F {
    const g = this.g;
    const source = context ?? x;
    const headWidth = channels / heads;
    const split = (t: F) => g.reshape(t, [0, 0, heads, headWidth]);
    const q = g.transpose(split(this.linear(x, channels, channels, false)), [0, 2, 1, 3]);
    const k = g.transpose(split(this.linear(source, contextWidth, channels, false)), [0, 2, 3, 1]);
    const v = g.transpose(split(this.linear(source, contextWidth, channels, false)), [0, 2, 1, 3]);
    const weights = g.softmax(g.mul(g.matMul(q, k), 1 / Math.sqrt(headWidth)), -1);
    const joined = g.reshape(g.transpose(g.matMul(weights, v), [0, 2, 1, 3]), [0, 0, channels]);
    return this.linear(joined, channels, channels);
  }

  /** GEGLU: one projection to twice the inner width, half of it gating the other through GELU. */
  feedForward(x: F, channels: number): F {
    const g = this.g;
    const inner = channels * 4;
    const projected = this.linear(x, channels, inner * 2);
    const value = g.slice(projected, [0], [inner], [2]);
    const gate = g.slice(projected, [inner], [inner * 2], [2]);
    return this.linear(g.mul(value, g.gelu(gate)), inner, channels);
  }
}

function fanIn(dims: readonly number[]): number {
  // Conv weights are [out, in, k, k]; matrices are stored [in, out].
  return dims.length === 4 ? dims[1]! * dims[2]! * dims[3]! : dims.length === 2 ? dims[0]! : dims[0]!;
}

function xorshift(seed: number): () => number {
  let state = seed >>> 0 || 1;
  return () => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return state >>> 0;
  };
}

function fillUniform(data: Float32Array, bound: number, next: () => number): void {
  const scale = (2 * bound) / 2 ** 32;
  for (let i = 0; i < data.length; i++) data[i] = next() * scale - bound;
}
