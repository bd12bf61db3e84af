/**
 * A TensorFlow.js layers model (`model.json` + weight shards) read as plain
 * data: the Keras functional topology narrowed to the layers an ESRGAN-style
 * network uses, and its weights as Float32Arrays by name (float32, or
 * TensorFlow.js' uint8/uint16 quantization expanded as tfjs expands it).
 * Anything else (a layer kind, dtype, padding or activation not handled, a
 * shard of the wrong size) is refused in a sentence naming it, because the
 * file may come from anywhere a person found it.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';

export type LayersModelLayer =
  | { kind: 'input'; name: string; channels: number }
  | {
      kind: 'conv2d';
      name: string;
      input: string;
      filters: number;
      kernel: [number, number];
      padding: 'same' | 'valid';
      activation: 'linear' | 'relu';
      useBias: boolean;
    }
  | { kind: 'relu'; name: string; input: string }
  | { kind: 'concat'; name: string; inputs: string[] }
  | { kind: 'add'; name: string; inputs: string[] }
  | { kind: 'upsample'; name: string; input: string; size: [number, number] };

export interface LayersModel {
  /** In topological order, as Keras lists them. */
  layers: LayersModelLayer[];
  output: string;
  weights: Map<string, { shape: number[]; values: Float32Array }>;
}

export class LayersModelError extends Error {
  override name = 'LayersModelError';
}

interface KerasLayer {
  class_name: string;
  name: string;
  config: Record<string, unknown>;
  inbound_nodes: unknown[][][];
}

interface WeightsManifestGroup {
  paths: string[];
  weights: { name: string; shape: number[]; dtype: string; quantization?: { dtype?: string; min?: number; scale?: number } }[];
}

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

function fail(message: string): never {
  throw new LayersModelError(`The model's model.json ${message}.`);
}

function inboundNames(layer: KerasLayer): string[] {
  const nodes = layer.inbound_nodes;
  if (!Array.isArray(nodes) || nodes.length !== 1 || !Array.isArray(nodes[0])) fail(`gives layer "${layer.name}" other than one inbound node`);
  return nodes[0].map((inbound) => {
    if (!Array.isArray(inbound) || typeof inbound[0] !== 'string') fail(`names an input of layer "${layer.name}" unreadably`);
    return inbound[0];
  });
}

function pair(value: unknown, what: string): [number, number] {
  if (!Array.isArray(value) || value.length !== 2 || !value.every((n) => Number.isInteger(n) && n > 0 && n <= 64)) fail(`gives ${what} as ${JSON.stringify(value)}`);
  return [value[0], value[1]];
}

function single(names: string[], layer: KerasLayer): string {
  if (names.length !== 1) fail(`gives layer "${layer.name}" ${names.length} inputs, not one`);
  return names[0]!;
}

function layerOf(layer: KerasLayer): LayersModelLayer {
  const { config } = layer;
  const name = layer.name;
  switch (layer.class_name) {
    case 'InputLayer': {
      const shape = config.batch_input_shape;
      if (!Array.isArray(shape) || shape.length !== 4 || !Number.isInteger(shape[3])) fail(`gives input "${name}" a shape other than (batch, height, width, channels)`);
      return { kind: 'input', name, channels: shape[3] as number };
    }
    case 'Conv2D': {
      if ((config.data_format ?? 'channels_last') !== 'channels_last') fail(`uses data format ${String(config.data_format)} in "${name}"`);
      if (config.padding !== 'same' && config.padding !== 'valid') fail(`uses padding ${String(config.padding)} in "${name}"`);
      if (config.activation !== 'linear' && config.activation !== 'relu') fail(`uses activation ${String(config.activation)} in "${name}"`);
      const strides = pair(config.strides ?? [1, 1], `the strides of "${name}"`);
      const dilation = pair(config.dilation_rate ?? [1, 1], `the dilation of "${name}"`);
      if (strides.some((s) => s !== 1) || dilation.some((d) => d !== 1)) fail(`uses strides or dilation other than 1 in "${name}"`);
      const kernel = pair(config.kernel_size, `the kernel size of "${name}"`);
      if (config.padding === 'same' && kernel.some((k) => k % 2 === 0)) fail(`pads an even kernel "same" in "${name}"`);
      if (!Number.isInteger(config.filters) || (config.filters as number) < 1) fail(`gives "${name}" ${String(config.filters)} filters`);
      return {
        kind: 'conv2d',
        name,
        input: single(inboundNames(layer), layer),
        filters: config.filters as number,
        kernel,
        padding: config.padding,
        activation: config.activation,
        useBias: config.use_bias !== false,
      };
    }
    case 'Activation':
    case 'ReLU':
      if (layer.class_name === 'Activation' && config.activation !== 'relu') fail(`uses activation ${String(config.activation)} in "${name}"`);
      return { kind: 'relu', name, input: single(inboundNames(layer), layer) };
    case 'Concatenate':
      if (config.axis !== 3 && config.axis !== -1) fail(`concatenates "${name}" along axis ${String(config.axis)}, not channels`);
      return { kind: 'concat', name, inputs: inboundNames(layer) };
    case 'Add':
      return { kind: 'add', name, inputs: inboundNames(layer) };
    case 'UpSampling2D':
      if ((config.interpolation ?? 'nearest') !== 'nearest') fail(`upsamples "${name}" by ${String(config.interpolation)}, not nearest`);
      return { kind: 'upsample', name, input: single(inboundNames(layer), layer), size: pair(config.size, `the size of "${name}"`) };
    default:
      return fail(`has a layer kind Reelgraph cannot convert: ${layer.class_name} ("${name}")`);
  }
}

