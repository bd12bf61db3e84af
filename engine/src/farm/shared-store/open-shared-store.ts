/**
 * Turns the CLI's shared-store value into a store:
 * - `s3://bucket/prefix?endpoint=http://127.0.0.1:9000[&region=eu-west-1]` → S3Store
 *   (endpoint may come from REELGRAPH_S3_ENDPOINT instead, region from AWS_REGION;
 *   credentials from AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY and the SDK's usual chain);
 * - `file:///srv/cache` or a plain path → FolderStore.
 */
import { fileURLToPath } from 'node:url';
import { FolderStore } from './folder-store.ts';
import { S3Store } from './s3-store.ts';
import type { SharedStore } from './shared-store.ts';

export function openSharedStore(spec: string, env: NodeJS.ProcessEnv = process.env): SharedStore {
  const value = spec.trim();
  if (value === '') throw new Error('The shared store is empty: give a folder path, file:///path or s3://bucket/prefix?endpoint=URL.');
  const scheme = /^([a-z][a-z0-9+.-]*):\/\//i.exec(value)?.[1]?.toLowerCase();
  if (scheme === undefined) return new FolderStore(value);
  if (scheme === 'file') {
    let folder: string;
    try {
      folder = fileURLToPath(value);
    } catch (error) {
      throw new Error(`The shared store "${value}" is not a usable file:// URL: ${(error as Error).message}`);
    }
    return new FolderStore(folder);
  }
  if (scheme === 's3') return openS3(value, env);
  throw new Error(`The shared store "${value}" has the scheme ${scheme}://; use a folder path, file:///path or s3://bucket/prefix?endpoint=URL.`);
}

function openS3(value: string, env: NodeJS.ProcessEnv): S3Store {
  // Parsed by hand: URL would lowercase the bucket and read "host:port" rules into it.
  const match = /^s3:\/\/([^/?#]*)(\/[^?#]*)?(?:\?([^#]*))?$/i.exec(value);
  const bucket = match?.[1] ?? '';
  if (!match || !/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(bucket)) {
    throw new Error(`The shared store "${value}" does not name an S3 bucket (s3://bucket/prefix?endpoint=URL; bucket names are 3-63 lowercase letters, digits, dots and dashes).`);
  }
  const query = new URLSearchParams(match[3] ?? '');
  for (const name of query.keys()) {
    if (name !== 'endpoint' && name !== 'region') {
      throw new Error(`The shared store "${value}" has an unknown option "${name}" (known: endpoint, region).`);
    }
  }
  const endpoint = query.get('endpoint') || env.REELGRAPH_S3_ENDPOINT;
  if (!endpoint) {
    throw new Error(`The shared store "${value}" needs an endpoint: add ?endpoint=http://host:port or set REELGRAPH_S3_ENDPOINT.`);
  }
  const prefix = decodeURIComponent((match[2] ?? '').replace(/^\/+/, ''));
  const region = query.get('region') || env.AWS_REGION || undefined;
  return new S3Store({ endpoint, bucket, prefix, region });
}
