/**
 * A live preview of a denoising step without a VAE call: each latent pixel
 * becomes one RGB pixel by a fixed linear map of its four channels. The map
 * is keturn's least-squares approximation for the SD 1.x/2.x VAE (2022, as
 * most UIs use it); SDXL's latent space is close enough for a preview, which
 * is rougher there. The test checks it against the real latents of a photo.
 */
import type { RgbImage } from '../frames.ts';

/** Rows: latent channels 0..3; columns: their weight in R, G, B (for scaled latents, as the UNet sees them). */
const LATENT_TO_RGB: readonly (readonly [number, number, number])[] = [
  [0.298, 0.207, 0.208],
  [0.187, 0.286, 0.173],
  [-0.158, 0.189, 0.264],
  [-0.184, -0.271, -0.473],
];

/** RGB24 at latent size (1/8 of the frame) of scaled latents [1, 4, height, width]. */
export function latentPreview(latents: Float32Array, width: number, height: number): RgbImage {
  const plane = width * height;
  const pixels = new Uint8Array(plane * 3);
  for (let i = 0; i < plane; i++) {
    for (let c = 0; c < 3; c++) {
      let value = 0;
      for (let channel = 0; channel < 4; channel++) value += latents[channel * plane + i]! * LATENT_TO_RGB[channel]![c]!;
      pixels[i * 3 + c] = Math.round(Math.min(1, Math.max(0, (value + 1) / 2)) * 255);
    }
  }
  return { width, height, pixels };
}
