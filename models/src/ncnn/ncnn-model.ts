/**
 * Reads an ncnn model: the text `.param` file (layers, their blobs and
 * numbered parameters) and the `.bin` file (each weighted layer's blobs, in
 * layer order). Only the layer types a converter in this package handles are
 * accepted, because the `.bin` has no index: reading a layer's weights needs
 * to know which blobs that layer type loads.
 *
 * Weight blobs in the `.bin` start with a 4-byte tag that says how they are
 * stored: 0x01306B47 for float16 (padded to 4 bytes), all zeros for float32.
 * Biases are always raw float32, with no tag. Every value comes back as
 * float32.
 */

export class NcnnModelError extends Error {
  override name = 'NcnnModelError';
}


export interface NcnnLayer {
  readonly type: string;
  readonly name: string;
  readonly inputs: readonly string[];
  readonly outputs: readonly string[];
  /** Scalar parameters by id. */
  readonly params: ReadonlyMap<number, number>;
  /** Array parameters by id (the file's −23300 − id). */
  readonly arrays: ReadonlyMap<number, readonly number[]>;
  /** The layer's blobs from the `.bin`, in the order the layer loads them (weight, then bias). */
  readonly weights: readonly Float32Array[];
}

export interface NcnnModel {
  readonly layers: readonly NcnnLayer[];
}

const MAGIC = 7767517;
const FLOAT16_TAG = 0x01306b47;
/** Far above any real network (RIFE 4.6 has 215 layers); stops a hostile file from asking for billions. */
const MAX_LAYERS = 100_000;

/** Layer types with no weights, which the readers accept. */
const WEIGHTLESS = new Set(['Input', 'Split', 'Concat', 'Interp', 'BinaryOp', 'ReLU', 'Sigmoid', 'Eltwise', 'Crop', 'PixelShuffle', 'rife.Warp']);
/** Layer types that load a weight blob of param 6 values and, when param 5 is set, a bias of param 0 values. */
const CONVOLUTIONS = new Set(['Convolution', 'Deconvolution']);

export function readNcnnModel(paramText: string, bin: Uint8Array): NcnnModel {
  const layers = readNcnnParam(paramText);
  const weights = new WeightReader(bin);
  const withWeights = layers.map((layer): NcnnLayer => {
    if (!CONVOLUTIONS.has(layer.type)) return layer;
    const outputs = scalar(layer, 0);
    const count = scalar(layer, 6);
    const blobs = [weights.tagged(count, layer.name)];
    if (layer.params.get(5)) blobs.push(weights.float32(outputs, layer.name));
    return { ...layer, weights: blobs };
  });
  if (weights.offset !== bin.length) {
    throw new NcnnModelError(`The .bin has ${bin.length - weights.offset} bytes after the last layer's weights; it does not belong to this .param.`);
  }
  return { layers: withWeights };
}

/** The layers of a `.param` file, without weights. */
export function readNcnnParam(text: string): NcnnLayer[] {
  const lines = text.split(/\r?\n/).filter((line) => line.trim() !== '');
  if (Number(lines[0]?.trim()) !== MAGIC) throw new NcnnModelError(`Not an ncnn .param file: the first line is not the magic number ${MAGIC}.`);
  const [layerCount, blobCount] = (lines[1] ?? '').trim().split(/\s+/).map(Number);
  if (!isCount(layerCount) || !isCount(blobCount) || layerCount > MAX_LAYERS) {
    throw new NcnnModelError('The .param file does not give a layer and blob count on its second line.');
  }
  if (lines.length - 2 !== layerCount) throw new NcnnModelError(`The .param file says ${layerCount} layers but lists ${lines.length - 2}.`);

  const known = new Set<string>();
  return lines.slice(2).map((line, index) => {
    const fields = line.trim().split(/\s+/);
    const [type = '', name = '', inCount, outCount] = fields;
    const where = `layer ${index + 1} ("${name}")`;
    const inputs = Number(inCount);
    const outputs = Number(outCount);
    if (!isCount(inputs) || !isCount(outputs) || fields.length < 4 + inputs + outputs) throw new NcnnModelError(`The .param file's ${where} is cut short.`);
    if (!WEIGHTLESS.has(type) && !CONVOLUTIONS.has(type)) throw new NcnnModelError(`The model's ${where} is a ${type}, which Reelgraph cannot convert.`);
    const blobsIn = fields.slice(4, 4 + inputs);
    const blobsOut = fields.slice(4 + inputs, 4 + inputs + outputs);
    for (const blob of blobsIn) if (!known.has(blob)) throw new NcnnModelError(`The model's ${where} reads blob "${blob}" before any layer makes it.`);
    for (const blob of blobsOut) known.add(blob);
    const { params, arrays } = readParams(fields.slice(4 + inputs + outputs), where);
    return { type, name, inputs: blobsIn, outputs: blobsOut, params, arrays, weights: [] };
  });
}

