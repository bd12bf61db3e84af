import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { rm } from 'node:fs/promises';
import type { IncomingMessage } from 'node:http';
import { finished, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { formatBytes } from '../format-bytes.ts';

/** The disk (or the user's quota) filled up while the body was written; nothing of it is kept. */
export class DiskFullError extends Error {
  constructor() {
    super('The engine\'s disk is full, so the file could not be stored; free some space (or empty the cache folder) and try again.');
  }
}

export function isDiskFull(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  return code === 'ENOSPC' || code === 'EDQUOT';
}

export class BodyTooLargeError extends Error {
  constructor(readonly limitBytes: number) {
    super(`The upload is larger than ${formatBytes(limitBytes)}; send a smaller file.`);
  }
}

/**
 * Streams a request body into `file` while hashing and counting it, and stops
 * at `limitBytes` (checking Content-Length first, so an honest client learns
 * at once). On failure the partial file is removed; a full disk is reported
 * as DiskFullError.
 */
export async function receiveBody(request: IncomingMessage, file: string, limitBytes: number): Promise<{ bytes: number; sha256: string }> {
  const declared = Number(request.headers['content-length']);
  if (Number.isFinite(declared) && declared > limitBytes) {
    request.resume();
    throw new BodyTooLargeError(limitBytes);
  }
  const hash = createHash('sha256');
  let bytes = 0;
  const meter = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      bytes += chunk.length;
      if (bytes > limitBytes) return done(new BodyTooLargeError(limitBytes));
      hash.update(chunk);
      done(null, chunk);
    },
  });
  // The request is piped in rather than made part of the pipeline: a failed write
  // (limit, full disk) must not destroy the request's socket, or the client would
  // never read the answer that says why. `finished` also reports a request that
  // was already gone before this point.
  const written = pipeline(meter, createWriteStream(file));
  const stopWatching = finished(request, (error) => {
    if (error) meter.destroy(new Error('The client hung up during the upload.'));
  });
  request.pipe(meter);
  try {
    await written;
  } catch (error) {
    request.unpipe(meter);
    await rm(file, { force: true });
    discardRest(request);
    throw isDiskFull(error) ? new DiskFullError() : error;
  } finally {
    stopWatching();
  }
  return { bytes, sha256: hash.digest('hex') };
}

/** How much of a refused body is read and dropped so the client can read the answer; past it, the connection is cut. */
const DISCARD_LIMIT_BYTES = 64 * 1024 * 1024;

function discardRest(request: IncomingMessage): void {
  let dropped = 0;
  request.on('data', (chunk: Buffer) => {
    dropped += chunk.length;
    if (dropped > DISCARD_LIMIT_BYTES) request.destroy();
  });
  request.resume();
}
