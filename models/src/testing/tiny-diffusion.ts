/**
 * Tiny Stable Diffusion exports for tests: a folder in the Optimum layout
 * whose parts have the real names, dtypes and dynamic shapes (a few KB each,
 * built with the graph builder), and whose UNet is the ideal denoiser of a
 * known answer, so a whole run can be checked to the pixel:
 *
 * - text encoder: each token id becomes sin(id·f + p) across the features;
 *   layer k of L is that times (k+1)/L (SDXL reads the penultimate one);
 * - UNet: the clean latents it steers to are `TINY_GAIN` × the token-mean of
 *   the first four features less the last token's (plus the pooled
 *   embedding's mean for SDXL); for
 *   an inpainting UNet, the masked image's latents outside the mask. It
 *   predicts the exact ε (or v) that leads there from any noisy input, using
 *   the same ᾱ table as the scheduler config;
 * - VAE: the encoder averages 8×8 blocks through a 4×3 matrix whose left
 *   inverse the decoder applies, so pictures made of 8×8 blocks round-trip.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { GraphBuilder, type Tensor } from '../onnx/graph-builder.ts';
import { ClipTokenizer } from '../stable-diffusion/clip-tokenizer.ts';
import { writeClipTokenizerFolder } from './clip-vocabulary.ts';

export interface TinyDiffusionOptions {
  variant?: 'sd' | 'sdxl';
  inpaintingUnet?: boolean;
  /** scheduler/scheduler_config.json; default SD-Turbo's (Euler, trailing). */
  scheduler?: Record<string, unknown>;
  /** Token ids as int32 (some exports) or int64 (most). */
  idsType?: 'int32' | 'int64';
  /** The UNet's timestep: int64 [1] or [batch] (older Optimum), or a float scalar (newer). */
  timestep?: 'int64-one' | 'int64-batch' | 'float-scalar';
  prediction?: 'epsilon' | 'v_prediction';
  /** What the VAE encoder answers; false leaves it out (a text-to-image-only export). */
  vaeEncoder?: 'latent_sample' | 'latent_parameters' | false;
  /** A UNet whose batch is fixed at 1 (guidance then runs it twice per step). */
  fixedBatch?: boolean;
  padToken?: '<|endoftext|>' | '!';
  /** The text encoder's width, for a folder whose UNet is swapped for one conditioned on wider text (SD variant only). */
  textWidth?: number;
}

export const SD_TURBO_SCHEDULER = {
  _class_name: 'EulerDiscreteScheduler',
  _diffusers_version: '0.24.0.dev0',
  beta_end: 0.012,
  beta_schedule: 'scaled_linear',
  beta_start: 0.00085,
  clip_sample: false,
  interpolation_type: 'linear',
  num_train_timesteps: 1000,
  prediction_type: 'epsilon',
  set_alpha_to_one: false,
  sample_max_value: 1.0,
  steps_offset: 1,
  timestep_spacing: 'trailing',
  trained_betas: null,
  use_karras_sigmas: false,
} as const;

/** Scaled clean latents per unit of token-mean feature. */
export const TINY_GAIN = 1.5;
export const TINY_VAE_SCALE = 0.18215;
const LAYERS = 2;
/** Feature widths of the text encoders (SDXL: the two encoders). */
export const TINY_WIDTHS = { sd: [8], sdxl: [8, 12] } as const;

/** The features of one token id at layer `layer` (of LAYERS), as the tiny text encoder computes them. */
export function tinyTokenFeatures(id: number, width: number, layer = LAYERS): Float32Array {
  return Float32Array.from({ length: width }, (_, d) => Math.fround(Math.sin(Math.fround(id * frequency(d)) + phase(d)) * ((layer + 1) / (LAYERS + 1))));
}

// The growth repeats every 12 features, so a wide encoder (textWidth) stays finite; the tiny widths never reach it.
const frequency = (d: number) => Math.fround(0.0007 * (d + 1) * 1.3 ** (d % 12));
// No phase: the id-0 padding of SD 2.x-style tokenizers adds nothing, so the prompt's own tokens decide the picture.
const phase = (_d: number) => 0;