/**
 * A layers model's files from `dir`: `model.json` and its weight shards, in
 * the manifest's order. A shard named outside the folder is refused.
 */
export function readLayersModelFiles(dir: string): { modelJson: unknown; shards: Uint8Array[] } {
  let modelJson: { weightsManifest?: { paths?: unknown }[] };
  try {
    modelJson = JSON.parse(readFileSync(path.join(dir, 'model.json'), 'utf8'));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw error;
    fail('is not JSON');
  }
  const paths = (Array.isArray(modelJson.weightsManifest) ? modelJson.weightsManifest : []).flatMap((group) => (Array.isArray(group?.paths) ? group.paths : []));
  const shards = paths.map((shard) => {
    if (typeof shard !== 'string' || path.basename(shard) !== shard) fail(`names a weight file "${String(shard)}" outside its folder`);
    return new Uint8Array(readFileSync(path.join(dir, shard)));
  });
  return { modelJson, shards };
}

/** Reads `model.json` (parsed) and its shards (in the order of `paths`). */
export function readLayersModel(modelJson: unknown, shards: readonly Uint8Array[]): LayersModel {
  if (!isRecord(modelJson) || modelJson.format !== 'layers-model') fail('is not a TensorFlow.js layers model');
  const topology = modelJson.modelTopology;
  const modelConfig = isRecord(topology) ? (isRecord(topology.model_config) ? topology.model_config : topology) : undefined;
  const config = modelConfig && isRecord(modelConfig.config) ? modelConfig.config : undefined;
  if (!config || !Array.isArray(config.layers)) fail('holds no layer list');
  const layers = (config.layers as KerasLayer[]).map((layer) => {
    if (!isRecord(layer) || typeof layer.name !== 'string' || !isRecord(layer.config)) fail('holds a layer without a name or config');
    return layerOf(layer);
  });
  const outputs = config.output_layers;
  if (!Array.isArray(outputs) || outputs.length !== 1 || !Array.isArray(outputs[0]) || typeof outputs[0][0] !== 'string') fail('has other than one output');
  const inputs = layers.filter((layer) => layer.kind === 'input');
  if (inputs.length !== 1) fail(`has ${inputs.length} inputs, not one`);
  const known = new Set<string>();
  for (const layer of layers) {
    const from = 'input' in layer ? [layer.input] : 'inputs' in layer ? layer.inputs : [];
    for (const source of from) if (!known.has(source)) fail(`uses "${source}" in "${layer.name}" before it is defined`);
    known.add(layer.name);
  }
  const output = outputs[0][0] as string;
  if (!known.has(output)) fail(`names an output "${output}" it does not define`);
  return { layers, output, weights: readWeights(modelJson.weightsManifest, shards) };
}

function readWeights(manifest: unknown, shards: readonly Uint8Array[]): LayersModel['weights'] {
  if (!Array.isArray(manifest)) fail('has no weights manifest');
  const groups = manifest as WeightsManifestGroup[];
  const expectedShards = groups.reduce((sum, group) => sum + (Array.isArray(group?.paths) ? group.paths.length : 0), 0);
  if (shards.length !== expectedShards) fail(`lists ${expectedShards} weight files, and ${shards.length} were given`);
  const weights: LayersModel['weights'] = new Map();
  let shardIndex = 0;
  for (const group of groups) {
    const bytes = concatenate(shards.slice(shardIndex, shardIndex + group.paths.length));
    shardIndex += group.paths.length;
    let offset = 0;
    for (const weight of group.weights) {
      if (weight.dtype !== 'float32') fail(`stores "${weight.name}" as ${weight.dtype}, not float32`);
      if (!Array.isArray(weight.shape) || !weight.shape.every((d) => Number.isInteger(d) && d > 0)) fail(`gives "${weight.name}" an unreadable shape`);
      const count = weight.shape.reduce((a, b) => a * b, 1);
      const quantization = weight.quantization;
      const width = quantization === undefined ? 4 : quantization.dtype === 'uint8' ? 1 : quantization.dtype === 'uint16' ? 2 : fail(`quantizes "${weight.name}" as ${String(quantization.dtype)}, not uint8 or uint16`);
      if (offset + count * width > bytes.byteLength) fail(`needs more weight bytes than its files hold (at "${weight.name}")`);
      const values = new Float32Array(count);
      if (quantization === undefined) new Uint8Array(values.buffer).set(bytes.subarray(offset, offset + count * 4));
      else {
        // TensorFlow.js' affine quantization: value = stored · scale + min, in double precision and kept as float32, as tfjs does.
        const { min, scale } = quantization;
        if (typeof min !== 'number' || typeof scale !== 'number' || !Number.isFinite(min) || !Number.isFinite(scale)) fail(`quantizes "${weight.name}" without a finite min and scale`);
        const view = new DataView(bytes.buffer, bytes.byteOffset + offset, count * width);
        for (let i = 0; i < count; i++) values[i] = (width === 1 ? view.getUint8(i) : view.getUint16(i * 2, true)) * scale + min;
      }
      weights.set(weight.name, { shape: weight.shape, values });
      offset += count * width;
    }
    if (offset !== bytes.byteLength) fail(`lists ${offset} weight bytes, and its files hold ${bytes.byteLength}`);
  }
  return weights;
}

function concatenate(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((sum, part) => sum + part.byteLength, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.byteLength;
  }
  return out;
}
