/**
 * The family-neutral seam for frame interpolation: a node names a model id
 * and gets an Interpolator; which family runs it is decided here, from the
 * model's manifest, so nodes never import a family.
 */
import type { RgbImage } from './frames.ts';
import { findModel } from './model-manifest.ts';
import { ModelUnavailableError } from './model-unavailable-error.ts';
import { RifeInterpolator } from './rife/rife-interpolator.ts';
import type { Device } from './runtime/device.ts';
import type { SessionPool } from './runtime/session-pool.ts';

export interface Interpolator {
  /** The frame at time `t` (0 < t < 1) between `first` (t = 0) and `second` (t = 1), of the same size. */
  between(first: RgbImage, second: RgbImage, t: number, signal?: AbortSignal): Promise<RgbImage>;
}

export interface OpenInterpolatorOptions {
  device?: Device;
  pool?: SessionPool;
}

export async function openInterpolator(modelId: string, options: OpenInterpolatorOptions = {}): Promise<Interpolator> {
  const model = findModel(modelId);
  if (!model) throw new ModelUnavailableError(`No model "${modelId}" is installed.`);
  switch (model.family) {
    case 'rife':
      return RifeInterpolator.open({ ...options, ...(model.folder ? { folder: model.folder } : {}) });
    case 'procedural':
    case 'esrgan':
    case 'diffusion':
      throw new ModelUnavailableError(`"${modelId}" is not a frame-interpolation model.`);
  }
}
