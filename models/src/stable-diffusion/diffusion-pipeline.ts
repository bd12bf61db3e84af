/**
 * One Stable Diffusion export's parts, run as diffusers' pipelines run them:
 * prompt → tokenizer → text encoder(s) → conditioning; noise (or an image's
 * latents, noised to the strength) → the UNet loop under a sampler, with
 * classifier-free guidance batched → the VAE decoder → RGB.
 *
 * Inpainting works with either UNet: an inpainting UNet (9 input channels)
 * is given the mask and the masked image's latents; an ordinary one gets the
 * known latents put back outside the mask after every step, noised to that
 * step's level (the latent-blend method of diffusers' inpaint pipeline for
 * non-inpainting checkpoints).
 *
 * Noise is drawn in JS from the seed, so a seed gives the same noise on every
 * device.
 */
import type * as ort from 'onnxruntime-node';
import { gaussian, seededRandom } from '../procedural/seeded-random.ts';
import type { RgbImage } from '../frames.ts';
import { chooseDevice } from '../runtime/device-choice.ts';
import type { Device } from '../runtime/device.ts';
import { sessionPool, type PooledSession, type SessionPool } from '../runtime/session-pool.ts';
import { ClipTokenizer } from './clip-tokenizer.ts';
import type { DiffusionFolder } from './diffusion-folder.ts';
import { DiffusionFolderError } from './diffusion-folder.ts';
import { latentPreview } from './latent-preview.ts';
import type { DenoiseSchedule, SchedulerKind } from './schedulers/denoise-schedule.ts';
import { parseSchedulerConfig } from './schedulers/scheduler-config.ts';
import { planSchedule } from './schedulers/plan-schedule.ts';
import { floatTensor, intTensor, readFloats, slotOf, timestepTensor, type TensorSlot } from './session-io.ts';

/** What the UNet is conditioned on: per-token states, and for SDXL the pooled embedding. */
export interface Conditioning {
  /** [1, tokens, width], flat. */
  hidden: Float32Array;
  tokens: number;
  width: number;
  /** SDXL: the second encoder's pooled, projected embedding [1, pooledWidth]. */
  pooled?: Float32Array;
}

export interface DenoiseRequest {
  /** Pixels; multiples of 8 (the caller rounds, see diffusionSizeFor). */
  width: number;
  height: number;
  seed: number;
  prompt: Conditioning;
  negative: Conditioning;
  steps: number;
  /** ≤ 1 turns classifier-free guidance off. */
  guidance: number;
  sampler?: SchedulerKind;
  /** Image-to-image: the start, as scaled latents, and how much of it is redone (0..1]. */
  init?: { latents: Float32Array; strength: number };
  /** Inpainting: the mask at latent size (1 = redo), and the known image's scaled latents. */
  inpaint?: { mask: Float32Array; latents: Float32Array };
  signal?: AbortSignal;
  /** After each step: steps done, of how many, and a small RGB preview of the current estimate. */
  onStep?: (done: number, total: number, preview: () => RgbImage) => void;
}

export interface OpenDiffusionOptions {
  device?: Device;
  pool?: SessionPool;
}

const LATENT_CHANNELS = 4;

interface LatentSize {
  latentWidth: number;
  latentHeight: number;
}

export class DiffusionPipeline {
  readonly #tokenizers: ClipTokenizer[];
  readonly #textEncoders: PooledSession[];
  readonly #unet: PooledSession;
  readonly #vaeDecoder: PooledSession;
  readonly #vaeEncoder: PooledSession | undefined;
  readonly #unetSlots: { sample: TensorSlot; timestep: TensorSlot; hidden: TensorSlot; textEmbeds?: TensorSlot; timeIds?: TensorSlot; output: string };
  /** Whether the UNet takes a batch of two (guided: unconditioned and conditioned at once); some exports fix batch 1. */
  readonly #batchesGuidance: boolean;

