/**
 * Node results by cache key: a memory tier over a disk tier. A hit on disk is
 * promoted to memory; a video or mask there is a handle on its entry's frames,
 * which stay on disk, so it is a hit only while the disk tier still has the
 * entry. FILE outputs point at artefacts under the data dir; an entry whose
 * artefact was deleted or changed is a miss, so the node re-runs.
 *
 * On a farm a shared tier sits behind the disk (farm/shared-store): a miss on
 * both local tiers is copied in from it, and `share` copies a result out to
 * it (a worker's after its job, a coordinator's before a job reads it),
 * except one with files, whose artefacts live only in this data dir.
 */
import { isFileIntact, outputsByteSize, type EntryFile, type EntryFileOptions, type Outputs } from '@reelgraph/nodes';
import { DiskTier, type Committed } from './disk-tier.ts';
import type { SharedStore } from '../farm/shared-store/shared-store.ts';
import { MemoryTier } from './memory-tier.ts';

export interface NodeCacheOptions {
  dataDir: string;
  memoryBytes: number;
  diskBytes: number;
  /** The farm's shared tier behind the disk: misses are looked up there, and results are copied there when committed. */
  shared?: SharedStore;
}

export const DEFAULT_CACHE_BUDGET = {
  memoryBytes: 1024 ** 3,
  diskBytes: 20 * 1024 ** 3,
} as const;

export class NodeCache {
  readonly memory: MemoryTier<Outputs>;
  readonly disk: DiskTier;

  constructor(readonly options: NodeCacheOptions) {
    this.memory = new MemoryTier(options.memoryBytes);
    this.disk = new DiskTier(`${options.dataDir}/cache`, options.diskBytes);
  }

  /** `onDamaged` hears why a damaged entry on disk was dropped (it is then a miss). */
  async get(key: string, onDamaged?: (reason: string) => void): Promise<Outputs | undefined> {
    let outputs = this.memory.get(key);
    if (outputs && holdsFrames(outputs) && !(await this.disk.has(key))) {
      this.memory.delete(key);
      outputs = undefined;
    }
    if (!outputs) {
      outputs = await this.disk.get(key, onDamaged);
      if (!outputs && this.options.shared && (await this.#fromShared(key))) outputs = await this.disk.get(key, onDamaged);
      if (outputs) this.memory.set(key, outputs, outputsByteSize(outputs));
    }
    if (outputs && !(await this.#artefactsIntact(outputs))) {
      this.memory.delete(key);
      return undefined;
    }
    return outputs;
  }

  /**
   * What a cached result holds, to describe it, without loading pixels from
   * disk; its pixel buffers may be empty. Undefined when not cached.
   */
  async peek(key: string): Promise<Outputs | undefined> {
    const outputs = this.memory.get(key);
    if (outputs && (!holdsFrames(outputs) || (await this.disk.has(key)))) return outputs;
    return this.disk.peek(key);
  }

  /** A new entry for a node's result, written as it runs (see DiskTier.newEntry). */
  newEntry(key: string, options?: EntryFileOptions): Promise<EntryFile> {
    return this.disk.newEntry(key, options);
  }

  /** A file for frames that are not kept; the caller discards it. */
  newScratch(options?: EntryFileOptions): Promise<EntryFile> {
    return this.disk.newScratch(options);
  }

  /** Seals and keeps a node's result; a kept one comes pinned for the caller (see DiskTier.commit). */
  async commit(key: string, entry: EntryFile, outputs: Outputs): Promise<Committed> {
    const committed = await this.disk.commit(key, entry, outputs);
    if (committed.kept) this.memory.set(key, committed.outputs, outputsByteSize(committed.outputs));
    return committed;
  }

  /**
   * Copies a kept entry to the shared tier unless it is there already;
   * resolves with whether the shared tier now has it (false: not cached here,
   * or it holds files).
   */
  async share(key: string): Promise<boolean> {
    const shared = this.options.shared;
    if (!shared) return false;
    if (await shared.has(key)) return true;
    const file = await this.disk.fileOf(key);
    if (!file) return false;
    const outputs = await this.peek(key);
    if (!outputs || holdsFiles(outputs)) return false;
    await shared.upload(key, file);
    return true;
  }

  async #fromShared(key: string): Promise<boolean> {
    const shared = this.options.shared!;
    try {
      return await this.disk.importEntry(key, (file) => shared.download(key, file));
    } catch {
      // A damaged entry, or a store that does not answer, is a miss here: the node is computed again (and sharing its result says what is wrong).
      return false;
    }
  }

  pin(key: string): void {
    this.disk.pin(key);
  }

  unpin(key: string): void {
    this.disk.unpin(key);
  }

  async #artefactsIntact(outputs: Outputs): Promise<boolean> {
    for (const value of Object.values(outputs)) {
      if (value.kind === 'file' && !(await isFileIntact(this.options.dataDir, value))) return false;
    }
    return true;
  }
}

function holdsFiles(outputs: Outputs): boolean {
  return Object.values(outputs).some((value) => value.kind === 'file');
}

function holdsFrames(outputs: Outputs): boolean {
  return Object.values(outputs).some((value) => value.kind === 'video' || value.kind === 'mask');
}
