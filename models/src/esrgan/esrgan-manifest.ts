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

/**
 * RDN psnr-small, shipped with the install through the ESRGAN legacy npm
 * package: a network trained for fidelity (PSNR) rather than texture, so a
 * shrunk photo enlarged back lands closer to the original than bicubic.
 * Its network is ×2; ×4 and ×8 run it two and three times.
 */
export const PSNR_SMALL_MODEL = {
  id: 'upscalerjs/psnr-small',
  name: 'RDN psnr-small (built in, faithful)',
  family: 'esrgan',
  tasks: ['upscale'],
  description:
    'A trained super-resolution network (RDN "psnr-small" from idealo\'s image-super-resolution, as UpscalerJS ships it) trained for fidelity: on a photo shrunk and enlarged back it is closer to the original than bicubic (+1.2 dB at ×2, +0.5 dB at ×4). ' +
    'It enlarges ×2, ×4 or ×8 (its ×2 network once, twice or three times) and is about 10–20 times slower than ESRGAN slim at ×2 and 35–50 times at ×4. ' +
    'It comes with the install (the @upscalerjs/esrgan-legacy npm package) and is converted to ONNX on first use; nothing is downloaded.',
  licence: 'MIT (the npm package, code and weights as shipped)',
  source: 'npm: @upscalerjs/esrgan-legacy 1.0.0, models/psnr-small (https://github.com/thekevinscott/upscaler; network from https://github.com/idealo/image-super-resolution)',
  files: [],
  scales: [2, 4, 8],
} as const satisfies ModelManifest;