  private constructor(
    readonly folder: DiffusionFolder,
    parts: { tokenizers: ClipTokenizer[]; textEncoders: PooledSession[]; unet: PooledSession; vaeDecoder: PooledSession; vaeEncoder?: PooledSession },
  ) {
    this.#tokenizers = parts.tokenizers;
    this.#textEncoders = parts.textEncoders;
    this.#unet = parts.unet;
    this.#vaeDecoder = parts.vaeDecoder;
    this.#vaeEncoder = parts.vaeEncoder;
    const unet = parts.unet;
    const sample = slotOf(unet, 'input', ['sample'], 'UNet');
    this.#unetSlots = {
      sample,
      timestep: slotOf(unet, 'input', ['timestep'], 'UNet'),
      hidden: slotOf(unet, 'input', ['encoder_hidden_states'], 'UNet'),
      ...(folder.variant === 'sdxl' ? { textEmbeds: slotOf(unet, 'input', ['text_embeds'], 'UNet'), timeIds: slotOf(unet, 'input', ['time_ids'], 'UNet') } : {}),
      output: slotOf(unet, 'output', ['out_sample', 'sample'], 'UNet').name,
    };
    this.#batchesGuidance = sample.shape[0] !== 1;
    const channels = sample.shape[1];
    const expected = folder.inpaintingUnet ? 9 : LATENT_CHANNELS;
    if (typeof channels === 'number' && channels !== expected) throw new DiffusionFolderError(`The UNet takes ${channels} channels where its config says ${expected}.`);
  }

  static async open(folder: DiffusionFolder, options: OpenDiffusionOptions = {}): Promise<DiffusionPipeline> {
    const pool = options.pool ?? sessionPool;
    const device = options.device ?? (await chooseDevice()).device;
    const session = (file: string) => pool.sessionFor(file, device);
    const { parts } = folder;
    const tokenizers = [await ClipTokenizer.fromFolder(parts.tokenizer), ...(parts.tokenizer2 ? [await ClipTokenizer.fromFolder(parts.tokenizer2)] : [])];
    const textEncoders = [await session(parts.textEncoder), ...(parts.textEncoder2 ? [await session(parts.textEncoder2)] : [])];
    return new DiffusionPipeline(folder, {
      tokenizers,
      textEncoders,
      unet: await session(parts.unet),
      vaeDecoder: await session(parts.vaeDecoder),
      ...(parts.vaeEncoder ? { vaeEncoder: await session(parts.vaeEncoder) } : {}),
    });
  }

  get canEncodeImages(): boolean {
    return this.#vaeEncoder !== undefined;
  }

  /** The conditioning for a prompt. SDXL's empty negative prompt is zeros, as its model_index.json asks (force_zeros_for_empty_prompt). */
  async encodePrompt(text: string, options: { negative?: boolean } = {}): Promise<Conditioning> {
    const states: { hidden: Float32Array; width: number; pooled?: Float32Array }[] = [];
    for (let i = 0; i < this.#textEncoders.length; i++) states.push(await this.#encodeWith(i, text));
    const tokens = this.#tokenizers[0]!.maxLength;
    const width = states.reduce((sum, state) => sum + state.width, 0);
    // SDXL joins the two encoders' states along the feature axis.
    const hidden = states.length === 1 ? states[0]!.hidden : concatFeatures(states, tokens);
    const pooled = states.at(-1)!.pooled;
    const conditioning: Conditioning = { hidden, tokens, width, ...(this.folder.variant === 'sdxl' && pooled ? { pooled } : {}) };
    if (options.negative && text.trim() === '' && this.folder.variant === 'sdxl') return zerosLike(conditioning);
    return conditioning;
  }

  async #encodeWith(index: number, text: string): Promise<{ hidden: Float32Array; width: number; pooled?: Float32Array }> {
    const tokenizer = this.#tokenizers[index]!;
    const encoder = this.#textEncoders[index]!;
    const ids = slotOf(encoder, 'input', ['input_ids'], 'text encoder');
    const outputs = await encoder.run({ [ids.name]: intTensor(ids, tokenizer.encode(text), [1, tokenizer.maxLength]) });
    // SDXL conditions on the penultimate layer of each encoder; SD 1.x/2.x on the last.
    const hiddenName = this.folder.variant === 'sdxl' ? penultimateHiddenState(encoder) : slotOf(encoder, 'output', ['last_hidden_state'], 'text encoder').name;
    const hiddenTensor = outputs[hiddenName]!;
    const pooledName = encoder.outputNames.find((name) => name === 'text_embeds') ?? encoder.outputNames.find((name) => name === 'pooler_output');
    return {
      hidden: readFloats(hiddenTensor),
      width: Number(hiddenTensor.dims.at(-1)),
      ...(pooledName ? { pooled: readFloats(outputs[pooledName]!) } : {}),
    };
  }

  /**
   * Runs the sampler loop and returns the final scaled latents [1, 4, h/8, w/8].
   * Throws the signal's reason when cancelled between steps.
   */
  async denoise(request: DenoiseRequest): Promise<Float32Array> {
    const { width, height, guidance } = request;
    const latentWidth = width / 8;
    const latentHeight = height / 8;
    if (!Number.isInteger(latentWidth) || !Number.isInteger(latentHeight)) throw new RangeError(`A diffusion frame is ${width}×${height}; both must be multiples of 8.`);
    const size = LATENT_CHANNELS * latentWidth * latentHeight;
    const config = parseSchedulerConfig(this.folder.schedulerConfig);
    const strength = request.init ? request.init.strength : 1;
    const schedule = planSchedule(config, { steps: request.steps, strength, ...(request.sampler ? { kind: request.sampler } : {}) });
    const normal = gaussian(seededRandom(request.seed));
    const startNoise = new Float32Array(size);
    for (let i = 0; i < size; i++) startNoise[i] = normal();
    let latents = request.init ? schedule.addNoise(request.init.latents, startNoise, 0) : scaled(startNoise, schedule.initNoiseSigma);
    const guided = guidance > 1;
    const total = schedule.timesteps.length;
    for (let step = 0; step < total; step++) {
      request.signal?.throwIfAborted();
      const input = schedule.scaleInput(latents, step);
      const prediction = await this.#predict(input, schedule.timesteps[step]!, request, { latentWidth, latentHeight }, guided);
      const result = schedule.step(prediction, step, latents, normal);
      latents = result.latents;
      if (request.inpaint && !this.folder.inpaintingUnet) latents = blendKnown(latents, request.inpaint, schedule, step + 1, startNoise);
      const denoised = result.denoised;
      request.onStep?.(step + 1, total, () => latentPreview(denoised, latentWidth, latentHeight));
    }
    return latents;
  }

  async #predict(input: Float32Array, timestep: number, request: DenoiseRequest, latentSize: LatentSize, guided: boolean): Promise<Float32Array> {
    const unetInput = request.inpaint && this.folder.inpaintingUnet ? inpaintingInput(input, request.inpaint) : input;
    const run = (conditions: Conditioning[]) => this.#runUnet(conditions.map(() => unetInput), conditions, timestep, request, latentSize);
    if (!guided) return run([request.prompt]);
    const [unconditioned, conditioned] = this.#batchesGuidance ? splitBatch(await run([request.negative, request.prompt]), 2) : [await run([request.negative]), await run([request.prompt])];
    return guide(unconditioned!, conditioned!, request.guidance);
  }

  async #runUnet(inputs: Float32Array[], conditions: Conditioning[], timestep: number, request: DenoiseRequest, { latentWidth, latentHeight }: LatentSize): Promise<Float32Array> {
    const slots = this.#unetSlots;
    const batch = inputs.length;
    const channels = inputs[0]!.length / (latentWidth * latentHeight);
    const { tokens, width } = conditions[0]!;
    const feeds: Record<string, ort.Tensor> = {
      [slots.sample.name]: floatTensor(slots.sample, concatArrays(inputs), [batch, channels, latentHeight, latentWidth]),
      [slots.timestep.name]: timestepTensor(slots.timestep, timestep, batch),
      [slots.hidden.name]: floatTensor(slots.hidden, concatArrays(conditions.map((c) => c.hidden)), [batch, tokens, width]),
    };
    if (slots.textEmbeds && slots.timeIds) {
      const pooled = conditions.map((c) => c.pooled ?? new Float32Array(0));
      feeds[slots.textEmbeds.name] = floatTensor(slots.textEmbeds, concatArrays(pooled), [batch, pooled[0]!.length]);
      // Original size, crop top-left, target size: the size asked for, uncropped.
      const ids = [request.height, request.width, 0, 0, request.height, request.width];
      feeds[slots.timeIds.name] = floatTensor(slots.timeIds, Float32Array.from({ length: batch * 6 }, (_, i) => ids[i % 6]!), [batch, 6]);
    }
    const outputs = await this.#unet.run(feeds);
    return readFloats(outputs[slots.output]!);
  }

  /** Scaled latents of a picture (RGB24, size a multiple of 8), the distribution's mean. */
  async encodeImage(image: RgbImage): Promise<Float32Array> {
    const encoder = this.#vaeEncoder;
    if (!encoder) throw new DiffusionFolderError('This model has no vae_encoder/model.onnx, so it can only make pictures from text; image-to-image, inpainting and camera-driven video need it.');
    const input = slotOf(encoder, 'input', ['sample'], 'VAE encoder');
    const output = slotOf(encoder, 'output', ['latent_sample', 'latent_parameters', 'latent_dist'], 'VAE encoder');
    const outputs = await encoder.run({ [input.name]: floatTensor(input, rgbToSigned(image), [1, 3, image.height, image.width]) });
    const result = outputs[output.name]!;
    // `latent_parameters` holds the mean then the log-variance: the mean is the first four channels.
    const mean = readFloats(result).subarray(0, LATENT_CHANNELS * (image.width / 8) * (image.height / 8));
    return mean.map((value) => value * this.folder.vaeScalingFactor);
  }

  /** RGB24 of scaled latents [1, 4, h, w]. */
  async decodeLatents(latents: Float32Array, width: number, height: number): Promise<RgbImage> {
    const decoder = this.#vaeDecoder;
    const input = slotOf(decoder, 'input', ['latent_sample'], 'VAE decoder');
    const output = slotOf(decoder, 'output', ['sample'], 'VAE decoder');
    const scaled = latents.map((value) => value / this.folder.vaeScalingFactor);
    const outputs = await decoder.run({ [input.name]: floatTensor(input, scaled, [1, LATENT_CHANNELS, height / 8, width / 8]) });
    return { width, height, pixels: signedToRgb(readFloats(outputs[output.name]!), width, height) };
  }
}

