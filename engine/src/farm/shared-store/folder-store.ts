/**
 * The shared tier on a folder every machine mounts (NFS, SMB, a local disk
 * for one machine): `<root>/<ab>/<key>.rgc` and `<key>.json` beside it. Both
 * are written under a temp name and renamed, data first, so a manifest only
 * ever names whole data.
 */
import { copyFile, mkdir, open, readFile, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { sha256File } from '@reelgraph/models';
import { tempNameFor, writeFileAtomic } from '../../fs/write-file-atomic.ts';
import { checkKey, manifestFor, parseManifest, type SharedStore } from './shared-store.ts';

export class FolderStore implements SharedStore {
  readonly root: string;
  readonly description: string;

  constructor(root: string) {
    this.root = path.resolve(root);
    this.description = `shared folder ${this.root}`;
  }

  async has(key: string): Promise<boolean> {
    return (await this.#manifest(key)) !== undefined;
  }

  async download(key: string, file: string): Promise<boolean> {
    const manifest = await this.#manifest(key);
    if (!manifest) return false;
    await copyFile(this.#dataPath(key), file);
    const { bytes, sha256 } = await measure(file);
    if (bytes !== manifest.bytes || sha256 !== manifest.sha256) {
      await rm(file, { force: true });
      throw new Error(`The shared entry ${key} in ${this.description} does not match its manifest (${bytes} bytes read, ${manifest.bytes} listed).`);
    }
    return true;
  }

  async upload(key: string, file: string): Promise<void> {
    const data = this.#dataPath(key);
    await mkdir(path.dirname(data), { recursive: true });
    const { bytes, sha256 } = await measure(file);
    const temp = tempNameFor(data);
    try {
      await copyFile(file, temp);
      // On disk before the manifest names it: a crash after the manifest must not leave it short.
      const handle = await open(temp, 'r+');
      await handle.sync().finally(() => handle.close());
      await rename(temp, data);
    } finally {
      await rm(temp, { force: true });
    }
    await writeFileAtomic(this.#manifestPath(key), [Buffer.from(JSON.stringify(manifestFor(key, bytes, sha256)))]);
  }

  async close(): Promise<void> {}

  async #manifest(key: string) {
    let text: string;
    try {
      text = await readFile(this.#manifestPath(key), 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw error;
    }
    return parseManifest(text, key);
  }

  #dataPath(key: string): string {
    return path.join(this.root, checkKey(key).slice(0, 2), `${key}.rgc`);
  }

  #manifestPath(key: string): string {
    return path.join(this.root, checkKey(key).slice(0, 2), `${key}.json`);
  }
}

/** Size and sha256 of a file (the hash remembered while the file is unchanged). */
async function measure(file: string): Promise<{ bytes: number; sha256: string }> {
  return { bytes: (await stat(file)).size, sha256: await sha256File(file) };
}
