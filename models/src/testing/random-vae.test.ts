import * as ort from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import { NARROW_VAE, randomVaeGraphs, SD_VAE, vaeParameterCount } from './random-vae.ts';

describe('the random-weight Stable Diffusion VAE', () => {
  it('has the parameter count of SD’s real VAE at its width', () => {
    // diffusers' AutoencoderKL (kl-f8, as in stabilityai/sd-turbo's vae/): encoder, quant convs and decoder.
    expect(vaeParameterCount(SD_VAE)).toBe(83_653_863);
  });

  it('encodes a picture to an eighth of its size in mean and log-variance, and decodes latents to eight times theirs', async () => {
    const { encoder, decoder } = randomVaeGraphs(NARROW_VAE, 7);
    const [encode, decode] = await Promise.all([ort.InferenceSession.create(encoder.build()), ort.InferenceSession.create(decoder.build())]);
    try {
      const picture = Float32Array.from({ length: 3 * 64 * 96 }, (_, i) => Math.sin(i * 0.01));
      const latents = (await encode.run({ sample: new ort.Tensor('float32', picture, [1, 3, 64, 96]) })).latent_parameters!;
      expect(latents.dims).toEqual([1, 8, 8, 12]);
      const decoded = (await decode.run({ latent_sample: new ort.Tensor('float32', (latents.data as Float32Array).slice(0, 4 * 96), [1, 4, 8, 12]) })).sample!;
      expect(decoded.dims).toEqual([1, 3, 64, 96]);
      expect((decoded.data as Float32Array).every(Number.isFinite)).toBe(true);
    } finally {
      await Promise.all([encode.release(), decode.release()]);
    }
  });
});