/** Joins per-token states of several encoders along the feature axis: [tokens, a] + [tokens, b] → [tokens, a + b]. */
function concatFeatures(states: readonly { hidden: Float32Array; width: number }[], tokens: number): Float32Array {
  const width = states.reduce((sum, state) => sum + state.width, 0);
  const joined = new Float32Array(tokens * width);
  for (let token = 0; token < tokens; token++) {
    let offset = token * width;
    for (const state of states) {
      joined.set(state.hidden.subarray(token * state.width, (token + 1) * state.width), offset);
      offset += state.width;
    }
  }
  return joined;
}

function zerosLike(conditioning: Conditioning): Conditioning {
  return { ...conditioning, hidden: new Float32Array(conditioning.hidden.length), ...(conditioning.pooled ? { pooled: new Float32Array(conditioning.pooled.length) } : {}) };
}

/** `hidden_states.N` with N one below the highest an export offers (index 0 is the embeddings). */
function penultimateHiddenState(encoder: PooledSession): string {
  const layers = encoder.outputNames.map((name) => /^hidden_states\.(\d+)$/.exec(name)).filter((match) => match !== null).map((match) => Number(match[1]));
  if (layers.length < 2) throw new DiffusionFolderError(`An SDXL text encoder must output its hidden states (hidden_states.0 …); this one outputs ${encoder.outputNames.join(', ')}.`);
  return `hidden_states.${Math.max(...layers) - 1}`;
}

