import { randomBytes } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm, stat, truncate, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { memoryFrames, videoOf, type Outputs } from '@reelgraph/nodes';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DiskTier } from './disk-tier.ts';

const key = (n: number) => n.toString(16).padStart(64, '0');
const video = (fill: number, frames = 2): Outputs => ({
  video: videoOf(memoryFrames({ width: 8, height: 4, channels: 3 }, new Uint8Array(8 * 4 * 3 * frames).fill(fill)), 24),
});
const pixelsOf = (outputs: Outputs | undefined) => {
  const value = outputs?.video;
  if (value?.kind !== 'video') throw new Error('no video');
  return value.frames.read(0, value.frameCount);
};

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'reelgraph-disk-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function entryFiles(): Promise<string[]> {
  const files: string[] = [];
  for (const shard of await readdir(dir)) files.push(...(await readdir(path.join(dir, shard))).map((f) => path.join(shard, f)));
  return files;
}

describe('DiskTier', () => {
  it('round-trips pixels and survives a restart', async () => {
    await new DiskTier(dir, 1e9).put(key(1), video(77));
    const reopened = new DiskTier(dir, 1e9);
    const outputs = await reopened.get(key(1));
    expect(outputs?.video).toMatchObject({ kind: 'video', width: 8, height: 4, frameCount: 2 });
    const frames = await pixelsOf(outputs);
    expect(frames.length).toBe(192);
    expect(frames.every((v) => v === 77)).toBe(true);
    expect(await reopened.usage()).toEqual({ entries: 1, bytes: (await stat(path.join(dir, key(1).slice(0, 2), `${key(1)}.rgc`))).size });
  });

  it('evicts the least recently used entries past its budget', async () => {
    // Entries are compressed, so their sizes differ a little: room for the two largest, not for three.
    const probe = new DiskTier(path.join(dir, 'probe'), 1e9);
    const sizes = [];
    for (const i of [1, 2, 3]) sizes.push(await probe.put(key(i), video(i)));
    const entryBytes = Math.max(...sizes);
    await rm(path.join(dir, 'probe'), { recursive: true });

    const tier = new DiskTier(dir, entryBytes * 2);
    await tier.put(key(1), video(1));
    await tier.put(key(2), video(2));
    await tier.get(key(1));
    await tier.put(key(3), video(3));
    expect(await tier.has(key(2))).toBe(false);
    expect(await tier.has(key(1))).toBe(true);
    expect(await tier.has(key(3))).toBe(true);
    expect((await entryFiles()).length).toBe(2);
  });

  it('never evicts an entry a run has pinned, and evicts it once unpinned', async () => {
    const probe = new DiskTier(path.join(dir, 'probe'), 1e9);
    const sizes = [];
    for (const i of [1, 2, 3]) sizes.push(await probe.put(key(i), video(i)));
    await rm(path.join(dir, 'probe'), { recursive: true });

    const tier = new DiskTier(dir, Math.max(...sizes) * 2);
    await tier.put(key(1), video(1));
    // A run still reading key 1's frames: the oldest, yet kept past the budget.
    tier.pin(key(1));
    tier.pin(key(1));
    await tier.put(key(2), video(2));
    await tier.put(key(3), video(3));
    expect(await tier.has(key(1))).toBe(true);
    expect(await tier.has(key(2))).toBe(false);
    expect(await pixelsOf(await tier.get(key(1)))).toEqual(new Uint8Array(192).fill(1));

    // Pins count: one unpin still leaves it held.
    tier.unpin(key(1));
    await tier.put(key(4), video(4));
    expect(await tier.has(key(1))).toBe(true);
    tier.unpin(key(1));
    await tier.put(key(5), video(5));
    expect(await tier.has(key(1))).toBe(false);
    expect(await tier.has(key(5))).toBe(true);
  });

  it('never evicts the entry a commit just wrote, even when pinned entries fill the budget', async () => {
    const noise = (frames: number) => videoOf(memoryFrames({ width: 64, height: 64, channels: 3 }, new Uint8Array(randomBytes(frames * 64 * 64 * 3))), 24);
    const tier = new DiskTier(dir, 300_000);
    await tier.put(key(1), { video: noise(12) });
    tier.pin(key(1));
    const entry = await tier.newEntry(key(2));
    const committed = await tier.commit(key(2), entry, { video: noise(16) });
    expect(committed.kept).toBe(true);
    // Over budget until the run unpins: both are read by it.
    expect(await tier.has(key(2))).toBe(true);
    const video = committed.outputs.video;
    if (video?.kind !== 'video') throw new Error('no video');
    await expect(video.frames.read(0, 16)).resolves.toHaveLength(16 * 64 * 64 * 3);
    // The commit's pin is the caller's to give back; then eviction may take what is old.
    tier.unpin(key(1));
    tier.unpin(key(2));
    await tier.put(key(3), { video: noise(1) });
    expect(await tier.has(key(1))).toBe(false);
    expect(await tier.has(key(2))).toBe(true);
  });

  it('uses modification times to order eviction after a restart', async () => {
    const first = new DiskTier(dir, 1e9);
    await first.put(key(1), video(1));
    await first.put(key(2), video(2));
    const old = new Date(Date.now() - 3_600_000);
    await utimes(path.join(dir, key(2).slice(0, 2), `${key(2)}.rgc`), old, old);
    const { bytes } = await first.usage();
    const second = new DiskTier(dir, bytes);
    await second.put(key(3), video(3));
    expect(await second.has(key(2))).toBe(false);
    expect(await second.has(key(1))).toBe(true);
  });

  it('peeks at what an entry holds from its header, without its pixels', async () => {
    await new DiskTier(dir, 1e9).put(key(1), video(9, 3));
    const shape = await new DiskTier(dir, 1e9).peek(key(1));
    expect(shape?.video).toMatchObject({ kind: 'video', width: 8, height: 4, fps: 24, frameCount: 3 });
    expect(await new DiskTier(dir, 1e9).peek(key(2))).toBeUndefined();
  });

  it('treats a damaged entry as a miss and deletes it', async () => {
    await new DiskTier(dir, 1e9).put(key(1), video(5));
    const file = path.join(dir, key(1).slice(0, 2), `${key(1)}.rgc`);
    await truncate(file, (await stat(file)).size - 10);
    const tier = new DiskTier(dir, 1e9);
    expect(await tier.get(key(1))).toBeUndefined();
    await expect(stat(file)).rejects.toThrow();
    expect(await tier.has(key(1))).toBe(false);
  });

  it('removes temp files of dead writers and never reads them', async () => {
    const shard = path.join(dir, 'ab');
    const { mkdir } = await import('node:fs/promises');
    await mkdir(shard, { recursive: true });
    const orphan = path.join(shard, `.${key(9)}.rgc.999999999.deadbeef.tmp`);
    const live = path.join(shard, `.${key(8)}.rgc.${process.ppid}.cafef00d.tmp`);
    await writeFile(orphan, 'half');
    await writeFile(live, 'half');
    const tier = new DiskTier(dir, 1e9);
    expect(await tier.usage()).toEqual({ entries: 0, bytes: 0 });
    await expect(readFile(orphan)).rejects.toThrow();
    expect(await readFile(live, 'utf8')).toBe('half');
  });
});
