/**
 * A node's outputs in one file, the disk cache's entry ("RGC3"):
 *
 *     "RGC3" · chunks · header (JSON) · header length (u32 LE) · "RGC3"
 *
 * Chunks are written as the node produces frames (EntryFile is the engine's
 * FrameStore), so the frames never gather in memory; the header, written
 * last by `seal`, holds the outputs with each frame sequence replaced by a
 * reference to its chunk table (offset, stored bytes, frames, CRC-32), and an
 * image's pixels by a one-frame sequence. Readers load chunks lazily by
 * offset. The file is written under a temp name and renamed into place when
 * sealed, so an entry that exists is whole; `openEntry` still checks every
 * chunk's CRC and the layout, and throws CorruptEntryError for anything else.
 */
import { open, rename, rm, type FileHandle } from 'node:fs/promises';
import { FrameSequence, FrameWriter, frameBytesOf, type FrameChunk, type FrameShape, type FrameStore } from './frame-sequence.ts';
import { DamagedChunkError, packChunk, unpackChunk } from './pixel-chunks.ts';
import { crc32 } from '../media/crc32.ts';
import type { Value } from './values.ts';

export type Outputs = Record<string, Value>;

const MAGIC = Buffer.from('RGC3');
const TRAILER_BYTES = 8;

/** offset, stored bytes, frames, CRC-32 of the stored bytes */
type ChunkRecord = [number, number, number, number];

interface SequenceRecord extends FrameShape {
  frameCount: number;
  chunks: ChunkRecord[];
}

interface Header {
  outputs: unknown;
  sequences: SequenceRecord[];
}

export class CorruptEntryError extends Error {
  override name = 'CorruptEntryError';
}

/** The frames of an entry were removed while still being read (its run let go of it, or the cache evicted it). */
export class FramesGoneError extends Error {
  override name = 'FramesGoneError';
}

/** Where an entry's bytes are: the path changes once, when a sealed entry is moved into place. */
class EntryLocation {
  moving: Promise<void> | undefined;
  constructor(public path: string) {}

  async readAt(offset: number, length: number): Promise<Buffer> {
    for (let attempt = 0; ; attempt++) {
      await this.moving;
      const tried = this.path;
      let handle: FileHandle | undefined;
      try {
        handle = await open(tried, 'r');
        const bytes = Buffer.allocUnsafe(length);
        const { bytesRead } = await handle.read(bytes, 0, length, offset);
        if (bytesRead !== length) throw new DamagedChunkError('is truncated');
        return bytes;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
        // Moved between our look at the path and the open: read it where it went.
        if (attempt === 0 && (this.moving || this.path !== tried)) continue;
        throw new FramesGoneError(`The frames at ${tried} are gone.`);
      } finally {
        await handle?.close();
      }
    }
  }
}

function chunkOf(location: EntryLocation, shape: FrameShape, start: number, record: ChunkRecord): FrameChunk {
  const [offset, stored, frameCount, crc] = record;
  const raw = frameCount * frameBytesOf(shape);
  const rowBytes = shape.width * shape.channels;
  return {
    start,
    frameCount,
    load: async () => {
      try {
        return await unpackChunk(await location.readAt(offset, stored), { raw, crc, rowBytes });
      } catch (error) {
        if (error instanceof DamagedChunkError) throw new CorruptEntryError(`the chunk at byte ${offset} ${error.message}`);
        throw error;
      }
    },
    stored: async () => {
      try {
        return { bytes: await location.readAt(offset, stored), crc };
      } catch (error) {
        if (error instanceof DamagedChunkError) throw new CorruptEntryError(`the chunk at byte ${offset} ${error.message}`);
        throw error;
      }
    },
  };
}

export interface EntryFileOptions {
  /** Told the size of each write before it happens; throwing stops the write (a byte budget). */
  beforeWrite?: (bytes: number) => void;
}

/**
 * A cache entry being written: a FrameStore whose sequences land in the file
 * chunk by chunk, then `seal` with the node's outputs, then `publish` (or
 * `discard`).
 */
