/**
 * Stable Diffusion's VAE (diffusers' AutoencoderKL as SD 1.x/2.x and Turbo
 * use it) built with the graph builder and seeded random weights, split as
 * Optimum exports it: `vae_encoder` (picture → `latent_parameters`, mean and
 * log-variance) and `vae_decoder` (`latent_sample` → `sample`). Full size,
 * it measures what decoding and encoding a frame cost; narrow, it runs in
 * tests. It draws nothing meaningful.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { GraphBuilder } from '../onnx/graph-builder.ts';
import { declaredParams, Layers, randomParams, type F, type Param } from './random-layers.ts';

export interface VaeShape {
  /** Channels of each encoder block, widest last (the decoder mirrors them). */
  blockChannels: readonly number[];
  layersPerBlock: number;
  latentChannels: number;
  normGroups: number;
}

/** SD's VAE (kl-f8): 83,653,863 parameters, encoder and decoder together. */
export const SD_VAE: VaeShape = { blockChannels: [128, 256, 512, 512], layersPerBlock: 2, latentChannels: 4, normGroups: 32 };

/** The same topology at a width that runs in milliseconds (three halvings, as the real one), for tests. */
export const NARROW_VAE: VaeShape = { ...SD_VAE, blockChannels: [8, 16, 16, 16], normGroups: 4 };

export const SD_VAE_SCALE = 0.18215;

/** The two halves' graphs with random weights, and the parameter count of both. */
export function randomVaeGraphs(shape: VaeShape, seed = 1): { encoder: GraphBuilder; decoder: GraphBuilder; parameters: number } {
  const encoder = new GraphBuilder('random_vae_encoder');
  const decoder = new GraphBuilder('random_vae_decoder');
  const [e, d] = [randomParams(encoder, seed), randomParams(decoder, seed + 1)];
  encoderGraph(encoder, shape, e.param);
  decoderGraph(decoder, shape, d.param);
  return { encoder, decoder, parameters: e.count() + d.count() };
}

/** The parameter count of both halves of `shape`, without drawing weights. */
export function vaeParameterCount(shape: VaeShape): number {
  const [encoder, decoder] = [new GraphBuilder('vae_encoder'), new GraphBuilder('vae_decoder')];
  const [e, d] = [declaredParams(encoder), declaredParams(decoder)];
  encoderGraph(encoder, shape, e.param);
  decoderGraph(decoder, shape, d.param);
  return e.count() + d.count();
}

/** Writes `vae_encoder/` and `vae_decoder/` (model.onnx + config.json each) under the export folder `dir`. */
export async function writeRandomVae(dir: string, shape: VaeShape, seed = 1): Promise<{ parameters: number }> {
  const { encoder, decoder, parameters } = randomVaeGraphs(shape, seed);
  const config = { _class_name: 'AutoencoderKL', latent_channels: shape.latentChannels, block_out_channels: shape.blockChannels, scaling_factor: SD_VAE_SCALE };
  for (const [part, graph] of [['vae_encoder', encoder], ['vae_decoder', decoder]] as const) {
    await mkdir(path.join(dir, part), { recursive: true });
    await writeFile(path.join(dir, part, 'model.onnx'), graph.build());
    await writeFile(path.join(dir, part, 'config.json'), `${JSON.stringify(config, null, 2)}\n`);
  }
  return { parameters };
}

function encoderGraph(g: GraphBuilder, shape: VaeShape, param: Param): void {
  const layers = new Layers(g, param, shape.normGroups);
  let h = layers.conv(g.input('sample', 'float32', ['batch', 3, 'height', 'width']), 3, shape.blockChannels[0]!, 3);
  let channels = shape.blockChannels[0]!;
  const last = shape.blockChannels.length - 1;
  shape.blockChannels.forEach((out, i) => {
    for (let j = 0; j < shape.layersPerBlock; j++) {
      h = layers.resnet(h, channels, out, undefined, 1e-6);
      channels = out;
    }
    // The encoder halves the size with a stride-2 3×3 conv padded only at the bottom and right.
    if (i < last) h = layers.conv(h, channels, channels, 3, 2, [0, 0, 1, 1]);
  });
  h = middle(layers, h, channels);
  h = layers.conv(layers.silu(layers.groupNorm(h, channels, 1e-6)), channels, 2 * shape.latentChannels, 3);
  g.output(layers.conv(h, 2 * shape.latentChannels, 2 * shape.latentChannels, 1), 'latent_parameters');
}

function decoderGraph(g: GraphBuilder, shape: VaeShape, param: Param): void {
  const layers = new Layers(g, param, shape.normGroups);
  const latents = layers.conv(g.input('latent_sample', 'float32', ['batch', shape.latentChannels, 'latent_height', 'latent_width']), shape.latentChannels, shape.latentChannels, 1);
  const widths = [...shape.blockChannels].reverse();
  let channels = widths[0]!;
  let h = middle(layers, layers.conv(latents, shape.latentChannels, channels, 3), channels);
  widths.forEach((out, i) => {
    for (let j = 0; j <= shape.layersPerBlock; j++) {
      h = layers.resnet(h, channels, out, undefined, 1e-6);
      channels = out;
    }
    if (i < widths.length - 1) h = layers.conv(g.resize(h, { scales: [1, 1, 2, 2], mode: 'nearest' }), channels, channels, 3);
  });
  g.output(layers.conv(layers.silu(layers.groupNorm(h, channels, 1e-6)), channels, 3, 3), 'sample');
}

/** The middle: a ResNet block, single-head self-attention over the pixels, another ResNet block. */
function middle(layers: Layers, x: F, channels: number): F {
  const g = layers.g;
  let h = layers.resnet(x, channels, channels, undefined, 1e-6);
  const attended = layers.attention(layers.toTokens(layers.groupNorm(h, channels, 1e-6)), undefined, channels, 1, channels, true);
  h = g.add(layers.toMap(attended, h), h);
  return layers.resnet(h, channels, channels, undefined, 1e-6);
}