/** The ᾱ table of scaled_linear betas 0.00085 → 0.012 over 1000 steps (SD's). */
export function sdAlphasCumprod(): Float64Array {
  const start = Math.sqrt(0.00085);
  const end = Math.sqrt(0.012);
  const alphas = new Float64Array(1000);
  let product = 1;
  for (let t = 0; t < 1000; t++) {
    const beta = (start + ((end - start) * t) / 999) ** 2;
    product *= 1 - beta;
    alphas[t] = product;
  }
  return alphas;
}

/** VAE: latent = ENCODE · rgb (per 8×8 block mean); rgb = DECODE · latent, DECODE · ENCODE = I. */
const ENCODE = [
  [1, 0, 0],
  [0, 1, 0],
  [0, 0, 1],
  [1 / 3, 1 / 3, 1 / 3],
];
const DECODE = [
  [1, 0, 0, 0],
  [0, 1, 0, 0],
  [0, 0, 1, 0],
];

export async function writeTinyDiffusionFolder(dir: string, options: TinyDiffusionOptions = {}): Promise<void> {
  const variant = options.variant ?? 'sd';
  const write = async (relative: string, content: Uint8Array | string) => {
    await mkdir(path.dirname(path.join(dir, relative)), { recursive: true });
    await writeFile(path.join(dir, relative), content);
  };
  const json = (value: unknown) => `${JSON.stringify(value, null, 2)}\n`;
  await write(
    'model_index.json',
    json({
      _class_name: variant === 'sdxl' ? 'ORTStableDiffusionXLPipeline' : options.inpaintingUnet ? 'ORTStableDiffusionInpaintPipeline' : 'ORTStableDiffusionPipeline',
      _diffusers_version: '0.27.2',
      scheduler: ['diffusers', 'EulerDiscreteScheduler'],
      text_encoder: ['transformers', 'CLIPTextModel'],
      tokenizer: ['transformers', 'CLIPTokenizer'],
      unet: ['diffusers', 'UNet2DConditionModel'],
      vae_decoder: ['diffusers', 'AutoencoderKL'],
      ...(options.vaeEncoder === false ? {} : { vae_encoder: ['diffusers', 'AutoencoderKL'] }),
      ...(variant === 'sdxl' ? { text_encoder_2: ['transformers', 'CLIPTextModelWithProjection'], tokenizer_2: ['transformers', 'CLIPTokenizer'], force_zeros_for_empty_prompt: true } : {}),
    }),
  );
  await write('scheduler/scheduler_config.json', json(options.scheduler ?? SD_TURBO_SCHEDULER));
  const widths = variant === 'sd' && options.textWidth ? [options.textWidth] : TINY_WIDTHS[variant];
  for (const [i, width] of widths.entries()) {
    const suffix = i === 0 ? '' : '_2';
    await writeClipTokenizerFolder(path.join(dir, `tokenizer${suffix}`), { padToken: options.padToken ?? '!' });
    await write(`text_encoder${suffix}/model.onnx`, textEncoderGraph(width, options.idsType ?? 'int64', variant === 'sdxl' && i === 1));
    await write(`text_encoder${suffix}/config.json`, json({ hidden_size: width, num_hidden_layers: LAYERS, max_position_embeddings: 77 }));
  }
  const inChannels = options.inpaintingUnet ? 9 : 4;
  await write('unet/model.onnx', unetGraph({ ...options, variant, inChannels, hiddenWidth: widths.reduce((a, b) => a + b, 0) }));
  await write('unet/config.json', json({ in_channels: inChannels, out_channels: 4, sample_size: 8, cross_attention_dim: widths.reduce((a, b) => a + b, 0) }));
  await write('vae_decoder/model.onnx', vaeDecoderGraph());
  await write('vae_decoder/config.json', json({ latent_channels: 4, scaling_factor: TINY_VAE_SCALE }));
  if (options.vaeEncoder !== false) {
    await write('vae_encoder/model.onnx', vaeEncoderGraph(options.vaeEncoder ?? 'latent_sample'));
    await write('vae_encoder/config.json', json({ latent_channels: 4, scaling_factor: TINY_VAE_SCALE }));
  }
}

