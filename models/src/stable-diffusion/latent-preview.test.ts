/**
 * The live-step preview's fixed 4→3 map, checked against the latents a real
 * SD-latent VAE encoder makes of a photo: the preview of those latents must
 * look like the photo shrunk to latent size (8×8 box averages).
 *
 * The encoder (VAElight, Apache-2.0) and its test picture are test data kept
 * outside the repository, at ../shared/models/vaelight (see
 * ../shared/models/README.md); without that folder the test skips. The JPEG is
 * decoded by the ffmpeg binary the nodes package finds (a test-only import:
 * models does not depend on nodes).
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import * as ort from 'onnxruntime-node';
import { beforeAll, describe, expect, it } from 'vitest';
import { ffmpegPath } from '../../../nodes/src/media/ffmpeg-binary.ts';
import { latentPreview } from './latent-preview.ts';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const vaelight = path.resolve(repoRoot, '../shared/models/vaelight');
const encoderFile = path.join(vaelight, 'VAEencoder.onnx');
const pictureFile = path.join(vaelight, 'example1.jpg');
const present = existsSync(encoderFile) && existsSync(pictureFile);
if (!present) console.warn(`latent-preview.test.ts: skipped — the real SD-latent VAE is not at ${vaelight} (test data outside the repository, see ../shared/models/README.md).`);

const SIZE = 512;
const LATENT = SIZE / 8;
/** SD 1.x/2.x's VAE scaling factor: the encoder's latents times this are what a UNet (and the preview) sees. */
const SCALING = 0.18215;

/**
 * Measured with onnxruntime-node 1.30.0 on CPU: correlation R 0.945, G 0.959,
 * B 0.889 and 19.2 dB (the preview is bluer than the photo: mean B 110 where
 * the photo's is 86). The bounds leave a margin; every wrong reading checked
 * below scores 12.9 dB or less.
 */
const MIN_CORRELATION = 0.85;
const MIN_PSNR_DB = 17;
/** What a wrong map or wrong latents must stay under. */
const WRONG_PSNR_DB = 14.5;

async function decodeRgb(file: string): Promise<Uint8Array> {
  const { stdout } = await promisify(execFile)(ffmpegPath(), ['-hide_banner', '-loglevel', 'error', '-nostdin', '-i', `file:${file}`, '-frames:v', '1', '-f', 'rawvideo', '-pix_fmt', 'rgb24', 'pipe:1'], {
    encoding: 'buffer',
    maxBuffer: 64 * 2 ** 20,
  });
  return new Uint8Array(stdout);
}

/** RGB24 [size, size] → RGB24 [size/8, size/8] of 8×8 block means. */
function boxAverage(pixels: Uint8Array, size: number): Uint8Array {
  const small = size / 8;
  const out = new Uint8Array(small * small * 3);
  for (let y = 0; y < small; y++) {
    for (let x = 0; x < small; x++) {
      for (let c = 0; c < 3; c++) {
        let sum = 0;
        for (let dy = 0; dy < 8; dy++) for (let dx = 0; dx < 8; dx++) sum += pixels[((y * 8 + dy) * size + x * 8 + dx) * 3 + c]!;
        out[(y * small + x) * 3 + c] = Math.round(sum / 64);
      }
    }
  }
  return out;
}

/** RGB24 → planar [3, h, w] in [-1, 1]. */
function signedPlanar(pixels: Uint8Array): Float32Array {
  const plane = pixels.length / 3;
  const planar = new Float32Array(pixels.length);
  for (let i = 0; i < plane; i++) for (let c = 0; c < 3; c++) planar[c * plane + i] = pixels[i * 3 + c]! / 127.5 - 1;
  return planar;
}

/** Pearson correlation of channel `c` of two RGB24 images. */
function correlation(a: Uint8Array, b: Uint8Array, c: number): number {
  const n = a.length / 3;
  let [sa, sb, saa, sbb, sab] = [0, 0, 0, 0, 0];
  for (let i = 0; i < n; i++) {
    const [x, y] = [a[i * 3 + c]!, b[i * 3 + c]!];
    sa += x;
    sb += y;
    saa += x * x;
    sbb += y * y;
    sab += x * y;
  }
  const cov = sab / n - (sa / n) * (sb / n);
  return cov / Math.sqrt((saa / n - (sa / n) ** 2) * (sbb / n - (sb / n) ** 2));
}

