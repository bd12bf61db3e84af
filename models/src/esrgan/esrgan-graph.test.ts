/**
 * The conversion is exact: the ONNX graph on onnxruntime against the original
 * layers model on TensorFlow.js (the pure-JS CPU backend), on the same
 * patches, for every scale that ships.
 */
import * as tf from '@tensorflow/tfjs';
import * as ort from 'onnxruntime-node';
import { beforeAll, describe, expect, it } from 'vitest';
import { seededRandom } from '../procedural/seeded-random.ts';
import { esrganGraph, receptiveRadius } from './esrgan-graph.ts';
import { esrganSlimFiles, ESRGAN_SLIM_SCALES } from './esrgan-slim-files.ts';
import { LayersModelError, readLayersModel } from './layers-model.ts';
import { psnrSmallFiles } from './psnr-small-files.ts';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

/** The original network, loaded by TensorFlow.js from the same files. */
async function tfjsModel(modelJson: unknown, shards: Uint8Array[]): Promise<tf.LayersModel> {
  const json = modelJson as { modelTopology: object; weightsManifest: { weights: tf.io.WeightsManifestEntry[] }[] };
  const weightData = new Uint8Array(shards.reduce((sum, s) => sum + s.byteLength, 0));
  let offset = 0;
  for (const shard of shards) {
    weightData.set(shard, offset);
    offset += shard.byteLength;
  }
  return tf.loadLayersModel({
    load: async () => ({ modelTopology: json.modelTopology, weightSpecs: json.weightsManifest.flatMap((g) => g.weights), weightData: weightData.buffer }),
  });
}

/** A patch of a photo-like scene: smooth gradients, an edge and noise, values 0–255, NHWC. */
function patch(height: number, width: number, seed: number): Float32Array {
  const random = seededRandom(seed);
  const out = new Float32Array(height * width * 3);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      for (let c = 0; c < 3; c++) {
        const edge = x > width / 2 + y / 3 ? 80 : 0;
        out[(y * width + x) * 3 + c] = Math.min(255, Math.max(0, 40 + 10 * x + 6 * y * (c + 1) - edge + 20 * random()));
      }
    }
  }
  return out;
}

function nhwcToNchw(data: Float32Array, height: number, width: number): Float32Array {
  const out = new Float32Array(data.length);
  for (let i = 0; i < height * width; i++) for (let c = 0; c < 3; c++) out[c * height * width + i] = data[i * 3 + c]!;
  return out;
}

describe('ESRGAN-slim converted to ONNX', () => {
  for (const scale of ESRGAN_SLIM_SCALES) {
    it(`matches TensorFlow.js within 1e-3 at ×${scale}`, async () => {
      const { modelJson, shards } = esrganSlimFiles(scale);
      const converted = esrganGraph(readLayersModel(modelJson, shards));
      expect(converted.scale).toBe(scale);
      const [height, width] = [12, 16];
      const input = patch(height, width, scale);

      const reference = await tfjsModel(modelJson, shards);
      const expected = tf.tidy(() => (reference.predict(tf.tensor4d(input, [1, height, width, 3])) as tf.Tensor).transpose([0, 3, 1, 2]).dataSync());
      reference.dispose();

      const session = await ort.InferenceSession.create(converted.onnx);
      const { SR } = await session.run({ LR: new ort.Tensor('float32', nhwcToNchw(input, height, width), [1, 3, height, width]) });
      expect(SR!.dims).toEqual([1, 3, height * scale, width * scale]);
      const actual = SR!.data as Float32Array;
      expect(actual.length).toBe(expected.length);
      let worst = 0;
      for (let i = 0; i < actual.length; i++) worst = Math.max(worst, Math.abs(actual[i]! - expected[i]!));
      expect(worst).toBeLessThanOrEqual(1e-3);
      // Not a trivially flat output: the network draws the patch's edge at the larger size.
      const values = Array.from(actual.subarray(0, height * scale * width * scale));
      expect(Math.max(...values) - Math.min(...values)).toBeGreaterThan(50);
      await session.release();
    });
  }
});