function textEncoderGraph(width: number, idsType: 'int32' | 'int64', projection: boolean): Uint8Array {
  const g = new GraphBuilder('tiny_text_encoder');
  const ids = g.input('input_ids', idsType, ['batch', 'sequence']);
  const angle = g.mul(g.unsqueeze(g.cast(ids, 'float32'), [2]), g.constant('float32', Array.from({ length: width }, (_, d) => frequency(d)), [width]));
  const base = g.sin(g.add(angle, g.constant('float32', Array.from({ length: width }, (_, d) => phase(d)), [width])));
  let last: Tensor<'float32'> = base;
  for (let layer = 0; layer <= LAYERS; layer++) {
    const state = g.mul(base, Math.fround((layer + 1) / (LAYERS + 1)));
    g.output(state, `hidden_states.${layer}`);
    last = state;
  }
  g.output(g.mul(last, 1), 'last_hidden_state');
  g.output(g.reduceMean(last, [1], false), projection ? 'text_embeds' : 'pooler_output');
  return g.build();
}

function unetGraph(options: TinyDiffusionOptions & { variant: 'sd' | 'sdxl'; inChannels: number; hiddenWidth: number }): Uint8Array {
  const g = new GraphBuilder('tiny_unet');
  const batch = options.fixedBatch ? 1 : 'batch';
  const sample = g.input('sample', 'float32', [batch, options.inChannels, 'height', 'width']);
  const timestepKind = options.timestep ?? 'int64-one';
  const timestep =
    timestepKind === 'float-scalar'
      ? g.cast(g.round(g.input('timestep', 'float32', [])), 'int64')
      : g.input('timestep', 'int64', [timestepKind === 'int64-one' ? 1 : 'batch']);
  const hidden = g.input('encoder_hidden_states', 'float32', [batch, 'sequence', options.hiddenWidth]);
  const latents = g.slice(sample, [0], [4], [1]);
  // Relative to the last token (always padding), so that neither padding token swamps the prompt's own tokens.
  const relative = g.sub(g.reduceMean(hidden, [1], false), g.squeeze(g.slice(hidden, [-1], [2 ** 31 - 1], [1]), [1]));
  let clean = g.reshape(g.mul(g.slice(relative, [0], [4], [1]), TINY_GAIN), [-1, 4, 1, 1]);
  if (options.variant === 'sdxl') {
    const pooled = g.input('text_embeds', 'float32', [batch, TINY_WIDTHS.sdxl[1]]);
    const timeIds = g.input('time_ids', 'float32', [batch, 6]);
    clean = g.add(clean, g.reshape(g.mul(g.reduceMean(pooled, [1], true), TINY_GAIN), [-1, 1, 1, 1]));
    // time_ids are taken (and must be fed) but do not steer the answer.
    clean = g.add(clean, g.mul(g.reshape(g.reduceSum(timeIds, [1], true), [-1, 1, 1, 1]), 0));
  }
  if (options.inChannels === 9) {
    const mask = g.slice(sample, [4], [5], [1]);
    const known = g.slice(sample, [5], [9], [1]);
    clean = g.add(g.mul(mask, clean), g.mul(g.sub(1, mask), known));
  }
  const alphas = g.initializer('float32', Float32Array.from(sdAlphasCumprod()), [1000]);
  const alpha = g.reshape(g.gather(alphas, timestep), [-1, 1, 1, 1]);
  const signal = g.sqrt(alpha);
  const noise = g.sqrt(g.sub(1, alpha));
  const epsilon = g.div(g.sub(latents, g.mul(signal, clean)), noise);
  const out = options.prediction === 'v_prediction' ? g.sub(g.mul(signal, epsilon), g.mul(noise, clean)) : epsilon;
  g.output(out, 'out_sample');
  return g.build();
}