export class EntryFile implements FrameStore {
  readonly #location: EntryLocation;
  readonly #options: EntryFileOptions;
  /** Opened on the first write: a node that writes no frames costs no file until sealed. */
  #handle: Promise<FileHandle> | undefined;
  /** Records of chunks this file holds, by the chunk object readers see. */
  readonly #records = new WeakMap<FrameChunk, ChunkRecord>();
  #offset = MAGIC.length;
  #writes: Promise<unknown> = Promise.resolve();
  #bytes = 0;
  #closed = false;
  /** Once moved into place the file is the cache's: discarding this writer must not delete it. */
  #published = false;
  /** Writers of sequences still growing: discarding the file ends them, so no reader waits for frames forever. */
  readonly #writers = new Set<FrameWriter>();

  /** An entry to be written at `path`, which must not exist. */
  constructor(path: string, options: EntryFileOptions = {}) {
    this.#location = new EntryLocation(path);
    this.#options = options;
  }

  #file(): Promise<FileHandle> {
    this.#handle ??= open(this.#location.path, 'wx').then(async (handle) => {
      try {
        await handle.write(MAGIC, 0, MAGIC.length, 0);
        return handle;
      } catch (error) {
        await handle.close();
        throw error;
      }
    });
    return this.#handle;
  }

  get path(): string {
    return this.#location.path;
  }

  /** Bytes written so far (the whole entry once sealed). */
  get bytes(): number {
    return this.#bytes;
  }

  create(shape: FrameShape): FrameWriter {
    const writer = new FrameWriter(shape, {
      put: (frames, start, frameCount) => {
        const packing = packChunk(frames, shape.width * shape.channels);
        // Awaited only once earlier writes finish; a failed deflate must not go unhandled meanwhile.
        packing.catch(() => undefined);
        const chunk = this.#append(packing).then((record) => {
          const stored = chunkOf(this.#location, shape, start, [record[0], record[1], frameCount, record[3]]);
          this.#records.set(stored, [record[0], record[1], frameCount, record[3]]);
          return stored;
        });
        chunk.catch(() => undefined);
        return Promise.resolve({ chunk });
      },
    });
    this.#writers.add(writer);
    return writer;
  }

  /** Writes after the writes before it, at the end of the file. */
  #append(packed: Promise<{ stored: Uint8Array; crc: number }>): Promise<ChunkRecord> {
    const written = this.#writes.then(async () => {
      const { stored, crc } = await packed;
      const offset = await this.#write(stored);
      return [offset, stored.byteLength, 0, crc] as ChunkRecord;
    });
    this.#writes = written.catch(() => undefined);
    return written;
  }

  async #write(bytes: Uint8Array): Promise<number> {
    if (this.#closed) throw new Error('The cache entry is already sealed or discarded.');
    this.#options.beforeWrite?.(bytes.byteLength);
    const handle = await this.#file();
    const offset = this.#offset;
    let done = 0;
    while (done < bytes.byteLength) {
      const { bytesWritten } = await handle.write(bytes, done, bytes.byteLength - done, offset + done);
      done += bytesWritten;
    }
    this.#offset += bytes.byteLength;
    this.#bytes = this.#offset;
    return offset;
  }

  /** The record of every chunk of `sequence` in this file, copying in the chunks another store holds. */
  async #recordsOf(sequence: FrameSequence): Promise<ChunkRecord[]> {
    await sequence.whenComplete();
    const records: ChunkRecord[] = [];
    for (const chunk of sequence.chunks) {
      const own = this.#records.get(chunk);
      if (own) {
        records.push(own);
        continue;
      }
      const packed = chunk.stored ? await chunk.stored().then(({ bytes, crc }) => ({ stored: bytes, crc })) : await packChunk(await chunk.load(), sequence.width * sequence.channels);
      const record = await this.#append(Promise.resolve(packed));
      records.push([record[0], record[1], chunk.frameCount, record[3]]);
    }
    return records;
  }

  /**
   * Ends the entry with `outputs` (their sequences complete): chunks of
   * sequences held elsewhere are copied in, images packed, then the header
   * and trailer written and the file synced. Resolves with its size.
   */
  async seal(outputs: Outputs): Promise<number> {
    const sequences: SequenceRecord[] = [];
    const add = async (sequence: FrameSequence) => {
      sequences.push({ width: sequence.width, height: sequence.height, channels: sequence.channels, frameCount: sequence.frameCount, chunks: await this.#recordsOf(sequence) });
      return sequences.length - 1;
    };
    const stored: Record<string, unknown> = {};
    for (const [port, value] of Object.entries(outputs)) {
      switch (value.kind) {
        case 'video':
        case 'mask':
          stored[port] = { ...value, frames: { $frames: await add(value.frames) } };
          break;
        case 'image': {
          const pixels = FrameSequence.of({ width: value.width, height: value.height, channels: 3 }, [
            { start: 0, frameCount: 1, load: () => Promise.resolve(value.pixels) },
          ]);
          stored[port] = { ...value, pixels: { $pixels: await add(pixels) } };
          break;
        }
        case 'prompt':
        case 'camera':
        case 'file':
          stored[port] = value;
          break;
      }
    }
    await this.#writes;
    const header = Buffer.from(JSON.stringify({ outputs: stored, sequences } satisfies Header));
    const trailer = Buffer.alloc(TRAILER_BYTES);
    trailer.writeUInt32LE(header.byteLength, 0);
    MAGIC.copy(trailer, 4);
    await this.#write(Buffer.concat([header, trailer]));
    const handle = await this.#file();
    await handle.sync();
    this.#closed = true;
    await handle.close();
    return this.#bytes;
  }

  /** Moves the sealed entry to `target` (atomically replacing what is there); readers follow it. */
  async publish(target: string): Promise<void> {
    const moving = rename(this.#location.path, target).then(() => {
      this.#location.path = target;
    });
    this.#location.moving = moving;
    try {
      await moving;
      this.#published = true;
    } finally {
      this.#location.moving = undefined;
    }
  }

  /** Removes the file (not once published: it is the cache's then); frames not yet read from it are gone. */
  async discard(): Promise<void> {
    if (this.#published) return;
    for (const writer of this.#writers) {
      if (!writer.sequence.complete) writer.abort(new FramesGoneError(`The frames at ${this.#location.path} were discarded before they were all written.`));
    }
    this.#writers.clear();
    await this.#writes;
    const opened = this.#handle;
    if (!this.#closed) {
      this.#closed = true;
      await opened?.then((handle) => handle.close()).catch(() => undefined);
    }
    if (opened) await rm(this.#location.path, { force: true });
  }
}

export interface OpenEntryOptions {
  /** Read every chunk and check its CRC now (a cache hit about to be used); otherwise damage shows when a chunk is read. */
  verify?: boolean;
  /** Load images' pixels; without it they are empty (enough to describe the outputs). */
  pixels?: boolean;
}

/** The outputs an entry holds, their frames read lazily from `path`. Throws CorruptEntryError for a damaged or foreign file. */
export async function openEntry(path: string, options: OpenEntryOptions = {}): Promise<Outputs> {
  const location = new EntryLocation(path);
  const handle = await open(path, 'r');
  let header: Header;
  let dataEnd: number;
  try {
    const { size } = await handle.stat();
    if (size < MAGIC.length + TRAILER_BYTES) throw new CorruptEntryError('the file is too short to be a cache entry');
    const head = Buffer.alloc(MAGIC.length);
    const trailer = Buffer.alloc(TRAILER_BYTES);
    await handle.read(head, 0, head.length, 0);
    await handle.read(trailer, 0, TRAILER_BYTES, size - TRAILER_BYTES);
    if (!head.equals(MAGIC) || !trailer.subarray(4).equals(MAGIC)) throw new CorruptEntryError('not a cache entry of this version of Reelgraph');
    const headerLength = trailer.readUInt32LE(0);
    dataEnd = size - TRAILER_BYTES - headerLength;
    if (dataEnd < MAGIC.length) throw new CorruptEntryError('the header is longer than the file');
    const bytes = Buffer.alloc(headerLength);
    await handle.read(bytes, 0, headerLength, dataEnd);
    header = parseHeader(bytes);
    checkLayout(header, dataEnd);
    if (options.verify) await verifyChunks(handle, header);
  } finally {
    await handle.close();
  }
  const sequences = header.sequences.map((record) => {
    let start = 0;
    const chunks = record.chunks.map((chunk) => {
      const stored = chunkOf(location, record, start, chunk);
      start += chunk[2];
      return stored;
    });
    return FrameSequence.of(record, chunks);
  });
  return (await revive(header.outputs, sequences, options.pixels ?? true)) as Outputs;
}

function parseHeader(bytes: Buffer): Header {
  let header: Header;
  try {
    header = JSON.parse(bytes.toString('utf8')) as Header;
  } catch {
    throw new CorruptEntryError('the header is not JSON');
  }
  if (header === null || typeof header !== 'object' || !Array.isArray(header.sequences)) throw new CorruptEntryError('the header lists no frames');
  return header;
}

/** Every chunk inside the data, every sequence's frames adding up. */
function checkLayout(header: Header, dataEnd: number): void {
  for (const [index, sequence] of header.sequences.entries()) {
    const valid =
      sequence !== null &&
      typeof sequence === 'object' &&
      Number.isInteger(sequence.width) &&
      Number.isInteger(sequence.height) &&
      sequence.width > 0 &&
      sequence.height > 0 &&
      (sequence.channels === 1 || sequence.channels === 3) &&
      Array.isArray(sequence.chunks) &&
      sequence.chunks.every(
        (c) => Array.isArray(c) && c.length === 4 && c.every((n) => Number.isInteger(n) && n >= 0) && c[0] >= MAGIC.length && c[0] + c[1] <= dataEnd && c[2] > 0,
      ) &&
      sequence.chunks.reduce((sum, c) => sum + c[2], 0) === sequence.frameCount;
    if (!valid) throw new CorruptEntryError(`frame sequence ${index} is malformed`);
  }
}

async function verifyChunks(handle: FileHandle, header: Header): Promise<void> {
  for (const sequence of header.sequences) {
    for (const [offset, stored, , crc] of sequence.chunks) {
      const bytes = Buffer.allocUnsafe(stored);
      const { bytesRead } = await handle.read(bytes, 0, stored, offset);
      if (bytesRead !== stored || crc32(bytes) !== crc) throw new CorruptEntryError(`the chunk at byte ${offset} fails its checksum`);
    }
  }
}

async function revive(value: unknown, sequences: FrameSequence[], pixels: boolean): Promise<unknown> {
  if (Array.isArray(value)) return Promise.all(value.map((item) => revive(item, sequences, pixels)));
  if (value === null || typeof value !== 'object') return value;
  const record = value as Record<string, unknown>;
  const ref = (key: string) => (typeof record[key] === 'number' && Object.keys(record).length === 1 ? (record[key] as number) : undefined);
  const frames = ref('$frames');
  const image = ref('$pixels');
  if (frames !== undefined || image !== undefined) {
    const sequence = sequences[(frames ?? image)!];
    if (!sequence) throw new CorruptEntryError(`frame sequence ${frames ?? image} is missing`);
    if (frames !== undefined) return sequence;
    if (sequence.channels !== 3 || sequence.frameCount !== 1) throw new CorruptEntryError('an image is not one RGB frame');
    return pixels ? sequence.read(0, 1) : new Uint8Array(0);
  }
  const entries = await Promise.all(Object.entries(record).map(async ([k, v]) => [k, await revive(v, sequences, pixels)] as const));
  return Object.fromEntries(entries);
}
