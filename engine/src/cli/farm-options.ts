/**
 * `--redis URL` and `--shared-cache PLACE` for `run`, `serve` and `worker`
 * (or REELGRAPH_REDIS and REELGRAPH_SHARED_CACHE). Without --redis nothing
 * changes: every node runs here.
 */
import { FarmClient } from '../farm/farm-client.ts';
import { checkRedis } from '../farm/redis-connection.ts';
import { openSharedStore } from '../farm/shared-store/open-shared-store.ts';
import type { SharedStore } from '../farm/shared-store/shared-store.ts';
import { UsageError } from './usage-error.ts';

export const FARM_OPTIONS = {
  redis: { type: 'string' },
  'shared-cache': { type: 'string' },
} as const;

export interface FarmConnection {
  redisUrl: string;
  shared: SharedStore;
}

/** The farm the flags name, checked (Redis reachable and not evicting); undefined without --redis. */
export async function farmFromFlags(values: { redis?: string; 'shared-cache'?: string }): Promise<FarmConnection | undefined> {
  const redisUrl = values.redis ?? process.env.REELGRAPH_REDIS;
  if (!redisUrl) return undefined;
  const place = values['shared-cache'] ?? process.env.REELGRAPH_SHARED_CACHE;
  if (!place) throw new UsageError('--redis needs --shared-cache (a folder every machine mounts, or s3://bucket/prefix?endpoint=URL): workers hand results over there.');
  let shared: SharedStore;
  try {
    shared = openSharedStore(place);
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  try {
    await checkRedis(redisUrl);
  } catch (error) {
    await shared.close();
    throw new UsageError((error as Error).message);
  }
  return { redisUrl, shared };
}

/** The coordinator's side: what `run` and `serve` hand to the engine. */
export function coordinatorOf(farm: FarmConnection | undefined): { sharedCache?: SharedStore; remote?: FarmClient } {
  if (!farm) return {};
  return { sharedCache: farm.shared, remote: new FarmClient({ redisUrl: farm.redisUrl, shared: farm.shared }) };
}
