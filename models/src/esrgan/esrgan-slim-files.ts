/**
 * Where the ESRGAN-slim weights that ship with the install are: the
 * `@upscalerjs/esrgan-slim` npm package (MIT code and weights), a TensorFlow.js
 * layers model per scale under `models/x2`, `x3`, `x4` and `x8`.
 */
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { readLayersModelFiles } from './layers-model.ts';

export const ESRGAN_SLIM_SCALES = [2, 3, 4, 8] as const;
export type EsrganSlimScale = (typeof ESRGAN_SLIM_SCALES)[number];

const PACKAGE = '@upscalerjs/esrgan-slim';

/** The package's folder (its exports map hides package.json, so walk up from its entry point). */
export function esrganSlimFolder(): string {
  let dir = path.dirname(createRequire(import.meta.url).resolve(PACKAGE));
  for (;;) {
    const manifest = path.join(dir, 'package.json');
    if (existsSync(manifest) && (JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string }).name === PACKAGE) return dir;
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error(`${PACKAGE} is not installed beside @reelgraph/models; run the install again.`);
    dir = parent;
  }
}

/** model.json and its weight shards for one scale. */
export function esrganSlimFiles(scale: EsrganSlimScale): { modelJson: unknown; shards: Uint8Array[] } {
  return readLayersModelFiles(path.join(esrganSlimFolder(), 'models', `x${scale}`));
}
