/**
 * The layers of diffusers' networks (linear, convolution, GroupNorm as
 * exporters write it, ResNet blocks, attention, transformer blocks) for
 * building full-size test networks with the graph builder, and the seeded
 * random weights they are filled with. Used by random-unet.ts and
 * random-vae.ts; nothing here is trained.
 */
import type { GraphBuilder, Tensor } from '../onnx/graph-builder.ts';
import { seededRandom } from '../procedural/seeded-random.ts';

export type F = Tensor<'float32'>;

/** A weight of `dims`: drawn with variance 1/fanIn, or all ones or zeros (norms). */
export type Param = (dims: readonly number[], fill: 'random' | 'ones' | 'zeros') => F;

/** Weights as initializers with seeded random values, counted. */
export function randomParams(g: GraphBuilder, seed: number): { param: Param; count: () => number } {
  const next = seededRandom(seed);
  let parameters = 0;
  const param: Param = (dims, fill) => {
    const count = dims.reduce((a, b) => a * b, 1);
    parameters += count;
    const data = new Float32Array(count);
    if (fill === 'ones') data.fill(1);
    // Uniform with variance 1/fanIn, so activations keep their scale through the layers.
    if (fill === 'random') fillUniform(data, Math.sqrt(3 / fanIn(dims)), next);
    return g.initializer('float32', data, dims);
  };
  return { param, count: () => parameters };
}

/** Weights as graph inputs: the layers are built and counted, no data is made. */
export function declaredParams(g: GraphBuilder): { param: Param; count: () => number } {
  let parameters = 0;
  let index = 0;
  const param: Param = (dims) => {
    parameters += dims.reduce((a, b) => a * b, 1);
    return g.input(`weight_${index++}`, 'float32', dims);
  };
  return { param, count: () => parameters };
}

export class Layers {
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

  /** `pads` as ONNX orders them (default: the same on every side, keeping the size at stride 1). */
  conv(x: F, from: number, to: number, kernel: number, stride = 1, pads?: readonly number[]): F {
    const pad = (kernel - 1) / 2;
    return this.g.conv(x, this.param([to, from, kernel, kernel], 'random'), this.param([to], 'zeros'), { pads: pads ?? [pad, pad, pad, pad], strides: [stride, stride] });
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

  /** ResnetBlock2D: two norm–SiLU–3×3 conv stages, the time embedding (when given) added between, a 1×1 shortcut when the width changes. */
  resnet(x: F, from: number, to: number, time?: { embedding: F; width: number }, epsilon = 1e-5): F {
    const g = this.g;
    let h = this.conv(this.silu(this.groupNorm(x, from, epsilon)), from, to, 3);
    if (time) h = g.add(h, g.unsqueeze(this.linear(time.embedding, time.width, to), [2, 3]));
    h = this.conv(this.silu(this.groupNorm(h, to, epsilon)), to, to, 3);
    return g.add(from === to ? x : this.conv(x, from, to, 1), h);
  }

  /** A feature map (B, C, H, W) as tokens (B, H·W, C). */
  toTokens(x: F): F {
    return this.g.transpose(this.g.reshape(x, [0, 0, -1]), [0, 2, 1]);
  }

  /** Tokens (B, H·W, C) back into the feature map shaped as `like`. */
  toMap(tokens: F, like: F): F {
    return this.g.reshape(this.g.transpose(tokens, [0, 2, 1]), this.g.shape(like));
  }

  /** Transformer2DModel with `depth` BasicTransformerBlocks: self-attention, cross-attention to the text, GEGLU feed-forward. */
  transformer(x: F, context: F, channels: number, heads: number, shape: { crossAttentionDim: number; linearProjection: boolean }, depth = 1): F {
    const g = this.g;
    let h = this.groupNorm(x, channels, 1e-6);
    h = shape.linearProjection ? this.linear(this.toTokens(h), channels, channels) : this.toTokens(this.conv(h, channels, channels, 1));
    for (let block = 0; block < depth; block++) {
      h = g.add(this.attention(this.layerNorm(h, channels), undefined, channels, heads), h);
      h = g.add(this.attention(this.layerNorm(h, channels), context, channels, heads, shape.crossAttentionDim), h);
      h = g.add(this.feedForward(this.layerNorm(h, channels), channels), h);
    }
    h = shape.linearProjection ? this.toMap(this.linear(h, channels, channels), x) : this.conv(this.toMap(h, x), channels, channels, 1);
    return g.add(h, x);
  }

  /** Multi-head attention of tokens `x` [B, L, C] to `context` [B, S, contextWidth] (itself when left out). */
  attention(x: F, context: F | undefined, channels: number, heads: number, contextWidth = channels, qkvBias = false): F {
    const g = this.g;
    const source = context ?? x;
    const headWidth = channels / heads;
    const split = (t: F) => g.reshape(t, [0, 0, heads, headWidth]);
    const q = g.transpose(split(this.linear(x, channels, channels, qkvBias)), [0, 2, 1, 3]);
    const k = g.transpose(split(this.linear(source, contextWidth, channels, qkvBias)), [0, 2, 3, 1]);
    const v = g.transpose(split(this.linear(source, contextWidth, channels, qkvBias)), [0, 2, 1, 3]);
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
  return dims.length === 4 ? dims[1]! * dims[2]! * dims[3]! : dims[0]!;
}

function fillUniform(data: Float32Array, bound: number, next: () => number): void {
  for (let i = 0; i < data.length; i++) data[i] = (2 * next() - 1) * bound;
}