function vaeDecoderGraph(): Uint8Array {
  const g = new GraphBuilder('tiny_vae_decoder');
  const latents = g.input('latent_sample', 'float32', ['batch', 4, 'latent_height', 'latent_width']);
  const weight = g.initializer('float32', Float32Array.from(DECODE.flat()), [3, 4, 1, 1]);
  const rgb = g.conv(latents, weight);
  g.output(g.resize(rgb, { scales: [1, 1, 8, 8], mode: 'nearest' }), 'sample');
  return g.build();
}

function vaeEncoderGraph(output: 'latent_sample' | 'latent_parameters'): Uint8Array {
  const g = new GraphBuilder('tiny_vae_encoder');
  const rgb = g.input('sample', 'float32', ['batch', 3, 'height', 'width']);
  const channels = output === 'latent_parameters' ? 8 : 4;
  // Output o, input i, an 8×8 kernel of ENCODE[o][i] / 64 (a block mean); the log-variance channels are zero.
  const weights = new Float32Array(channels * 3 * 64);
  for (let o = 0; o < 4; o++) for (let i = 0; i < 3; i++) weights.fill(ENCODE[o]![i]! / 64, (o * 3 + i) * 64, (o * 3 + i + 1) * 64);
  const latents = g.conv(rgb, g.initializer('float32', weights, [channels, 3, 8, 8]), undefined, { strides: [8, 8] });
  g.output(latents, output);
  return g.build();
}

/** What the tiny VAE decoder makes of scaled latents [4, h, w]: RGB24 of 8×8 blocks. */
export function tinyDecode(latents: Float32Array, latentWidth: number, latentHeight: number): Uint8Array {
  const plane = latentWidth * latentHeight;
  const width = latentWidth * 8;
  const pixels = new Uint8Array(width * latentHeight * 8 * 3);
  for (let y = 0; y < latentHeight * 8; y++) {
    for (let x = 0; x < width; x++) {
      const cell = Math.floor(y / 8) * latentWidth + Math.floor(x / 8);
      for (let c = 0; c < 3; c++) {
        let value = 0;
        for (let k = 0; k < 4; k++) value += DECODE[c]![k]! * (latents[k * plane + cell]! / TINY_VAE_SCALE);
        pixels[(y * width + x) * 3 + c] = Math.round(Math.min(1, Math.max(0, (value + 1) / 2)) * 255);
      }
    }
  }
  return pixels;
}

/** The scaled clean latents (one value per channel) the tiny UNet of the export in `dir` steers to for `text`. */
export async function tinyCleanLatents(dir: string, text: string, variant: 'sd' | 'sdxl' = 'sd'): Promise<number[]> {
  const ids = (await ClipTokenizer.fromFolder(path.join(dir, 'tokenizer'))).encode(text);
  // SDXL conditions on the penultimate layer, SD on the last.
  const layer = variant === 'sdxl' ? LAYERS - 1 : LAYERS;
  const width = TINY_WIDTHS[variant][0];
  const last = tinyTokenFeatures(ids.at(-1)!, width, layer);
  const mean = [0, 0, 0, 0];
  for (const id of ids) tinyTokenFeatures(id, width, layer).slice(0, 4).forEach((value, c) => (mean[c]! += (value - last[c]!) / ids.length));
  let pooled = 0;
  if (variant === 'sdxl') {
    const ids2 = (await ClipTokenizer.fromFolder(path.join(dir, 'tokenizer_2'))).encode(text);
    const width2 = TINY_WIDTHS.sdxl[1];
    for (const id of ids2) pooled += tinyTokenFeatures(id, width2).reduce((a, b) => a + b, 0) / width2 / ids2.length;
  }
  return mean.map((value) => (value + pooled) * TINY_GAIN);
}

/** The RGB colour the tiny VAE decodes one latent cell of `channels` to. */
export function tinyColour(channels: readonly number[]): [number, number, number] {
  const cell = tinyDecode(Float32Array.from(channels), 1, 1);
  return [cell[0]!, cell[1]!, cell[2]!];
}
