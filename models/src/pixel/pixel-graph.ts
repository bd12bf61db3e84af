/**
 * What the pixel operations share: uint8 ⇄ float conversion inside their
 * graphs, one built graph per (operation, shape, options) and its pooled
 * session, and the chunked run over frames that bounds memory.
 */
import * as ort from 'onnxruntime-node';
import type { GraphBuilder, Tensor } from '../onnx/graph-builder.ts';
import { chooseDevice } from '../runtime/device-choice.ts';
import { sessionPool, type PooledSession } from '../runtime/session-pool.ts';
import type { PixelOptions } from './pixel-options.ts';

export const DEFAULT_CHUNK_BYTES = 256 * 1024 * 1024;
const FLOAT_BYTES = 4;

export function toFloat(g: GraphBuilder, x: Tensor<'uint8'>): Tensor<'float32'> {
  return g.cast(x, 'float32');
}

/** Rounds to the nearest level (half to even) and saturates, so filters that overshoot cannot wrap around. */
export function toUint8(g: GraphBuilder, x: Tensor<'float32'>): Tensor<'uint8'> {
  return g.cast(g.clip(g.round(x), 0, 255), 'uint8');
}

const graphs = new Map<string, Uint8Array>();

/** A graph's bytes, built on first use; the same bytes object each time, so the pool hashes it once. */
export function cachedGraph(key: string, build: () => Uint8Array): Uint8Array {
  let bytes = graphs.get(key);
  if (bytes === undefined) {
    bytes = build();
    graphs.set(key, bytes);
  }
  return bytes;
}

export async function pixelSession(key: string, build: () => Uint8Array, options: PixelOptions): Promise<PooledSession> {
  const device = options.device ?? (await chooseDevice()).device;
  return (options.pool ?? sessionPool).sessionFor(cachedGraph(key, build), device);
}

/** How many frames fit the float budget, given the floats one frame keeps alive in the graph. */
export function framesPerChunk(floatsPerFrame: number, budgetBytes = DEFAULT_CHUNK_BYTES): number {
  return Math.max(1, Math.floor(budgetBytes / (floatsPerFrame * FLOAT_BYTES)));
}

export function uint8Tensor(data: Uint8Array, dims: readonly number[]): ort.Tensor {
  return new ort.Tensor('uint8', data, dims);
}

/** Frames `start`..`start + count` of packed frames, as a uint8 tensor of `[count, ...frameDims]` (a view, no copy). */
export function frameChunkTensor(data: Uint8Array, frameDims: readonly number[], start: number, count: number): ort.Tensor {
  const frameSize = frameDims.reduce((a, b) => a * b, 1);
  return uint8Tensor(data.subarray(start * frameSize, (start + count) * frameSize), [count, ...frameDims]);
}

export function floatTensor(values: ArrayLike<number>, dims: readonly number[]): ort.Tensor {
  return new ort.Tensor('float32', Float32Array.from(values), dims);
}

export interface ChunkedRun {
  session: PooledSession;
  frameCount: number;
  /** Bytes of one output frame. */
  outFrameBytes: number;
  floatsPerFrame: number;
  options: PixelOptions;
  /** Inputs for frames [start, start + count). */
  feeds: (start: number, count: number) => Record<string, ort.Tensor>;
}

/** Runs the session over the frames chunk by chunk and concatenates the uint8 output `out`. */
export async function runInChunks(run: ChunkedRun): Promise<Uint8Array> {
  const result = new Uint8Array(run.frameCount * run.outFrameBytes);
  const perChunk = framesPerChunk(run.floatsPerFrame, run.options.chunkBytes);
  for (let start = 0; start < run.frameCount; start += perChunk) {
    run.options.signal?.throwIfAborted();
    const count = Math.min(perChunk, run.frameCount - start);
    const { out } = await run.session.run(run.feeds(start, count));
    if (out === undefined) throw new Error('pixel graph has no output named out');
    result.set(out.data as Uint8Array, start * run.outFrameBytes);
  }
  return result;
}