function concatArrays(arrays: readonly Float32Array[]): Float32Array {
  if (arrays.length === 1) return arrays[0]!;
  const joined = new Float32Array(arrays.reduce((sum, array) => sum + array.length, 0));
  let offset = 0;
  for (const array of arrays) {
    joined.set(array, offset);
    offset += array.length;
  }
  return joined;
}

function splitBatch(data: Float32Array, batch: number): Float32Array[] {
  const size = data.length / batch;
  return Array.from({ length: batch }, (_, i) => data.subarray(i * size, (i + 1) * size));
}

/** An inpainting UNet's input: the latents, the mask, the masked image's latents, along channels. */
function inpaintingInput(latents: Float32Array, inpaint: NonNullable<DenoiseRequest['inpaint']>): Float32Array {
  const input = new Float32Array(latents.length + inpaint.mask.length + inpaint.latents.length);
  input.set(latents, 0);
  input.set(inpaint.mask, latents.length);
  input.set(inpaint.latents, latents.length + inpaint.mask.length);
  return input;
}

/** Outside the mask, the known latents at the noise level of `nextStep` (clean after the last). */
function blendKnown(latents: Float32Array, inpaint: NonNullable<DenoiseRequest['inpaint']>, schedule: DenoiseSchedule, nextStep: number, noise: Float32Array): Float32Array {
  const known = schedule.addNoise(inpaint.latents, noise, nextStep);
  const plane = inpaint.mask.length;
  return latents.map((value, i) => {
    const keep = inpaint.mask[i % plane]!;
    return keep * value + (1 - keep) * known[i]!;
  });
}

/** RGB24 → planar [3, h, w] in [-1, 1], as the VAE encoder takes it. */
function rgbToSigned(image: RgbImage): Float32Array {
  const plane = image.width * image.height;
  const planar = new Float32Array(3 * plane);
  for (let i = 0; i < plane; i++) {
    for (let c = 0; c < 3; c++) planar[c * plane + i] = image.pixels[i * 3 + c]! / 127.5 - 1;
  }
  return planar;
}

/** Planar [3, h, w] in [-1, 1] → RGB24, clamped. */
function signedToRgb(planar: Float32Array, width: number, height: number): Uint8Array {
  const plane = width * height;
  const pixels = new Uint8Array(3 * plane);
  for (let i = 0; i < plane; i++) {
    for (let c = 0; c < 3; c++) pixels[i * 3 + c] = Math.round(Math.min(1, Math.max(0, (planar[c * plane + i]! + 1) / 2)) * 255);
  }
  return pixels;
}

function scaled(values: Float32Array, factor: number): Float32Array {
  const out = new Float32Array(values.length);
  for (let i = 0; i < values.length; i++) out[i] = values[i]! * factor;
  return out;
}

/** Classifier-free guidance: the unconditioned prediction, pushed `scale` times towards the conditioned one. */
function guide(unconditioned: Float32Array, conditioned: Float32Array, scale: number): Float32Array {
  const out = new Float32Array(unconditioned.length);
  for (let i = 0; i < out.length; i++) out[i] = unconditioned[i]! + scale * (conditioned[i]! - unconditioned[i]!);
  return out;
}
