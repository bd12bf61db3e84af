/**
 * A real S3-protocol server for tests: s3rver (npm, pure JavaScript, no
 * binary), on 127.0.0.1 at a free port, storing in a fresh temp folder that
 * is removed on stop. Clients use the fixed keys below and path-style
 * addressing.
 *
 * What s3rver does NOT do, so tests against it prove nothing about these:
 * - authentication: it refuses an unknown access key id, but does not check
 *   SigV4 signatures, so a wrong secret key goes through;
 * - checksums: x-amz-checksum-* headers and aws-chunked bodies with checksum
 *   trailers are not understood (an SDK left on its default checksum settings
 *   may store the chunk framing as object bytes), and x-amz-content-sha256 is
 *   only checked for its form, not against the body;
 * - conditional writes (If-None-Match / If-Match on PUT), versioning, object
 *   lock, lifecycle rules, server-side encryption, IAM policies or any key but
 *   the fixed one, presigned-URL expiry as AWS enforces it;
 * - AWS limits: multipart minimum part size (5 MiB) and the 10,000-part cap
 *   are not enforced, and nothing is rate-limited or eventually consistent;
 * - concurrency: one process and a local folder, so races between writers on
 *   different machines are not modelled.
 * - multipart ETags: a completed multipart object gets a plain MD5 ETag, not
 *   AWS's "<md5>-<parts>" (use `events` to tell how an object went up).
 * It does do PUT/GET/HEAD/DELETE of objects, multipart uploads, listing with
 * prefix/delimiter, and NoSuchKey / NoSuchBucket errors like S3.
 */
import type { EventEmitter } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import S3rver from 's3rver';

export const S3_TEST_CREDENTIALS = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' } as const;

export interface S3TestServer {
  /** `http://127.0.0.1:<port>` */
  readonly endpoint: string;
  /** A bucket that exists from the start. */
  readonly bucket: string;
  readonly credentials: typeof S3_TEST_CREDENTIALS;
  /** The folder s3rver stores in. */
  readonly directory: string;
  /**
   * Objects created so far, in order: `ObjectCreated:Put` for a PUT,
   * `ObjectCreated:Post` for a completed multipart upload, `ObjectCreated:Copy`.
   */
  readonly events: readonly { name: string; bucket: string; key: string }[];
  stop(): Promise<void>;
}

export async function startS3TestServer(options: { buckets?: readonly string[] } = {}): Promise<S3TestServer> {
  const buckets = options.buckets ?? ['reelgraph-test'];
  const directory = await mkdtemp(path.join(tmpdir(), 'reelgraph-s3-'));
  const server = new S3rver({
    address: '127.0.0.1',
    port: 0,
    silent: true,
    directory,
    // Path-style only: no bucket guessed from a Host header.
    vhostBuckets: false,
    configureBuckets: buckets.map((name) => ({ name, configs: [] })),
  });
  const events: { name: string; bucket: string; key: string }[] = [];
  // S3rver is a Koa app; its typings leave out the EventEmitter it is.
  (server as unknown as EventEmitter).on('event', (event: S3rverEvent) => {
    for (const record of event.Records ?? []) {
      events.push({ name: record.eventName, bucket: record.s3?.bucket?.name ?? '', key: record.s3?.object?.key ?? '' });
    }
  });
  let address;
  try {
    address = await server.run();
  } catch (error) {
    await rm(directory, { recursive: true, force: true });
    throw error;
  }
  let stopped = false;
  return {
    endpoint: `http://127.0.0.1:${address.port}`,
    bucket: buckets[0]!,
    credentials: S3_TEST_CREDENTIALS,
    directory,
    events,
    async stop() {
      if (stopped) return;
      stopped = true;
      try {
        await server.close();
      } finally {
        await rm(directory, { recursive: true, force: true });
      }
    },
  };
}

interface S3rverEvent {
  Records?: { eventName: string; s3?: { bucket?: { name?: string }; object?: { key?: string } } }[];
}
