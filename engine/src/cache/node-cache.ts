/**
 * Node results by cache key: a memory tier over a disk tier. A hit on disk is
 * promoted to memory. FILE outputs point at artefacts under the data dir; an
 * entry whose artefact was deleted or changed is a miss, so the node re-runs.
 */
import { isFileIntact, outputsByteSize, type Outputs } from '@reelgraph/nodes';
import { DiskTier } from './disk-tier.ts';
import { MemoryTier } from './memory-tier.ts';

export interface NodeCacheOptions {
  dataDir: string;
  memoryBytes: number;
  diskBytes: number;
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
    if (!outputs) {
      outputs = await this.disk.get(key, onDamaged);
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
    return this.memory.get(key) ?? (await this.disk.peek(key));
  }

  /** Resolves with the bytes written to disk. */
  async put(key: string, outputs: Outputs): Promise<number> {
    this.memory.set(key, outputs, outputsByteSize(outputs));
    return this.disk.put(key, outputs);
  }

  async #artefactsIntact(outputs: Outputs): Promise<boolean> {
    for (const value of Object.values(outputs)) {
      if (value.kind === 'file' && !(await isFileIntact(this.options.dataDir, value))) return false;
    }
    return true;
  }
}
