/**
 * The upscale network on this machine: ESRGAN slim ×4 on a 160×90 frame,
 * converted to ONNX and run by onnxruntime (tiled, on the device chooseDevice
 * picks), against its reference implementation, TensorFlow.js running the
 * original layers model on the same frame (the pure-JS CPU backend, the one
 * that installs everywhere; tfjs-node would be faster and needs a download).
 * The frame is small because TensorFlow.js takes minutes on a 640×360 one;
 * onnxruntime does 640×360 ×4 in about 2 s here.
 */
import * as tf from '@tensorflow/tfjs';
import { openUpscaler, type Upscaler } from '@reelgraph/models';
import { esrganSlimFiles } from '@reelgraph/models/esrgan-slim-files';
import type { BenchCase } from './bench-harness.ts';

const [WIDTH, HEIGHT, SCALE] = [160, 90, 4] as const;

export function upscaleCase(): BenchCase {
  let upscaler: Upscaler;
  let reference: tf.LayersModel;
  const pixels = new Uint8Array(WIDTH * HEIGHT * 3).map((_, i) => (Math.floor(i / 3) % WIDTH) + ((i * 7) % 31));
  return {
    name: `upscale ×${SCALE} of a ${WIDTH}×${HEIGHT} frame, ESRGAN slim`,
    baselineName: 'TensorFlow.js (CPU), same model',
    runs: 3,
    async setup() {
      upscaler = await openUpscaler('upscalerjs/esrgan-slim', SCALE);
      const { modelJson, shards } = esrganSlimFiles(SCALE);
      const json = modelJson as { modelTopology: object; weightsManifest: { weights: tf.io.WeightsManifestEntry[] }[] };
      const weightData = new Uint8Array(Buffer.concat(shards)).buffer;
      await tf.setBackend('cpu');
      reference = await tf.loadLayersModel({ load: async () => ({ modelTopology: json.modelTopology, weightSpecs: json.weightsManifest.flatMap((g) => g.weights), weightData }) });
    },
    async teardown() {
      reference.dispose();
    },
    async subject() {
      await upscaler.upscale({ width: WIDTH, height: HEIGHT, pixels });
    },
    async baseline() {
      const out = tf.tidy(() => tf.clipByValue(tf.round(reference.predict(tf.tensor4d(Float32Array.from(pixels), [1, HEIGHT, WIDTH, 3])) as tf.Tensor), 0, 255).toInt());
      await out.data();
      out.dispose();
    },
    detail: (ms, baselineMs) => `${(1000 / ms).toFixed(2)} fps vs ${(1000 / baselineMs).toFixed(2)} fps`,
  };
}
