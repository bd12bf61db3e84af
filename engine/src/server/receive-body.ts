import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { rm } from 'node:fs/promises';
import type { IncomingMessage } from 'node:http';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';

export class BodyTooLargeError extends Error {
  constructor(readonly limitBytes: number) {
    super(`The upload is larger than ${formatBytes(limitBytes)}; send a smaller file.`);
  }
}

/**
 * Streams a request body into `file` while hashing and counting it, and stops
 * at `limitBytes` (checking Content-Length first, so an honest client learns
 * at once). On failure the partial file is removed.
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
  try {
    await pipeline(request, meter, createWriteStream(file));
  } catch (error) {
    await rm(file, { force: true });
    // Stop reading a body we refused; the client gets its answer without sending the rest.
    request.resume();
    throw error;
  }
  return { bytes, sha256: hash.digest('hex') };
}

/** "64 KiB", "1.5 MiB": a limit as a person reads it. */
export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} bytes`;
  if (bytes < 1024 ** 2) return `${Number((bytes / 1024).toFixed(1))} KiB`;
  if (bytes < 1024 ** 3) return `${Number((bytes / 1024 ** 2).toFixed(1))} MiB`;
  return `${Number((bytes / 1024 ** 3).toFixed(1))} GiB`;
}
