import { createHash } from 'node:crypto';
import { canonicalJson } from './canonical-json.ts';

/** Bump when the cache entry format or the key recipe changes: old entries then simply miss. */
export const CACHE_KEY_RECIPE = 1;

export interface CacheKeyParts {
  type: string;
  version: number;
  /** Params with defaults applied; files stand as their content hash. */
  params: Record<string, unknown>;
  /** Upstream keys in the node's input port order; null for an unwired optional input. */
  inputs: [port: string, upstream: string | null][];
  /** Set for non-deterministic nodes, so their key (and their downstream's) is new every run. */
  nonce?: string;
}

/** sha256 of what determines a node's result: never its id, title or position. */
export function cacheKey(parts: CacheKeyParts): string {
  return createHash('sha256').update(canonicalJson({ recipe: CACHE_KEY_RECIPE, ...parts })).digest('hex');
}
