/**
 * Frames as a sequence of chunks, the one frame type every node reads and
 * writes: producers append whole frames through a FrameWriter, consumers
 * iterate blocks or read ranges. Where the chunks live is the FrameStore's
 * business (the engine's store compresses them into the node's cache entry
 * on disk as they come, see entry-file.ts), so a video of any length costs
 * memory for a few chunks, not for its frames.
 *
 * A sequence is readable while it is being written: a reader waits for
 * frames not yet appended, which lets a consumer start on the first chunks.
 */
import { LIMITS, LimitError } from './limits.ts';
import { chunkFramesFor } from './pixel-chunks.ts';

export interface FrameShape {
  width: number;
  height: number;
  /** 3 for packed RGB24 frames, 1 for Gray8 (masks). */
  channels: 1 | 3;
}

/** Consecutive frames back to back: frames `start` to `start + frameCount - 1`. */
export interface FrameBlock {
  start: number;
  frameCount: number;
  /** Read-only: it may be shared with other readers of the chunk. */
  data: Uint8Array;
}

/** A stored chunk of whole frames: where it starts, how many, and how to load it. */
export interface FrameChunk {
  start: number;
  frameCount: number;
  /** The raw frames; read-only, as FrameBlock.data. */
  load(): Promise<Uint8Array>;
  /** The chunk as an entry stores it, when it is already stored so: copied between entries without packing again. */
  stored?: () => Promise<{ bytes: Uint8Array; crc: number }>;
}

/** Where new sequences keep their chunks. */
export interface FrameStore {
  create(shape: FrameShape): FrameWriter;
}

/** Takes the chunks of one writer, in order. */
export interface ChunkSink {
  /**
   * Stores whole frames. `frames` may change once the returned promise
   * resolves; `chunk` resolves when the frames can be read back.
   */
  put(frames: Uint8Array, start: number, frameCount: number): Promise<{ chunk: Promise<FrameChunk> }>;
}

export function frameBytesOf(shape: FrameShape): number {
  return shape.width * shape.height * shape.channels;
}

function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

export class FrameSequence implements FrameShape {
  readonly width: number;
  readonly height: number;
  readonly channels: 1 | 3;
  readonly frameBytes: number;
  readonly #chunks: FrameChunk[] = [];
  #frameCount = 0;
  #complete = false;
  #error: Error | undefined;
  #changed = deferred();

  constructor(shape: FrameShape) {
    if (!Number.isInteger(shape.width) || !Number.isInteger(shape.height) || shape.width < 1 || shape.height < 1) {
      throw new RangeError(`Frames of ${shape.width}×${shape.height}: width and height must be positive integers.`);
    }
    this.width = shape.width;
    this.height = shape.height;
    this.channels = shape.channels;
    this.frameBytes = frameBytesOf(shape);
  }

  /** A complete sequence of chunks already stored. */
  static of(shape: FrameShape, chunks: readonly FrameChunk[]): FrameSequence {
    const sequence = new FrameSequence(shape);
    for (const chunk of chunks) sequence.push(chunk);
    sequence.end();
    return sequence;
  }

  /** Frames appended so far; the final count once complete. */
  get frameCount(): number {
    return this.#frameCount;
  }

  get complete(): boolean {
    return this.#complete;
  }

  /** The stored chunks so far, in order. */
  get chunks(): readonly FrameChunk[] {
    return this.#chunks;
  }

