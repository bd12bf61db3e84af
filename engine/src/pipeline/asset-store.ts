/**
 * Content-addressed media under `<data dir>/assets/`: embedded assets are
 * written here once so ffmpeg can read them, and uploads land here too.
 */
import { createHash } from 'node:crypto';
import { mkdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { writeFileAtomic } from '../fs/write-file-atomic.ts';

export class AssetStore {
  constructor(readonly dir: string) {}

  pathFor(sha256: string): string {
    return path.join(this.dir, sha256);
  }

  async find(sha256: string): Promise<{ path: string; bytes: number } | undefined> {
    const file = this.pathFor(sha256);
    try {
      const info = await stat(file);
      return info.isFile() ? { path: file, bytes: info.size } : undefined;
    } catch {
      return undefined;
    }
  }

  /** Stores bytes under their hash (once) and returns the path. */
  async put(sha256: string, bytes: Uint8Array): Promise<string> {
    const existing = await this.find(sha256);
    if (existing) return existing.path;
    if (createHash('sha256').update(bytes).digest('hex') !== sha256) throw new Error('asset bytes do not match their hash');
    await mkdir(this.dir, { recursive: true });
    await writeFileAtomic(this.pathFor(sha256), [bytes]);
    return this.pathFor(sha256);
  }
}