function psnr(a: Uint8Array, b: Uint8Array): number {
  let squared = 0;
  for (let i = 0; i < a.length; i++) squared += (a[i]! - b[i]!) ** 2;
  return 10 * Math.log10((255 * 255) / (squared / a.length));
}

/** Scaled latents [4, h, w] with their channels reordered: channel k of the result is channel order[k] of the input. */
function permuteChannels(latents: Float32Array, order: readonly number[]): Float32Array {
  const plane = latents.length / 4;
  const out = new Float32Array(latents.length);
  order.forEach((from, to) => out.set(latents.subarray(from * plane, (from + 1) * plane), to * plane));
  return out;
}

function score(preview: Uint8Array, reference: Uint8Array) {
  return { correlations: [0, 1, 2].map((c) => correlation(preview, reference, c)), psnr: psnr(preview, reference) };
}

describe.skipIf(!present)('latentPreview against a real SD-latent VAE (VAElight)', () => {
  let latents: Float32Array;
  let reference: Uint8Array;

  beforeAll(async () => {
    const pixels = await decodeRgb(pictureFile);
    expect(pixels.length).toBe(SIZE * SIZE * 3);
    reference = boxAverage(pixels, SIZE);
    const session = await ort.InferenceSession.create(encoderFile, { executionProviders: ['cpu'] });
    try {
      const outputs = await session.run({ input: new ort.Tensor('float32', signedPlanar(pixels), [1, 3, SIZE, SIZE]) });
      const latent = outputs.latent!;
      expect(latent.dims).toEqual([1, 4, LATENT, LATENT]);
      latents = (latent.data as Float32Array).map((value) => value * SCALING);
    } finally {
      await session.release();
    }
  });

  it('previews the latents of a photo as the photo at latent size', () => {
    const preview = latentPreview(latents, LATENT, LATENT);
    expect([preview.width, preview.height]).toEqual([LATENT, LATENT]);
    const { correlations, psnr: db } = score(preview.pixels, reference);
    console.info(`latent preview vs 8×8 box average: correlation R ${correlations[0]!.toFixed(3)} G ${correlations[1]!.toFixed(3)} B ${correlations[2]!.toFixed(3)}, PSNR ${db.toFixed(2)} dB`);
    for (const r of correlations) expect(r).toBeGreaterThan(MIN_CORRELATION);
    expect(db).toBeGreaterThan(MIN_PSNR_DB);
  });

  it('scores far worse with the latent channels in another order (the map is specific to them)', () => {
    // Channels 0 and 1 both map to roughly luminance ([0.298, 0.207, 0.208] and [0.187, 0.286, 0.173]),
    // so swapping only those two still passes (18.9 dB): this photo cannot tell them apart. Every other order fails.
    const orders = permutations([0, 1, 2, 3]).filter((order) => order.some((from, to) => from !== to) && order.join() !== '1,0,2,3');
    const scores = orders.map((order) => ({ order, ...score(latentPreview(permuteChannels(latents, order), LATENT, LATENT).pixels, reference) }));
    const worstCorrelation = (s: { correlations: number[] }) => Math.min(...s.correlations);
    const best = scores.reduce((a, b) => (b.psnr > a.psnr ? b : a));
    console.info(`best of ${orders.length} channel orders: [${best.order.join(',')}] at ${best.psnr.toFixed(2)} dB; highest lowest-channel correlation ${Math.max(...scores.map(worstCorrelation)).toFixed(3)}`);
    for (const s of scores) {
      expect(s.psnr, `order [${s.order.join(',')}]`).toBeLessThan(WRONG_PSNR_DB);
      expect(worstCorrelation(s), `order [${s.order.join(',')}]`).toBeLessThan(MIN_CORRELATION);
    }
  });

  it('scores far worse on unscaled latents (the encoder output without the 0.18215)', () => {
    const unscaled = score(latentPreview(latents.map((value) => value / SCALING), LATENT, LATENT).pixels, reference);
    console.info(`unscaled latents: ${unscaled.psnr.toFixed(2)} dB`);
    expect(unscaled.psnr).toBeLessThan(WRONG_PSNR_DB);
  });
});

function permutations(items: readonly number[]): number[][] {
  if (items.length <= 1) return [[...items]];
  return items.flatMap((item, i) => permutations([...items.slice(0, i), ...items.slice(i + 1)]).map((rest) => [item, ...rest]));
}
