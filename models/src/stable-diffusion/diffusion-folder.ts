/**
 * A Stable Diffusion ONNX export in the Hugging Face Optimum / ONNX Runtime
 * layout, read from its own files: which variant it is (SD 1.x/2.x or SDXL,
 * with an inpainting UNet or not), where each part lies, and the defaults a
 * person would expect for it.
 *
 *   model_index.json
 *   scheduler/scheduler_config.json
 *   tokenizer/ (vocab.json + merges.txt, or tokenizer.json)   [+ tokenizer_2/ for SDXL]
 *   text_encoder/model.onnx                                    [+ text_encoder_2/ for SDXL]
 *   unet/model.onnx (+ model.onnx_data, external weights)
 *   vae_decoder/model.onnx, vae_encoder/model.onnx (optional: text-to-image only)
 *   each with its config.json
 *
 * Defaults: a scheduler with `trailing` spacing marks a distilled few-step
 * model (SD-Turbo, SDXL-Turbo: 1 step, no guidance); an LCM scheduler 4 steps
 * and no guidance; anything else 25 steps at guidance 7.5 (5 for SDXL), as
 * diffusers' and ComfyUI's defaults are.
 */
import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';

export class DiffusionFolderError extends Error {
  override name = 'DiffusionFolderError';
}

export type DiffusionVariant = 'sd' | 'sdxl';

export interface DiffusionParts {
  textEncoder: string;
  /** SDXL's second text encoder (OpenCLIP bigG, with the pooled projection). */
  textEncoder2?: string;
  tokenizer: string;
  tokenizer2?: string;
  unet: string;
  vaeDecoder: string;
  /** Needed for image-to-image, inpainting and camera-driven video; absent in some text-to-image exports. */
  vaeEncoder?: string;
  schedulerConfig: string;
}

export interface DiffusionDefaults {
  steps: number;
  /** Classifier-free guidance scale; 0 turns guidance off (one UNet pass per step). */
  guidance: number;
}

export interface DiffusionFolder {
  dir: string;
  variant: DiffusionVariant;
  /** A UNet trained for inpainting: 9 input channels (latents, mask, masked image latents). */
  inpaintingUnet: boolean;
  /** Latents are multiplied by this after the VAE encoder and divided by it before the decoder. */
  vaeScalingFactor: number;
  /** The resolution the UNet was trained at, in pixels (its sample_size × 8). */
  nativeSize: number;
  /** Trained with few steps and no guidance (SD-Turbo, SDXL-Turbo). */
  distilled: boolean;
  defaults: DiffusionDefaults;
  /** Absolute paths: each part's folder or file. */
  parts: DiffusionParts;
  /** The scheduler config as the file holds it (parsed further by the schedulers). */
  schedulerConfig: Record<string, unknown>;
}

/** Config files are small; a larger one is not a config. */
const MAX_CONFIG_BYTES = 4 * 1024 * 1024;
/** Subfolders that make up the model (safety checker and feature extractor are not used). */
const PART_FOLDERS = ['scheduler', 'text_encoder', 'text_encoder_2', 'tokenizer', 'tokenizer_2', 'unet', 'vae_decoder', 'vae_encoder'] as const;

