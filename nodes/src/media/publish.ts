/**
 * Puts a finished file or folder under its final name in one step, so that a
 * killed or failed export never leaves a half-written file under that name,
 * and never replaces something that is already there.
 */
import { randomBytes } from 'node:crypto';
import { link, lstat, open, rename, unlink } from 'node:fs/promises';
import path from 'node:path';

export class TargetExistsError extends Error {
  override name = 'TargetExistsError';
  constructor(readonly target: string) {
    super(`"${target}" already exists; it is never overwritten.`);
  }
}

/**
 * A hidden, unique name in the same folder as `target` (a rename across file
 * systems would not be atomic). It carries the writer's pid, so the engine
 * can tell a killed export's leftovers from one still being written.
 */
export function temporarySibling(target: string): string {
  return path.join(path.dirname(target), `.${path.basename(target)}.${process.pid}.${randomBytes(6).toString('hex')}.part`);
}

export async function exists(file: string): Promise<boolean> {
  try {
    await lstat(file);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw error;
  }
}

/** Flushes a written file to disk before it is published. */
export async function syncFile(file: string): Promise<void> {
  const handle = await open(file, 'r+');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/**
 * Moves `temp` to `target`. A hard link fails when the target exists, which a
 * plain rename would silently replace; file systems without hard links get a
 * check followed by a rename.
 */
export async function publishFile(temp: string, target: string): Promise<void> {
  try {
    await link(temp, target);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') throw new TargetExistsError(target);
    if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'EOPNOTSUPP' && code !== 'ENOSYS') throw error;
    if (await exists(target)) throw new TargetExistsError(target);
    await rename(temp, target);
    return;
  }
  await unlink(temp);
}

/** Moves the folder `temp` to `target`; renaming onto a non-empty folder fails, which guards an existing export. */
export async function publishFolder(temp: string, target: string): Promise<void> {
  if (await exists(target)) throw new TargetExistsError(target);
  try {
    await rename(temp, target);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOTEMPTY' || code === 'EEXIST') throw new TargetExistsError(target);
    throw error;
  }
}