describe('RDN psnr-small (uint8-quantized weights) converted to ONNX', () => {
  it('matches TensorFlow.js, which expands the quantized weights itself, on pixels ÷ 255', async () => {
    const { modelJson, shards } = psnrSmallFiles();
    const model = readLayersModel(modelJson, shards);
    const converted = esrganGraph(model);
    expect(converted.scale).toBe(2);
    const [height, width] = [12, 16];
    const input = patch(height, width, 7).map((v) => v / 255);

    const reference = await tfjsModel(modelJson, shards);
    const expected = tf.tidy(() => (reference.predict(tf.tensor4d(input, [1, height, width, 3])) as tf.Tensor).transpose([0, 3, 1, 2]).dataSync());
    reference.dispose();

    const session = await ort.InferenceSession.create(converted.onnx);
    const { SR } = await session.run({ LR: new ort.Tensor('float32', nhwcToNchw(input, height, width), [1, 3, height, width]) });
    expect(SR!.dims).toEqual([1, 3, height * 2, width * 2]);
    const actual = SR!.data as Float32Array;
    let worst = 0;
    for (let i = 0; i < actual.length; i++) worst = Math.max(worst, Math.abs(actual[i]! - expected[i]!));
    // The same bound as ESRGAN slim's, on its 0–255 scale: this network works on 0–1.
    expect(worst * 255).toBeLessThanOrEqual(1e-3);
    const values = Array.from(actual.subarray(0, height * 2 * width * 2));
    expect(Math.max(...values) - Math.min(...values)).toBeGreaterThan(50 / 255);
    await session.release();
  });

  it('wraps a 0–1 network for frames: pixels ÷ 255 in, × 255 out', async () => {
    const { modelJson, shards } = psnrSmallFiles();
    const model = readLayersModel(modelJson, shards);
    const [height, width] = [10, 9];
    const pixels = Uint8Array.from(patch(height, width, 3), (v) => Math.round(v));
    const float = await ort.InferenceSession.create(esrganGraph(model).onnx);
    const { SR } = await float.run({ LR: new ort.Tensor('float32', nhwcToNchw(Float32Array.from(pixels, (v) => v / 255), height, width), [1, 3, height, width]) });
    const wrapped = await ort.InferenceSession.create(esrganGraph(model, { io: 'pixels', range: 1 }).onnx);
    const { out } = await wrapped.run({ pixels: new ort.Tensor('uint8', pixels, [1, height, width, 3]) });
    const sr = SR!.data as Float32Array;
    const got = out!.data as Uint8Array;
    const plane = height * 2 * width * 2;
    let worst = 0;
    for (let i = 0; i < plane; i++) {
      for (let c = 0; c < 3; c++) worst = Math.max(worst, Math.abs(got[i * 3 + c]! - Math.min(255, Math.max(0, sr[c * plane + i]! * 255))));
    }
    expect(worst).toBeLessThanOrEqual(0.5 + 1e-3);
    await float.release();
    await wrapped.release();
  });
});

describe('receptive radius', () => {
  it('is what the layers reach: 10 for ESRGAN slim at every scale, 38 for psnr-small', () => {
    // ESRGAN slim: 3×3 and 5×5 convolutions at input resolution (1+1+1+1+1+2+1+1; 1×1 ones add none), and a 3×3 after upsampling (one input pixel at worst).
    for (const scale of ESRGAN_SLIM_SCALES) {
      const { modelJson, shards } = esrganSlimFiles(scale);
      expect(receptiveRadius(readLayersModel(modelJson, shards)), `×${scale}`).toBe(10);
    }
    // psnr-small: two 3×3, ten dense blocks of three 3×3, a 3×3 after the fusion, a 5×5 and two 3×3 before upsampling (1+1+30+1+2+1+1), a 3×3 after (one more).
    const { modelJson, shards } = psnrSmallFiles();
    expect(receptiveRadius(readLayersModel(modelJson, shards))).toBe(38);
  });
});

describe('reading a layers model', () => {
  const { modelJson, shards } = esrganSlimFiles(2);
  const edited = (edit: (json: { modelTopology: { model_config: { config: { layers: { class_name: string; config: Record<string, unknown> }[] } } } }) => void) => {
    const copy = structuredClone(modelJson) as Parameters<Parameters<typeof edited>[0]>[0];
    edit(copy);
    return copy;
  };

  it('refuses a layer kind it cannot convert, naming it', () => {
    const json = edited((m) => (m.modelTopology.model_config.config.layers[1]!.class_name = 'SeparableConv2D'));
    expect(() => readLayersModel(json, shards)).toThrow(new LayersModelError(`The model's model.json has a layer kind Reelgraph cannot convert: SeparableConv2D ("F_m1").`));
  });

  it('refuses weight files that do not hold what the manifest lists', () => {
    expect(() => readLayersModel(modelJson, [shards[0]!.subarray(0, shards[0]!.byteLength - 4)])).toThrow(/needs more weight bytes than its files hold/);
    expect(() => readLayersModel(modelJson, [])).toThrow("The model's model.json lists 1 weight files, and 0 were given.");
    expect(() => readLayersModel({ format: 'graph-model' }, shards)).toThrow('is not a TensorFlow.js layers model');
  });

  it('refuses quantized weights it cannot expand', () => {
    const { modelJson: legacyJson, shards: legacyShards } = psnrSmallFiles();
    const quantized = (edit: (q: Record<string, unknown>) => void) => {
      const copy = structuredClone(legacyJson) as { weightsManifest: { weights: { quantization: Record<string, unknown> }[] }[] };
      edit(copy.weightsManifest[0]!.weights[0]!.quantization);
      return copy;
    };
    expect(() => readLayersModel(quantized((q) => (q.dtype = 'float16')), legacyShards)).toThrow('quantizes "F_0/kernel" as float16, not uint8 or uint16');
    expect(() => readLayersModel(quantized((q) => delete q.scale), legacyShards)).toThrow('quantizes "F_0/kernel" without a finite min and scale');
    expect(() => readLayersModel(legacyJson, [legacyShards[0]!.subarray(1)])).toThrow(/needs more weight bytes than its files hold|lists \d+ weight bytes/);
  });

  it('refuses an activation it does not know', () => {
    const json = edited((m) => (m.modelTopology.model_config.config.layers[1]!.config.activation = 'swish'));
    expect(() => readLayersModel(json, shards)).toThrow('uses activation swish in "F_m1"');
  });
});
