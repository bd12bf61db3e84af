/**
 * The farm's shared tier: cache entries every worker and coordinator can
 * reach, behind each machine's own memory and disk tiers. An entry is one
 * sealed cache file (`.rgc`, self-contained: outputs and frames) named by its
 * cache key. Writers put the data first and then a small manifest; readers go
 * by the manifest, so a reader never sees half an entry, and a writer killed
 * halfway leaves data without a manifest, which counts as absent.
 */
export interface SharedStore {
  /** Where the entries live, for messages ("shared folder /srv/cache", "s3://bucket/prefix"). */
  readonly description: string;
  /** Whether a whole entry for `key` is there. */
  has(key: string): Promise<boolean>;
  /**
   * Copies the entry's data to `file` (a local path the caller renames into
   * place) after checking it against its manifest; false when absent.
   */
  download(key: string, file: string): Promise<boolean>;
  /** Stores the sealed entry at `file` under `key`: data first, then the manifest. */
  upload(key: string, file: string): Promise<void>;
  /** Lets go of connections; the store is not used after. */
  close(): Promise<void>;
}

/** What the manifest of an entry says: enough to check a download. */
export interface EntryManifest {
  format: 'reelgraph.shared-entry';
  version: 1;
  key: string;
  bytes: number;
  sha256: string;
}

export const MANIFEST_FORMAT = 'reelgraph.shared-entry';

/** Cache keys are lowercase hex (plan/cache-key.ts); anything else is refused before it names a path or an object. */
export function checkKey(key: string): string {
  if (!/^[0-9a-f]{16,128}$/.test(key)) throw new Error(`"${key.slice(0, 80)}" is not a cache key.`);
  return key;
}

/** Reads a manifest, refusing anything that is not one for `key`. */
export function parseManifest(text: string, key: string): EntryManifest {
  const value = JSON.parse(text) as Partial<EntryManifest>;
  if (
    value.format !== MANIFEST_FORMAT ||
    value.version !== 1 ||
    value.key !== key ||
    typeof value.bytes !== 'number' ||
    typeof value.sha256 !== 'string' ||
    !/^[0-9a-f]{64}$/.test(value.sha256)
  ) {
    throw new Error(`The shared manifest of entry ${key} is not one Reelgraph wrote.`);
  }
  return value as EntryManifest;
}

export function manifestFor(key: string, bytes: number, sha256: string): EntryManifest {
  return { format: MANIFEST_FORMAT, version: 1, key, bytes, sha256 };
}
