/**
 * Feeding and reading the parts of a diffusion export as their own files
 * declare them: exports differ in names (`latent_sample` or
 * `latent_parameters`), dtypes (float16 or float32 weights and activations;
 * int32 or int64 token ids; an int64 or float timestep) and shapes (a
 * timestep of shape [], [1] or [batch]). Everything here reads the session's
 * metadata instead of assuming one export's choices.
 */
import * as ort from 'onnxruntime-node';
import { halfToFloat } from '../ncnn/ncnn-model.ts';
import type { PooledSession } from '../runtime/session-pool.ts';
import { DiffusionFolderError } from './diffusion-folder.ts';

export interface TensorSlot {
  name: string;
  type: ort.Tensor.Type;
  shape: readonly (number | string)[];
}

/** The input or output named one of `names` (the first that the model has), or an error naming the part. */
export function slotOf(session: PooledSession, side: 'input' | 'output', names: readonly string[], part: string): TensorSlot {
  const metadata = side === 'input' ? session.inputMetadata : session.outputMetadata;
  for (const name of names) {
    const found = metadata.find((value) => value.name === name);
    if (found?.isTensor) return { name, type: found.type, shape: found.shape };
  }
  const have = metadata.map((value) => value.name).join(', ');
  throw new DiffusionFolderError(`The ${part} has no ${side} named ${names.join(' or ')} (it has ${have}); it is not a Stable Diffusion export Reelgraph knows.`);
}

/** Float data as the slot wants it: float32 as is, float16 converted. */
export function floatTensor(slot: TensorSlot, data: Float32Array, dims: readonly number[]): ort.Tensor {
  switch (slot.type) {
    case 'float32':
      return new ort.Tensor('float32', data, dims);
    case 'float16':
      return new ort.Tensor('float16', toHalves(data), dims);
    default:
      throw new DiffusionFolderError(`The input ${slot.name} is ${slot.type}; a float tensor was expected.`);
  }
}

/** Integer data (token ids) as the slot wants it: int32 or int64. */
export function intTensor(slot: TensorSlot, data: Int32Array, dims: readonly number[]): ort.Tensor {
  switch (slot.type) {
    case 'int32':
      return new ort.Tensor('int32', data, dims);
    case 'int64':
      return new ort.Tensor('int64', BigInt64Array.from(data, (value) => BigInt(value)), dims);
    default:
      throw new DiffusionFolderError(`The input ${slot.name} is ${slot.type}; token ids go in as int32 or int64.`);
  }
}

/** A UNet's timestep in the shape and type its export declares: a scalar, [1], or one per batch item. */
export function timestepTensor(slot: TensorSlot, timestep: number, batch: number): ort.Tensor {
  const dims = slot.shape.length === 0 ? [] : slot.shape[0] === 1 ? [1] : [batch];
  const count = dims.length === 0 ? 1 : dims[0]!;
  switch (slot.type) {
    case 'int64':
      return new ort.Tensor('int64', new BigInt64Array(count).fill(BigInt(Math.round(timestep))), dims);
    case 'int32':
      return new ort.Tensor('int32', new Int32Array(count).fill(Math.round(timestep)), dims);
    default:
      return floatTensor(slot, new Float32Array(count).fill(timestep), dims);
  }
}

/** A float output as float32, whatever the export computes in. */
export function readFloats(tensor: ort.Tensor): Float32Array {
  switch (tensor.type) {
    case 'float32':
      return tensor.data as Float32Array;
    case 'float16':
      return Float32Array.from(tensor.data as Uint16Array, halfToFloat);
    default:
      throw new DiffusionFolderError(`An output is ${tensor.type}; a float tensor was expected.`);
  }
}

/** IEEE half-precision bits of each value, rounded to nearest even. */
export function toHalves(values: Float32Array): Uint16Array {
  const halves = new Uint16Array(values.length);
  const word = new Float32Array(1);
  const bits = new Uint32Array(word.buffer);
  for (let i = 0; i < values.length; i++) {
    word[0] = values[i]!;
    halves[i] = floatBitsToHalf(bits[0]!);
  }
  return halves;
}

function floatBitsToHalf(x: number): number {
  const sign = (x >>> 16) & 0x8000;
  const exponent = (x >>> 23) & 0xff;
  let mantissa = x & 0x7fffff;
  if (exponent === 0xff) return sign | 0x7c00 | (mantissa ? 0x200 : 0);
  const unbiased = exponent - 127 + 15;
  if (unbiased >= 0x1f) return sign | 0x7c00;
  if (unbiased <= 0) {
    // Subnormal half (or zero): shift the implicit bit in, then round.
    if (unbiased < -10) return sign;
    mantissa |= 0x800000;
    const shift = 14 - unbiased;
    const half = mantissa >>> shift;
    const rest = mantissa & ((1 << shift) - 1);
    const midpoint = 1 << (shift - 1);
    return sign | (half + (rest > midpoint || (rest === midpoint && half & 1) ? 1 : 0));
  }
  const half = (unbiased << 10) | (mantissa >>> 13);
  const rest = mantissa & 0x1fff;
  // A carry out of the mantissa rolls into the exponent, which is the right rounding.
  return sign | (half + (rest > 0x1000 || (rest === 0x1000 && half & 1) ? 1 : 0));
}
