/**
 * Content-addressed cache entries on disk, `<dir>/<ab>/<key>.rgc`, evicted
 * least-recently-used past a byte budget, except entries a run still reads
 * (pinned). The in-memory index is kept in recency order; reads touch the
 * file's modification time so that the order survives a restart.
 *
 * An entry is written while its node runs (EntryFile: frames go in as they
 * are made) under a temp name carrying the pid, then sealed and renamed into
 * place, so an entry that exists is whole and a killed writer leaves only a
 * temp file that the next scan removes. One that fails its checks anyway
 * (disk damage, a foreign file) is deleted and reported as a miss.
 */
import { mkdir, readdir, rename, rm, stat, utimes } from 'node:fs/promises';
import path from 'node:path';
import { CorruptEntryError, EntryFile, openEntry, type EntryFileOptions, type Outputs } from '@reelgraph/nodes';
import { isOrphanTemp, TEMP_SUFFIX, tempNameFor } from '../fs/write-file-atomic.ts';

const ENTRY_SUFFIX = '.rgc';

interface IndexEntry {
  bytes: number;
}

export interface Committed {
  bytes: number;
  kept: boolean;
  /** The outputs, their frames read from the committed entry when kept. */
  outputs: Outputs;
}

/** Where frames that are not cached live while a run reads them (see newScratch). */
const SCRATCH_FOLDER = 'scratch';

export class DiskTier {
  readonly #pins = new Map<string, number>();
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
    try {
      // Every chunk's checksum now: a damaged entry is recomputed rather than failing the node that reads it.
      const outputs = await openEntry(file, { verify: true });
      const entry = index.get(key)!;
      index.delete(key);
      index.set(key, entry);
      const now = new Date();
      await utimes(file, now, now).catch(() => undefined);
      return outputs;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
        this.#forget(index, key);
        return undefined;
      }
      if (!(error instanceof CorruptEntryError)) throw error;
      await rm(file, { force: true });
      this.#forget(index, key);
      onDamaged?.(error.message);
      return undefined;
    }
  }

  /** What an entry holds, from its header only (images' pixels empty, frames unread); undefined when absent or damaged. */
  async peek(key: string): Promise<Outputs | undefined> {
    const index = await this.#load();
    if (!index.has(key)) return undefined;
    return openEntry(this.#pathFor(key), { pixels: false }).catch(() => undefined);
  }

  async has(key: string): Promise<boolean> {
    return (await this.#load()).has(key);
  }

  /** Keeps an entry from eviction while a run reads it; undo with unpin. */
  pin(key: string): void {
    this.#pins.set(key, (this.#pins.get(key) ?? 0) + 1);
  }

  unpin(key: string): void {
    const left = (this.#pins.get(key) ?? 0) - 1;
    if (left > 0) this.#pins.set(key, left);
    else this.#pins.delete(key);
  }

  /** A new entry for `key`, written as its node runs; `commit` it or `discard` it. */
  async newEntry(key: string, options: EntryFileOptions = {}): Promise<EntryFile> {
    const file = this.#pathFor(key);
    await mkdir(path.dirname(file), { recursive: true });
    return new EntryFile(tempNameFor(file), options);
  }

  /** A file for frames that are not kept (a node that is not deterministic, a node's scratch frames): discard it when done. */
  async newScratch(options: EntryFileOptions = {}): Promise<EntryFile> {
    const folder = path.join(this.dir, SCRATCH_FOLDER);
    await mkdir(folder, { recursive: true });
    return new EntryFile(tempNameFor(path.join(folder, 'frames')), options);
  }

  /**
   * Seals `entry` with the node's `outputs` and moves it into place. A kept
   * entry is pinned for the caller (undo with unpin) before it is published,
   * so no eviction, by this commit or a concurrent one, removes it while the
   * caller reads it. An entry larger than the whole budget is sealed but not
   * kept: `kept` is false, nothing is pinned, and the caller discards it once
   * read.
   */
  async commit(key: string, entry: EntryFile, outputs: Outputs): Promise<Committed> {
    const index = await this.#load();
    const bytes = await entry.seal(outputs);
    if (bytes > this.budgetBytes) return { bytes, kept: false, outputs };
    const file = this.#pathFor(key);
    this.pin(key);
    try {
      await entry.publish(file);
      this.#forget(index, key);
      index.set(key, { bytes });
      this.#bytes += bytes;
      // Read back from the entry itself: frames the node passed through from elsewhere are now copied in here.
      const stored = await openEntry(file);
      await this.#evict(index);
      return { bytes, kept: true, outputs: stored };
    } catch (error) {
      this.unpin(key);
      throw error;
    }
  }

  /** Stores outputs made elsewhere (frames in memory or in another entry); resolves with the bytes written, 0 when not kept. */
  async put(key: string, outputs: Outputs): Promise<number> {
    const entry = await this.newEntry(key);
    try {
      const { bytes, kept } = await this.commit(key, entry, outputs);
      if (kept) this.unpin(key);
      else await entry.discard();
      return kept ? bytes : 0;
    } catch (error) {
      await entry.discard();
      throw error;
    }
  }

  /**
   * Brings in a sealed entry made elsewhere (the farm's shared tier): `fill`
   * writes it to a temp name beside its place and says whether it found it,
   * then it is renamed into place. Resolves with whether it is now here. Its
   * chunks are checked by the `get` that follows, as for any entry (a damaged
   * one is dropped there and is a miss), not read a second time here.
   */
  async importEntry(key: string, fill: (file: string) => Promise<boolean>): Promise<boolean> {
    const index = await this.#load();
    const file = this.#pathFor(key);
    await mkdir(path.dirname(file), { recursive: true });
    const temp = tempNameFor(file);
    try {
      if (!(await fill(temp))) return false;
      await rename(temp, file);
    } finally {
      await rm(temp, { force: true });
    }
    const bytes = (await stat(file)).size;
    this.#forget(index, key);
    index.set(key, { bytes });
    this.#bytes += bytes;
    await this.#evict(index);
    return true;
  }

  /** Where a kept entry's file is, for a copy to the shared tier; undefined when not here. */
  async fileOf(key: string): Promise<string | undefined> {
    return (await this.#load()).has(key) ? this.#pathFor(key) : undefined;
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
      if (this.#pins.has(key)) continue;
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
