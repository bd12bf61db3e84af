/**
 * `POST /upload?name=photo.png`: the body is the file. It is streamed to a
 * temp file while hashed and counted (refused past the size limit), checked
 * by its header's declared size (a decompression bomb is refused with 413
 * before anything decodes it), decoded to prove it is an image or video, and
 * stored once under its sha256 in the asset store, where a pipeline names it
 * as `sha256:<hex>`. A full disk answers 507 and keeps nothing.
 */
import { mkdir, rename, rm } from 'node:fs/promises';
import type { IncomingMessage } from 'node:http';
import path from 'node:path';
import { LimitError, verifyDecodable, type MediaInfo } from '@reelgraph/nodes';
import type { AssetStore } from '../pipeline/asset-store.ts';
import { tempNameFor } from '../fs/write-file-atomic.ts';
import { Semaphore } from '../run/semaphore.ts';
import { BodyTooLargeError, DiskFullError, receiveBody } from './receive-body.ts';

export const DEFAULT_UPLOAD_LIMIT_BYTES = 512 * 1024 * 1024;

/**
 * Uploads decoded at once (each proves its type by decoding a frame in
 * ffmpeg); more wait their turn, so a burst of large pictures cannot add up.
 */
const decodeSlots = new Semaphore(2);

export class UploadError extends Error {
  constructor(
    readonly status: 400 | 413 | 415 | 507,
    message: string,
  ) {
    super(message);
  }
}

export interface UploadedAsset {
  ref: string;
  sha256: string;
  name: string;
  kind: 'image' | 'video';
  mime: string;
  bytes: number;
  width: number;
  height: number;
  fps?: number;
  frameCount?: number;
  duration?: number;
}

const MIME_BY_CODEC: Record<string, string> = {
  png: 'image/png',
  mjpeg: 'image/jpeg',
  webp: 'image/webp',
  gif: 'image/gif',
  bmp: 'image/bmp',
  tiff: 'image/tiff',
};

export async function receiveUpload(request: IncomingMessage, store: AssetStore, limitBytes: number): Promise<UploadedAsset> {
  const name = new URL(request.url ?? '/', 'http://engine').searchParams.get('name')?.slice(0, 255) || 'upload';
  await mkdir(store.dir, { recursive: true });
  const temp = tempNameFor(path.join(store.dir, 'upload'));
  let received: { bytes: number; sha256: string };
  try {
    received = await receiveBody(request, temp, limitBytes);
  } catch (error) {
    if (error instanceof BodyTooLargeError) throw new UploadError(413, error.message);
    if (error instanceof DiskFullError) throw new UploadError(507, error.message);
    throw error;
  }
  try {
    if (received.bytes === 0) throw new UploadError(400, 'The upload is empty.');
    let verified: { kind: 'image' | 'video'; info: MediaInfo };
    try {
      verified = await decodeSlots.use(() => verifyDecodable(temp));
    } catch (error) {
      if (error instanceof LimitError) throw new UploadError(413, `"${name}" is too large to decode: ${lowerFirst(error.message)}`);
      throw new UploadError(415, `"${name}" is not an image or video Reelgraph can read (PNG, JPEG, WebP, MP4, WebM, MOV, …).`);
    }
    const { sha256, bytes } = received;
    if (await store.find(sha256)) await rm(temp, { force: true });
    else await rename(temp, store.pathFor(sha256));
    const { kind, info } = verified;
    return {
      ref: `sha256:${sha256}`,
      sha256,
      name,
      kind,
      mime: kind === 'image' ? (MIME_BY_CODEC[info.codec] ?? 'application/octet-stream') : videoMime(name),
      bytes,
      width: info.width,
      height: info.height,
      ...(kind === 'video' ? { fps: info.fps, frameCount: info.frameCount, duration: info.duration } : {}),
    };
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
}

function videoMime(name: string): string {
  const extension = path.extname(name).toLowerCase();
  return { '.webm': 'video/webm', '.mov': 'video/quicktime', '.mkv': 'video/x-matroska' }[extension] ?? 'video/mp4';
}

function lowerFirst(text: string): string {
  return text.charAt(0).toLowerCase() + text.slice(1);
}