  /** For writers: one more chunk, starting where the last ended. */
  push(chunk: FrameChunk): void {
    if (this.#complete) throw new Error('A complete frame sequence takes no more chunks.');
    if (chunk.start !== this.#frameCount) throw new Error(`A chunk starting at frame ${chunk.start} cannot follow frame ${this.#frameCount - 1}.`);
    this.#chunks.push(chunk);
    this.#frameCount += chunk.frameCount;
    this.#wake();
  }

  /** For writers: no more frames. */
  end(): void {
    this.#complete = true;
    this.#wake();
  }

  /** For writers: the frames will never come; readers waiting for them get `error`. */
  fail(error: Error): void {
    this.#error ??= error;
    this.#wake();
  }

  /** Resolves once every frame is written; rejects when writing failed. */
  async whenComplete(): Promise<void> {
    while (!this.#complete) {
      if (this.#error) throw this.#error;
      await this.#changed.promise;
    }
  }

  /**
   * Frames `from` to `to` (exclusive; the end of the sequence when omitted),
   * a stored chunk or part of one at a time, loading the next chunk while the
   * caller works on this one. Waits for frames still being written.
   */
  async *blocks(from = 0, to?: number): AsyncGenerator<FrameBlock> {
    if (!Number.isInteger(from) || from < 0 || (to !== undefined && (!Number.isInteger(to) || to < from))) {
      throw new RangeError(`Cannot read frames ${from} to ${to}.`);
    }
    let position = from;
    let index = 0;
    let ahead: { index: number; data: Promise<Uint8Array> } | undefined;
    const load = (i: number) => {
      const data = ahead?.index === i ? ahead.data : this.#chunks[i]!.load();
      const next = this.#chunks[i + 1];
      ahead = next && (to === undefined || next.start < to) ? { index: i + 1, data: next.load() } : undefined;
      // A read ahead that is never taken must not become an unhandled rejection.
      ahead?.data.catch(() => undefined);
      return data;
    };
    for (;;) {
      const end = to ?? (this.#complete ? this.#frameCount : Infinity);
      if (position >= end) return;
      while (index < this.#chunks.length && this.#chunks[index]!.start + this.#chunks[index]!.frameCount <= position) index++;
      const chunk = this.#chunks[index];
      if (!chunk) {
        if (this.#error) throw this.#error;
        if (this.#complete) throw new RangeError(`Frame ${position} is past the end of a ${this.#frameCount}-frame sequence.`);
        await this.#changed.promise;
        continue;
      }
      const data = await load(index);
      const first = position - chunk.start;
      const last = Math.min(chunk.frameCount, end - chunk.start);
      yield { start: position, frameCount: last - first, data: data.subarray(first * this.frameBytes, last * this.frameBytes) };
      position = chunk.start + last;
    }
  }

  /** Frames `from` to `from + count` copied into one buffer. */
  async read(from: number, count: number): Promise<Uint8Array> {
    const out = new Uint8Array(count * this.frameBytes);
    for await (const block of this.blocks(from, from + count)) out.set(block.data, (block.start - from) * this.frameBytes);
    return out;
  }

  #wake(): void {
    const changed = this.#changed;
    this.#changed = deferred();
    changed.resolve();
  }
}

/** Chunks packed at once while a producer goes on: compression runs beside it, and memory holds only these. */
const CHUNKS_IN_FLIGHT = 3;

/**
 * Appends frames to a new sequence, cutting them into chunks of about 4 MiB
 * (whole frames) for the sink. The sequence may be read while it grows.
 */
export class FrameWriter {
  readonly sequence: FrameSequence;
  readonly #sink: ChunkSink;
  readonly #chunkFrames: number;
  readonly #pending: Uint8Array;
  #pendingFrames = 0;
  #submitted = 0;
  #inFlight: Promise<void>[] = [];
  #tail: Promise<void> = Promise.resolve();
  #error: Error | undefined;

  constructor(shape: FrameShape, sink: ChunkSink) {
    this.sequence = new FrameSequence(shape);
    this.#sink = sink;
    this.#chunkFrames = chunkFramesFor(this.sequence.frameBytes);
    this.#pending = new Uint8Array(this.#chunkFrames * this.sequence.frameBytes);
  }

  /** Frames appended so far. */
  get frameCount(): number {
    return this.#submitted + this.#pendingFrames;
  }

  /** Appends whole frames; `frames` may change once this resolves. */
  async append(frames: Uint8Array): Promise<void> {
    if (this.#error) throw this.#error;
    const size = this.sequence.frameBytes;
    if (frames.byteLength % size !== 0) throw new RangeError(`${frames.byteLength} bytes are not whole frames of ${size} bytes.`);
    const count = frames.byteLength / size;
    if (this.frameCount + count > LIMITS.maxFrames) {
      throw new LimitError(`${this.frameCount + count} frames is more than the limit of ${LIMITS.maxFrames}; trim the clip or lower the fps.`);
    }
    let offset = 0;
    while (offset < count) {
      if (this.#pendingFrames === 0 && count - offset >= this.#chunkFrames) {
        await this.#submit(frames.subarray(offset * size, (offset + this.#chunkFrames) * size), this.#chunkFrames);
        offset += this.#chunkFrames;
        continue;
      }
      const take = Math.min(this.#chunkFrames - this.#pendingFrames, count - offset);
      this.#pending.set(frames.subarray(offset * size, (offset + take) * size), this.#pendingFrames * size);
      this.#pendingFrames += take;
      offset += take;
      if (this.#pendingFrames === this.#chunkFrames) await this.#flushPending();
    }
  }

  /** Stores what is left and completes the sequence. */
  async finish(): Promise<FrameSequence> {
    if (this.#pendingFrames > 0) await this.#flushPending();
    await this.#tail;
    if (this.#error) throw this.#error;
    this.sequence.end();
    return this.sequence;
  }

  /** Gives up: readers waiting for frames get `error`. */
  abort(error: Error): void {
    this.#error ??= error;
    this.sequence.fail(error);
  }

  async #flushPending(): Promise<void> {
    const count = this.#pendingFrames;
    this.#pendingFrames = 0;
    await this.#submit(this.#pending.subarray(0, count * this.sequence.frameBytes), count);
  }

  async #submit(frames: Uint8Array, frameCount: number): Promise<void> {
    const start = this.#submitted;
    this.#submitted += frameCount;
    let chunk: Promise<FrameChunk>;
    try {
      ({ chunk } = await this.#sink.put(frames, start, frameCount));
    } catch (error) {
      this.abort(error as Error);
      throw error;
    }
    // Chunks join the sequence in order, each once it can be read back.
    const joined = this.#tail.then(() => chunk).then((stored) => this.sequence.push(stored));
    this.#tail = joined.catch((error: Error) => this.abort(error));
    this.#inFlight.push(this.#tail);
    if (this.#inFlight.length >= CHUNKS_IN_FLIGHT) await this.#inFlight.shift();
    if (this.#error) throw this.#error;
  }
}

/** Keeps chunks in memory, uncompressed: for small values and tests. */
export const memoryFrameStore: FrameStore = {
  create(shape) {
    return new FrameWriter(shape, {
      put(frames, start, frameCount) {
        const copy = frames.slice();
        return Promise.resolve({ chunk: Promise.resolve({ start, frameCount, load: () => Promise.resolve(copy) }) });
      },
    });
  },
};

/** A complete sequence of `frames` (whole frames back to back) held in memory as they are, cut into chunks. */
export function memoryFrames(shape: FrameShape, frames: Uint8Array): FrameSequence {
  const size = frameBytesOf(shape);
  if (frames.byteLength % size !== 0) throw new RangeError(`${frames.byteLength} bytes are not whole frames of ${size} bytes.`);
  const perChunk = chunkFramesFor(size);
  const chunks: FrameChunk[] = [];
  for (let start = 0; start * size < frames.byteLength; start += perChunk) {
    const data = frames.subarray(start * size, Math.min(frames.byteLength, (start + perChunk) * size));
    chunks.push({ start, frameCount: data.byteLength / size, load: () => Promise.resolve(data) });
  }
  return FrameSequence.of(shape, chunks);
}

/** A complete sequence of `frames` (whole frames back to back) in `store`. */
export async function framesFrom(store: FrameStore, shape: FrameShape, frames: Uint8Array): Promise<FrameSequence> {
  const writer = store.create(shape);
  await writer.append(frames);
  return writer.finish();
}
