import { createHash } from 'node:crypto';
import { stat } from 'node:fs/promises';
import path from 'node:path';
import { sha256File } from '@reelgraph/models';
import type { FileValue } from './values.ts';

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
