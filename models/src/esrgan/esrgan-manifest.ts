import type { ModelManifest } from '../model-manifest.ts';

/** ESRGAN-slim, shipped with the install through its npm package. */
export const ESRGAN_SLIM_MODEL = {
  id: 'upscalerjs/esrgan-slim',
  name: 'ESRGAN slim (built in)',
  family: 'esrgan',
  tasks: ['upscale'],
  description:
    'A small trained super-resolution network (ESRGAN, slim variant, from UpscalerJS) that enlarges each frame ×2, ×3, ×4 or ×8 and sharpens the detail it infers. ' +
    'It comes with the install (the @upscalerjs/esrgan-slim npm package) and is converted to ONNX on first use; nothing is downloaded.',
  licence: 'MIT (code and weights)',
  source: 'npm: @upscalerjs/esrgan-slim 1.0.0 (https://github.com/thekevinscott/upscaler)',
  files: [],
  scales: [2, 3, 4, 8],
} as const satisfies ModelManifest;
