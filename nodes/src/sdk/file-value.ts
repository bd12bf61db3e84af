import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import path from 'node:path';
import type { FileValue } from './values.ts';

// Hashing a large video on every run would dominate a cached run; a file whose
// identity, size and modification time are unchanged keeps its hash.
const hashes = new Map<string, { stamp: string; sha256: string }>();

/** The sha256 of a file's content, remembered while the file's inode, size and mtime stay the same. */
export async function sha256File(file: string): Promise<string> {
  const info = await stat(file);
  const stamp = `${info.ino}:${info.size}:${info.mtimeMs}`;
  const known = hashes.get(file);
  if (known?.stamp === stamp) return known.sha256;
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  const sha256 = hash.digest('hex');
  hashes.set(file, { stamp, sha256 });
  return sha256;
}

/** Describes a file (or a folder of `files`) that a node wrote under the data dir. */
export async function describeWrittenFile(
  dataDir: string,
  relativePath: string,
  mime: string,
  files?: string[],
): Promise<FileValue> {
  const absolute = path.join(dataDir, relativePath);
  const { sha256, bytes } = await measure(absolute, files);
  return { kind: 'file', path: relativePath, mime, bytes, sha256, ...(files ? { files } : {}) };
}

async function measure(absolute: string, files?: string[]): Promise<{ sha256: string; bytes: number }> {
  if (!files) return { sha256: await sha256File(absolute), bytes: (await stat(absolute)).size };
  const hash = createHash('sha256');
  let bytes = 0;
  for (const name of files) {
    const file = path.join(absolute, name);
    hash.update(`${name}\0${await sha256File(file)}\0`);
    bytes += (await stat(file)).size;
  }
  return { sha256: hash.digest('hex'), bytes };
}

/** True when the artefact a cached FileValue names is still on disk, unchanged. */
export async function isFileIntact(dataDir: string, value: FileValue): Promise<boolean> {
  try {
    const measured = await measure(path.join(dataDir, value.path), value.files);
    return measured.sha256 === value.sha256;
  } catch {
    return false;
  }
}
