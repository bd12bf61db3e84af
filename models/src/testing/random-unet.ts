/**
 * Stable Diffusion's UNet (diffusers' UNet2DConditionModel for SD 1.x/2.x
 * and SDXL) built layer by layer with the graph builder and filled with seeded random
 * weights: the full-size network with the names, dtypes and dynamic shapes of
 * an Optimum export, for measuring what a real step costs on a device
 * without any weights to download. It draws nothing meaningful.
 *
 * The same topology at a small width runs in tests; at the real widths its
 * parameter count is the real model's, which is how the test knows the
 * layers are all there.
 */
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { GraphBuilder } from '../onnx/graph-builder.ts';
import { declaredParams, Layers, randomParams, type F, type Param } from './random-layers.ts';
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
  /** Transformer blocks per transformer in each block (default 1; SDXL 1, 2, 10; the middle takes the last). */
  transformerDepth?: readonly number[];
  /**
   * SDXL's extra conditioning (`text_time`): the pooled text embedding and
   * the six size numbers, each number as sinusoidal features of `timeIdWidth`,
   * added to the time embedding.
   */
  textTime?: { pooledWidth: number; timeIdWidth: number };
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

/** SDXL's UNet, which SDXL-Turbo shares: 2,567,463,684 parameters. */
export const SDXL_UNET: UnetShape = {
  blockChannels: [320, 640, 1280],
  attention: [false, true, true],
  heads: [5, 10, 20],
  layersPerBlock: 2,
  crossAttentionDim: 2048,
  linearProjection: true,
  inChannels: 4,
  normGroups: 32,
  transformerDepth: [1, 2, 10],
  textTime: { pooledWidth: 1280, timeIdWidth: 256 },
};

export interface RandomUnetOptions {
  seed?: number;
  timestep?: TinyDiffusionOptions['timestep'];
}

/** The UNet graph with random weights, and its parameter count. */
export function randomUnetGraph(shape: UnetShape, options: RandomUnetOptions = {}): { graph: GraphBuilder; parameters: number } {
  const g = new GraphBuilder('random_unet');
  const { param, count } = randomParams(g, options.seed ?? 1);
  unet(g, shape, param, options.timestep ?? 'int64-one');
  return { graph: g, parameters: count() };
}

/** The parameter count of `shape`, without drawing any weights. */
export function unetParameterCount(shape: UnetShape): number {
  const g = new GraphBuilder('unet_shape');
  const { param, count } = declaredParams(g);
  unet(g, shape, param, 'int64-one');
  return count();
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
  const mlp = (features: F, from: number) => layers.linear(layers.silu(layers.linear(features, from, timeWidth)), timeWidth, timeWidth);
  let temb = mlp(timestepFeatures(g, timestep, base), base);
  if (shape.textTime) {
    const { pooledWidth, timeIdWidth } = shape.textTime;
    const pooled = g.input('text_embeds', 'float32', ['batch', pooledWidth]);
    const timeIds = g.input('time_ids', 'float32', ['batch', 6]);
    const sizes = g.reshape(timestepFeatures(g, g.reshape(timeIds, [-1]), timeIdWidth), [-1, 6 * timeIdWidth]);
    temb = g.add(temb, mlp(g.concat([pooled, sizes], 1), pooledWidth + 6 * timeIdWidth));
  }
  const embedding = layers.silu(temb);
  const depths = shape.transformerDepth ?? shape.blockChannels.map(() => 1);
  const resnet = (x: F, from: number, to: number) => layers.resnet(x, from, to, { embedding, width: timeWidth });
  const transformer = (x: F, channels: number, block: number) => layers.transformer(x, context, channels, shape.heads[block]!, shape, depths[block]);

  let h = layers.conv(sample, shape.inChannels, base, 3);
  let channels = base;
  const skips: { x: F; channels: number }[] = [{ x: h, channels }];
  const last = shape.blockChannels.length - 1;
  shape.blockChannels.forEach((out, i) => {
    for (let j = 0; j < shape.layersPerBlock; j++) {
      h = resnet(h, channels, out);
      channels = out;
      if (shape.attention[i]) h = transformer(h, out, i);
      skips.push({ x: h, channels });
    }
    if (i < last) {
      h = layers.conv(h, channels, channels, 3, 2);
      skips.push({ x: h, channels });
    }
  });

  h = resnet(h, channels, channels);
  h = transformer(h, channels, last);
  h = resnet(h, channels, channels);

  [...shape.blockChannels].reverse().forEach((out, k) => {
    const i = last - k;
    for (let j = 0; j <= shape.layersPerBlock; j++) {
      const skip = skips.pop()!;
      h = resnet(g.concat([h, skip.x], 1), channels + skip.channels, out);
      channels = out;
      if (shape.attention[i]) h = transformer(h, out, i);
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

