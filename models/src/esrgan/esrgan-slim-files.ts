/**
 * Where the ESRGAN-slim weights that ship with the install are: the
 * `@upscalerjs/esrgan-slim` npm package (MIT code and weights), a TensorFlow.js
 * layers model per scale under `models/x2`, `x3`, `x4` and `x8`.
 */
import path from 'node:path';
import { readLayersModelFiles } from './layers-model.ts';
import { packageFolder } from './package-folder.ts';

export const ESRGAN_SLIM_SCALES = [2, 3, 4, 8] as const;
export type EsrganSlimScale = (typeof ESRGAN_SLIM_SCALES)[number];

/** The package's folder. */
export function esrganSlimFolder(): string {
  return packageFolder('@upscalerjs/esrgan-slim');
}

/** model.json and its weight shards for one scale. */
export function esrganSlimFiles(scale: EsrganSlimScale): { modelJson: unknown; shards: Uint8Array[] } {
  return readLayersModelFiles(path.join(esrganSlimFolder(), 'models', `x${scale}`));
}
