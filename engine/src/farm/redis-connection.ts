/**
 * Connections to the farm's Redis. BullMQ needs `maxmemory-policy
 * noeviction` (an evicted key is a lost job or lock), so a farm refuses to
 * start on a Redis that evicts, saying how to fix it.
 */
import { Redis, type RedisOptions } from 'ioredis';

/** Options for a BullMQ connection to `url` (redis://[user:pass@]host:port[/db]). */
export function redisOptions(url: string): RedisOptions {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new Error(`--redis must be a URL like redis://127.0.0.1:6379, not "${url}".`);
  }
  if (parsed.protocol !== 'redis:' && parsed.protocol !== 'rediss:') {
    throw new Error(`--redis must be a redis:// or rediss:// URL, not "${url}".`);
  }
  const db = parsed.pathname.length > 1 ? Number(parsed.pathname.slice(1)) : 0;
  if (!Number.isInteger(db) || db < 0) throw new Error(`The database in "${url}" must be a number.`);
  return {
    host: parsed.hostname,
    port: parsed.port ? Number(parsed.port) : 6379,
    db,
    ...(parsed.username ? { username: decodeURIComponent(parsed.username) } : {}),
    ...(parsed.password ? { password: decodeURIComponent(parsed.password) } : {}),
    ...(parsed.protocol === 'rediss:' ? { tls: {} } : {}),
    // BullMQ's blocking commands must wait as long as they need.
    maxRetriesPerRequest: null,
  };
}

/** Connects once and checks the eviction policy; throws an error a person can act on. */
export async function checkRedis(url: string): Promise<void> {
  const client = new Redis({ ...redisOptions(url), lazyConnect: true, maxRetriesPerRequest: 1, retryStrategy: () => null });
  client.on('error', () => undefined);
  try {
    await client.connect();
  } catch (error) {
    throw new Error(`Cannot reach Redis at ${url}: ${(error as Error).message}. Start redis-server there, or pass the right --redis URL.`);
  }
  try {
    const [, policy] = (await client.config('GET', 'maxmemory-policy')) as [string, string];
    if (policy !== 'noeviction') {
      throw new Error(
        `Redis at ${url} evicts keys (maxmemory-policy ${policy}); a farm needs noeviction, or jobs get lost. Run "CONFIG SET maxmemory-policy noeviction" on it, or set it in redis.conf.`,
      );
    }
  } finally {
    client.disconnect();
  }
}
