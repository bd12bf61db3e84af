import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm, stat, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rememberingFileHasher, sha256File } from './file-hash.ts';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'reelgraph-file-hash-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

const sha256 = (bytes: string | Buffer) => createHash('sha256').update(bytes).digest('hex');

/** A hasher that counts whole-file reads; `clockAhead` makes every file look that much older. */
function countingHasher(clockAhead: number) {
  const reads: string[] = [];
  const hasher = rememberingFileHasher({
    now: () => Date.now() + clockAhead,
    hashContent: async (file) => {
      reads.push(path.basename(file));
      return sha256(await readFile(file));
    },
  });
  return { hasher, reads };
}

describe('sha256File', () => {
  it('hashes the content', async () => {
    const file = path.join(dir, 'plain.txt');
    await writeFile(file, 'reelgraph');
    expect(await sha256File(file)).toBe(sha256('reelgraph'));
  });

  it('reads an old, unchanged file once, and again after it is rewritten', async () => {
    const { hasher, reads } = countingHasher(60_000);
    const file = path.join(dir, 'old.txt');
    await writeFile(file, 'aaaa');
    expect(await hasher(file)).toBe(sha256('aaaa'));
    // The same file by a relative path.
    expect(await hasher(path.relative(process.cwd(), file))).toBe(sha256('aaaa'));
    expect(reads).toEqual(['old.txt']);
    // Another size, so the stamp changes even where timestamps tick coarsely.
    await writeFile(file, 'bbbbb');
    expect(await hasher(file)).toBe(sha256('bbbbb'));
    expect(reads).toEqual(['old.txt', 'old.txt']);
  });

  it('sees a same-size rewrite whose mtime is set back to what it was', async () => {
    const { hasher } = countingHasher(60_000);
    const file = path.join(dir, 'restamped.txt');
    const stampSeconds = 1_700_000_000;
    await writeFile(file, 'cccc');
    await utimes(file, stampSeconds, stampSeconds);
    expect(await hasher(file)).toBe(sha256('cccc'));
    const { ctimeMs } = await stat(file);
    await writeFile(file, 'dddd');
    await utimes(file, stampSeconds, stampSeconds);
    // The file only looks old (the clock is faked): where timestamps tick coarsely the rewrite may share the first write's ctime,
    // which a really old file never does. Touch it until the tick has passed.
    while ((await stat(file)).ctimeMs === ctimeMs) await utimes(file, stampSeconds, stampSeconds);
    expect((await stat(file)).mtimeMs).toBe(stampSeconds * 1000);
    expect(await hasher(file)).toBe(sha256('dddd'));
  });

  it('does not remember a file modified moments ago: a rewrite in the same tick would leave its stamps unchanged', async () => {
    const { hasher, reads } = countingHasher(0);
    const file = path.join(dir, 'fresh.txt');
    await writeFile(file, 'eeee');
    await hasher(file);
    await hasher(file);
    expect(reads).toEqual(['fresh.txt', 'fresh.txt']);
  });
});
