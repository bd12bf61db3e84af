/**
 * The family-neutral seam for upscaling: a node names a model id and a
 * scale and gets an Upscaler; which family runs it is decided here, from the
 * model's manifest, so nodes never import a family.
 */
import { EsrganUpscaler } from './esrgan/esrgan-upscaler.ts';
import type { RgbImage } from './frames.ts';
import { findModel } from './model-manifest.ts';
import { ModelUnavailableError } from './model-unavailable-error.ts';
import type { Device } from './runtime/device.ts';
import type { SessionPool } from './runtime/session-pool.ts';

export interface Upscaler {
  /** Output pixels per input pixel, along each side. */
  readonly scale: number;
  /** One frame, enlarged by `scale`; stops between tiles when `signal` aborts. */
  upscale(image: RgbImage, signal?: AbortSignal): Promise<RgbImage>;
}

export interface OpenUpscalerOptions {
  device?: Device;
  pool?: SessionPool;
  /** Input pixels per tile side, where the family tiles. */
  tile?: number;
}

export async function openUpscaler(modelId: string, scale: number, options: OpenUpscalerOptions = {}): Promise<Upscaler> {
  const model = findModel(modelId);
  if (!model) throw new ModelUnavailableError(`No model "${modelId}" is installed.`);
  switch (model.family) {
    case 'esrgan':
      return EsrganUpscaler.open(scale, { ...options, ...(model.folder ? { folder: model.folder } : { model: model.id }) });
    case 'procedural':
    case 'rife':
    case 'diffusion':
      throw new ModelUnavailableError(`"${modelId}" is not an upscaling model.`);
  }
}
