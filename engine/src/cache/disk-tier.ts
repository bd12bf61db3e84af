/**
 * Content-addressed cache entries on disk, `<dir>/<ab>/<key>.rgc`, evicted
 * least-recently-used past a byte budget. The in-memory index is kept in
 * recency order; reads touch the file's modification time so that the order
 * survives a restart. Entries are written atomically, so an entry that exists is
 * whole; one that fails to decode anyway (disk damage, a foreign file) is
 * deleted and reported as a miss.
 */
import { mkdir, open, readdir, readFile, rm, stat, utimes, type FileHandle } from 'node:fs/promises';
import path from 'node:path';
import {
  CorruptEntryError,
  decodeOutputs,
  decodeOutputsShape,
  encodeOutputs,
  ENTRY_PREFIX_BYTES,
  entryHeaderLength,
  type Outputs,
} from '@reelgraph/nodes';
import { isOrphanTemp, TEMP_SUFFIX, writeFileAtomic } from '../fs/write-file-atomic.ts';

const ENTRY_SUFFIX = '.rgc';

interface IndexEntry {
  bytes: number;
}

export class DiskTier {
  #index: Map<string, IndexEntry> | undefined;
  #loading: Promise<Map<string, IndexEntry>> | undefined;
  #bytes = 0;

  constructor(
    readonly dir: string,
    readonly budgetBytes: number,
  ) {}

  /**
   * The entry's outputs, or undefined. An entry that fails to decode (a
   * damaged chunk, another version's layout) is deleted, told to `onDamaged`
   * with the reason, and is a miss: its node is computed again.
   */
  async get(key: string, onDamaged?: (reason: string) => void): Promise<Outputs | undefined> {
    const index = await this.#load();
    if (!index.has(key)) return undefined;
    const file = this.#pathFor(key);
    let bytes: Buffer;
    try {
      bytes = await readFile(file);
    } catch {
      this.#forget(index, key);
      return undefined;
    }
    try {
      const outputs = await decodeOutputs(bytes);
      index.delete(key);
      index.set(key, { bytes: bytes.length });
      const now = new Date();
      await utimes(file, now, now).catch(() => undefined);
      return outputs;
    } catch (error) {
      if (!(error instanceof CorruptEntryError)) throw error;
      await rm(file, { force: true });
      this.#forget(index, key);
      onDamaged?.(error.message);
      return undefined;
    }
  }

  /** What an entry holds, from its header only (pixel buffers empty); undefined when absent or damaged. */
  async peek(key: string): Promise<Outputs | undefined> {
    const index = await this.#load();
    if (!index.has(key)) return undefined;
    let handle: FileHandle | undefined;
    try {
      handle = await open(this.#pathFor(key), 'r');
      const prefix = Buffer.alloc(ENTRY_PREFIX_BYTES);
      await handle.read(prefix, 0, prefix.length, 0);
      const header = Buffer.alloc(entryHeaderLength(prefix));
      const { bytesRead } = await handle.read(header, 0, header.length, prefix.length);
      if (bytesRead !== header.length) return undefined;
      return decodeOutputsShape(header);
    } catch {
      return undefined;
    } finally {
      await handle?.close();
    }
  }

  async has(key: string): Promise<boolean> {
    return (await this.#load()).has(key);
  }

  /** Stores an entry; resolves with the bytes written (0 for an entry larger than the whole budget, which is not kept). */
  async put(key: string, outputs: Outputs): Promise<number> {
    const index = await this.#load();
    const chunks = await encodeOutputs(outputs);
    const bytes = chunks.reduce((sum, chunk) => sum + chunk.byteLength, 0);
    if (bytes > this.budgetBytes) return 0;
    const file = this.#pathFor(key);
    await mkdir(path.dirname(file), { recursive: true });
    await writeFileAtomic(file, chunks);
    this.#forget(index, key);
    index.set(key, { bytes });
    this.#bytes += bytes;
    await this.#evict(index);
    return bytes;
  }

  async usage(): Promise<{ entries: number; bytes: number }> {
    const index = await this.#load();
    return { entries: index.size, bytes: this.#bytes };
  }

  #pathFor(key: string): string {
    return path.join(this.dir, key.slice(0, 2), `${key}${ENTRY_SUFFIX}`);
  }

  #forget(index: Map<string, IndexEntry>, key: string): void {
    const entry = index.get(key);
    if (!entry) return;
    index.delete(key);
    this.#bytes -= entry.bytes;
  }

  async #evict(index: Map<string, IndexEntry>): Promise<void> {
    if (this.#bytes <= this.budgetBytes) return;
    for (const key of [...index.keys()]) {
      if (this.#bytes <= this.budgetBytes) break;
      this.#forget(index, key);
      await rm(this.#pathFor(key), { force: true });
    }
  }

  #load(): Promise<Map<string, IndexEntry>> {
    if (this.#index) return Promise.resolve(this.#index);
    this.#loading ??= this.#scan().then((index) => (this.#index = index));
    return this.#loading;
  }

  /** Reads what the folder holds, and removes temp files whose writer was killed. */
  async #scan(): Promise<Map<string, IndexEntry>> {
    const found: { key: string; bytes: number; usedAt: number }[] = [];
    await mkdir(this.dir, { recursive: true });
    for (const shard of await readdir(this.dir)) {
      const shardDir = path.join(this.dir, shard);
      let names: string[];
      try {
        names = await readdir(shardDir);
      } catch {
        continue;
      }
      for (const name of names) {
        const file = path.join(shardDir, name);
        if (name.endsWith(TEMP_SUFFIX)) {
          if (isOrphanTemp(name)) await rm(file, { force: true });
          continue;
        }
        if (!name.endsWith(ENTRY_SUFFIX)) continue;
        const info = await stat(file).catch(() => undefined);
        if (!info?.isFile()) continue;
        found.push({ key: name.slice(0, -ENTRY_SUFFIX.length), bytes: info.size, usedAt: info.mtimeMs });
        this.#bytes += info.size;
      }
    }
    found.sort((a, b) => a.usedAt - b.usedAt);
    return new Map(found.map(({ key, bytes }) => [key, { bytes }]));
  }
}