export async function readDiffusionFolder(dir: string): Promise<DiffusionFolder> {
  const index = await readConfig(dir, 'model_index.json');
  const has = (relative: string) => exists(path.join(dir, relative));
  for (const required of ['unet/model.onnx', 'text_encoder/model.onnx', 'vae_decoder/model.onnx', 'scheduler/scheduler_config.json']) {
    if (!(await has(required))) throw new DiffusionFolderError(`This Stable Diffusion folder has no ${required}; Reelgraph runs ONNX exports in the Optimum layout (optimum-cli export onnx).`);
  }
  const variant: DiffusionVariant = 'text_encoder_2' in index || (await has('text_encoder_2/model.onnx')) ? 'sdxl' : 'sd';
  if (variant === 'sdxl') {
    for (const required of ['text_encoder_2/model.onnx', 'tokenizer_2']) {
      if (!(await has(required))) throw new DiffusionFolderError(`This SDXL folder has no ${required}.`);
    }
  }
  for (const tokenizer of variant === 'sdxl' ? ['tokenizer', 'tokenizer_2'] : ['tokenizer']) {
    const complete = (await has(`${tokenizer}/tokenizer.json`)) || ((await has(`${tokenizer}/vocab.json`)) && (await has(`${tokenizer}/merges.txt`)));
    if (!complete) throw new DiffusionFolderError(`This Stable Diffusion folder's ${tokenizer}/ has neither tokenizer.json nor vocab.json with merges.txt.`);
  }
  const unetConfig = await readOptionalConfig(dir, 'unet/config.json');
  const vaeConfig = (await readOptionalConfig(dir, 'vae_decoder/config.json')) ?? {};
  const schedulerConfig = await readConfig(dir, 'scheduler/scheduler_config.json');
  const inChannels = positiveInteger(unetConfig?.in_channels ?? 4, 'unet/config.json', 'in_channels');
  if (inChannels !== 4 && inChannels !== 9) throw new DiffusionFolderError(`unet/config.json says in_channels ${inChannels}; Reelgraph runs UNets with 4 (text-to-image) or 9 (inpainting) input channels.`);
  const latentChannels = positiveInteger(vaeConfig.latent_channels ?? 4, 'vae_decoder/config.json', 'latent_channels');
  if (latentChannels !== 4) throw new DiffusionFolderError(`vae_decoder/config.json says latent_channels ${latentChannels}; Reelgraph runs the 4-channel latents of SD 1.x, 2.x and SDXL.`);
  const sampleSize = positiveInteger(unetConfig?.sample_size ?? (variant === 'sdxl' ? 128 : 64), 'unet/config.json', 'sample_size');
  const vaeScalingFactor = positiveNumber(vaeConfig.scaling_factor ?? (variant === 'sdxl' ? 0.13025 : 0.18215), 'vae_decoder/config.json', 'scaling_factor');
  const distilled = schedulerConfig.timestep_spacing === 'trailing';
  const isLcm = schedulerConfig._class_name === 'LCMScheduler';
  const defaults: DiffusionDefaults = distilled ? { steps: 1, guidance: 0 } : isLcm ? { steps: 4, guidance: 0 } : { steps: 25, guidance: variant === 'sdxl' ? 5 : 7.5 };
  const part = (relative: string) => path.join(dir, relative);
  return {
    dir,
    variant,
    inpaintingUnet: inChannels === 9,
    vaeScalingFactor,
    nativeSize: sampleSize * 8,
    distilled,
    defaults,
    parts: {
      textEncoder: part('text_encoder/model.onnx'),
      ...(variant === 'sdxl' ? { textEncoder2: part('text_encoder_2/model.onnx'), tokenizer2: part('tokenizer_2') } : {}),
      tokenizer: part('tokenizer'),
      unet: part('unet/model.onnx'),
      vaeDecoder: part('vae_decoder/model.onnx'),
      ...((await has('vae_encoder/model.onnx')) ? { vaeEncoder: part('vae_encoder/model.onnx') } : {}),
      schedulerConfig: part('scheduler/scheduler_config.json'),
    },
    schedulerConfig,
  };
}

/** The files that make up the model, relative to `dir`: model_index.json and everything in the parts' folders. */
export async function diffusionFiles(dir: string): Promise<string[]> {
  const files = ['model_index.json'];
  for (const folder of PART_FOLDERS) {
    const names = await readdir(path.join(dir, folder)).catch(() => [] as string[]);
    for (const name of names.sort()) {
      if ((await stat(path.join(dir, folder, name))).isFile()) files.push(`${folder}/${name}`);
    }
  }
  return files;
}

async function exists(file: string): Promise<boolean> {
  return stat(file).then(
    () => true,
    () => false,
  );
}

async function readConfig(dir: string, relative: string): Promise<Record<string, unknown>> {
  const file = path.join(dir, relative);
  const info = await stat(file).catch(() => undefined);
  if (!info?.isFile()) throw new DiffusionFolderError(`This Stable Diffusion folder has no ${relative}.`);
  if (info.size > MAX_CONFIG_BYTES) throw new DiffusionFolderError(`${relative} is ${info.size} bytes, too large for a config file.`);
  let parsed: unknown;
  try {
    parsed = JSON.parse(await readFile(file, 'utf8'));
  } catch (error) {
    throw new DiffusionFolderError(`${relative} is not valid JSON (${(error as Error).message}).`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new DiffusionFolderError(`${relative} does not hold a JSON object.`);
  return parsed as Record<string, unknown>;
}

async function readOptionalConfig(dir: string, relative: string): Promise<Record<string, unknown> | undefined> {
  return (await exists(path.join(dir, relative))) ? readConfig(dir, relative) : undefined;
}

function positiveInteger(value: unknown, file: string, field: string): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value <= 0) throw new DiffusionFolderError(`${file} says ${field} ${JSON.stringify(value)}, which is not a positive whole number.`);
  return value;
}

function positiveNumber(value: unknown, file: string, field: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) throw new DiffusionFolderError(`${file} says ${field} ${JSON.stringify(value)}, which is not a positive number.`);
  return value;
}