/** A scalar parameter the layer must have. */
export function scalar(layer: NcnnLayer, id: number): number {
  const value = layer.params.get(id);
  if (value === undefined) throw new NcnnModelError(`The model's layer "${layer.name}" (${layer.type}) has no parameter ${id}.`);
  return value;
}

function readParams(pairs: readonly string[], where: string): { params: Map<number, number>; arrays: Map<number, number[]> } {
  const params = new Map<number, number>();
  const arrays = new Map<number, number[]>();
  for (const pair of pairs) {
    const match = /^(-?\d+)=(.+)$/.exec(pair);
    if (!match) throw new NcnnModelError(`The .param file's ${where} has a parameter "${pair}" that is not id=value.`);
    const id = Number(match[1]);
    if (id <= -23300) {
      const [length, ...values] = match[2]!.split(',').map(Number);
      if (!isCount(length) || values.length !== length || values.some((v) => !Number.isFinite(v))) {
        throw new NcnnModelError(`The .param file's ${where} has an array parameter "${pair}" whose length does not match its values.`);
      }
      arrays.set(-23300 - id, values);
    } else {
      const value = Number(match[2]);
      if (!Number.isFinite(value)) throw new NcnnModelError(`The .param file's ${where} has a parameter "${pair}" that is not a number.`);
      params.set(id, value);
    }
  }
  return { params, arrays };
}

function isCount(n: number | undefined): n is number {
  return n !== undefined && Number.isInteger(n) && n >= 0;
}

class WeightReader {
  offset = 0;
  private readonly view: DataView;

  constructor(private readonly bin: Uint8Array) {
    this.view = new DataView(bin.buffer, bin.byteOffset, bin.byteLength);
  }

  /** A blob that starts with its storage tag. */
  tagged(count: number, layer: string): Float32Array {
    this.need(4, layer);
    const tag = this.view.getUint32(this.offset, true);
    this.offset += 4;
    if (tag === FLOAT16_TAG) {
      const bytes = align4(count * 2);
      this.need(bytes, layer);
      const out = new Float32Array(count);
      for (let i = 0; i < count; i++) out[i] = halfToFloat(this.view.getUint16(this.offset + i * 2, true));
      this.offset += bytes;
      return out;
    }
    if (tag === 0) return this.float32(count, layer);
    throw new NcnnModelError(`The weights of layer "${layer}" are stored as 0x${tag.toString(16)} (quantised); only float16 and float32 are supported.`);
  }

  float32(count: number, layer: string): Float32Array {
    this.need(count * 4, layer);
    const out = new Float32Array(count);
    for (let i = 0; i < count; i++) out[i] = this.view.getFloat32(this.offset + i * 4, true);
    this.offset += count * 4;
    return out;
  }

  private need(bytes: number, layer: string): void {
    if (this.offset + bytes > this.bin.length) throw new NcnnModelError(`The .bin ends inside the weights of layer "${layer}"; the file is cut short.`);
  }
}

const align4 = (n: number) => (n + 3) & ~3;

/** IEEE 754 half (as its 16 bits) to a number. */
export function halfToFloat(bits: number): number {
  const sign = bits & 0x8000 ? -1 : 1;
  const exponent = (bits >> 10) & 0x1f;
  const fraction = bits & 0x3ff;
  if (exponent === 0) return sign * fraction * 2 ** -24;
  if (exponent === 0x1f) return fraction ? NaN : sign * Infinity;
  return sign * (1 + fraction / 1024) * 2 ** (exponent - 15);
}
