import { randomBytes } from 'node:crypto';
import { open, readdir, rename, rm } from 'node:fs/promises';
import path from 'node:path';

export const TEMP_SUFFIX = '.tmp';

/**
 * The temp name a writer uses beside `file`. It carries the writer's pid, so a
 * later process can tell the leftovers of a killed writer from live ones.
 */
export function tempNameFor(file: string): string {
  return path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.${randomBytes(4).toString('hex')}${TEMP_SUFFIX}`);
}

/**
 * Writes to a temp name, fsyncs, then renames: readers see the whole file or
 * none of it, even if this process is killed halfway.
 */
export async function writeFileAtomic(file: string, chunks: readonly Uint8Array[]): Promise<void> {
  const temp = tempNameFor(file);
  const handle = await open(temp, 'w');
  try {
    // writev takes at most IOV_MAX buffers per call and may write fewer bytes than asked.
    for (let i = 0; i < chunks.length; i += 512) {
      await writeAll(handle, chunks.slice(i, i + 512));
    }
    await handle.sync();
    await handle.close();
    await rename(temp, file);
  } catch (error) {
    await handle.close().catch(() => undefined);
    await rm(temp, { force: true });
    throw error;
  }
}

async function writeAll(handle: import('node:fs/promises').FileHandle, chunks: readonly Uint8Array[]): Promise<void> {
  let pending = chunks.filter((c) => c.byteLength > 0);
  while (pending.length > 0) {
    const { bytesWritten } = await handle.writev(pending);
    let skip = bytesWritten;
    const rest: Uint8Array[] = [];
    for (const chunk of pending) {
      if (skip >= chunk.byteLength) {
        skip -= chunk.byteLength;
        continue;
      }
      rest.push(skip > 0 ? chunk.subarray(skip) : chunk);
      skip = 0;
    }
    pending = rest;
  }
}

/**
 * Whether `name` is a temp file or folder whose writer is gone: this module's
 * `.tmp` files and exports' `.part` files (nodes' temporarySibling), both
 * named with the writer's pid. Parts named before the pid was added are
 * always leftovers.
 */
export function isOrphanTemp(name: string): boolean {
  if (/^\..+\.[0-9a-f]{12}\.part$/.test(name) && !/\.\d+\.[0-9a-f]{12}\.part$/.test(name)) return true;
  const match = /\.(\d+)\.[0-9a-f]{8}\.tmp$/.exec(name) ?? /\.(\d+)\.[0-9a-f]{12}\.part$/.exec(name);
  if (!match) return false;
  const pid = Number(match[1]);
  if (pid === process.pid) return false;
  try {
    process.kill(pid, 0);
    return false;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ESRCH';
  }
}

/**
 * Removes the leftovers of killed writers under `dir` (and its subfolders),
 * as the cache does for its own folder; returns how many it removed. Never
 * throws: what cannot be read or removed is left.
 */
export async function sweepOrphanTemps(dir: string): Promise<number> {
  let removed = 0;
  let entries: import('node:fs').Dirent[];
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch {
    return 0;
  }
  for (const entry of entries) {
    const full = path.join(dir, entry.name);
    if (isOrphanTemp(entry.name)) {
      // Best effort: a leftover that cannot be removed (permissions, a busy mount) must not stop the engine.
      await rm(full, { recursive: true, force: true }).then(
        () => removed++,
        () => undefined,
      );
    } else if (entry.isDirectory()) {
      removed += await sweepOrphanTemps(full);
    }
  }
  return removed;
}
