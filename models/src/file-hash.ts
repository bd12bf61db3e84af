/**
 * The sha256 of a file's content, remembered while the file is unchanged, so
 * that a cached run does not re-read a large video or weight file each time.
 *
 * "Unchanged" means the same inode, size, mtime and ctime (ctime moves on
 * every write and cannot be set back, unlike mtime). A file modified within
 * the racy window of being hashed is not remembered: a second write in the
 * same timestamp tick (a second on some filesystems) would leave every stamp
 * as it was. Git's index treats such "racily clean" entries the same way.
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { resolve } from 'node:path';

export interface FileHasherOptions {
  /** How recently modified a file may be and still be remembered (ms). */
  racyWindowMs?: number;
  /** Reads and hashes the whole file. */
  hashContent?: (file: string) => Promise<string>;
  now?: () => number;
}

export function rememberingFileHasher({ racyWindowMs = 2000, hashContent = sha256OfContent, now = Date.now }: FileHasherOptions = {}) {
  const remembered = new Map<string, { stamp: string; sha256: string }>();
  return async function sha256File(file: string): Promise<string> {
    const absolute = resolve(file);
    const info = await stat(absolute);
    const stamp = `${info.ino}:${info.size}:${info.mtimeMs}:${info.ctimeMs}`;
    const known = remembered.get(absolute);
    if (known?.stamp === stamp) return known.sha256;
    const startedAt = now();
    const sha256 = await hashContent(absolute);
    if (startedAt - Math.max(info.mtimeMs, info.ctimeMs) > racyWindowMs) remembered.set(absolute, { stamp, sha256 });
    else remembered.delete(absolute);
    return sha256;
  };
}

async function sha256OfContent(file: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/** The process-wide hasher: media, exports and model files share what it remembers. */
export const sha256File = rememberingFileHasher();
