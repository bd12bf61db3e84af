/**
 * The conversion is exact: the ONNX graph on onnxruntime against the original
 * layers model on TensorFlow.js (the pure-JS CPU backend), on the same
 * patches, for every scale that ships.
 */
import * as tf from '@tensorflow/tfjs';
import * as ort from 'onnxruntime-node';
import { beforeAll, describe, expect, it } from 'vitest';
import { seededRandom } from '../procedural/seeded-random.ts';
import { esrganGraph } from './esrgan-graph.ts';
import { esrganSlimFiles, ESRGAN_SLIM_SCALES } from './esrgan-slim-files.ts';
import { LayersModelError, readLayersModel } from './layers-model.ts';

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

  it('refuses an activation it does not know', () => {
    const json = edited((m) => (m.modelTopology.model_config.config.layers[1]!.config.activation = 'swish'));
    expect(() => readLayersModel(json, shards)).toThrow('uses activation swish in "F_m1"');
  });
});
