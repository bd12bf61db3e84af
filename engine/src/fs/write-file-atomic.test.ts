import { spawnSync } from 'node:child_process';
import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isOrphanTemp, sweepOrphanTemps, tempNameFor } from './write-file-atomic.ts';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'reelgraph-sweep-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** The pid of a process that has certainly exited. */
function deadPid(): number {
  return spawnSync(process.execPath, ['-e', '0']).pid!;
}

describe('leftovers of killed writers', () => {
  it('tells a dead writer\'s temp and part names from a live one\'s and from real files', () => {
    const dead = deadPid();
    expect(isOrphanTemp(`.entry.rgc.${dead}.0123abcd.tmp`)).toBe(true);
    expect(isOrphanTemp(`.clip_00001.mp4.${dead}.0123456789ab.part`)).toBe(true);
    expect(isOrphanTemp(path.basename(tempNameFor(path.join(dir, 'live'))))).toBe(false);
    expect(isOrphanTemp(`.clip_00001.mp4.${process.pid}.0123456789ab.part`)).toBe(false);
    // Exports named before parts carried a pid are always leftovers.
    expect(isOrphanTemp('.clip_00001.mp4.0123456789ab.part')).toBe(true);
    expect(isOrphanTemp('clip_00001.mp4')).toBe(false);
    expect(isOrphanTemp('my.0123456789ab.part.mp4')).toBe(false);
  });

  it('sweeps files and folders in subfolders, and keeps everything else', async () => {
    const dead = deadPid();
    await mkdir(path.join(dir, 'shots', `.frames.${dead}.0123456789ab.part`), { recursive: true });
    await writeFile(path.join(dir, 'shots', `.frames.${dead}.0123456789ab.part`, 'frame_0001.png'), 'x');
    await writeFile(path.join(dir, `.clip_00001.mp4.${dead}.0123456789ab.part`), 'x');
    await writeFile(path.join(dir, `.upload.${dead}.0123abcd.tmp`), 'x');
    await writeFile(path.join(dir, `.clip_00002.mp4.${process.pid}.0123456789ab.part`), 'x');
    await writeFile(path.join(dir, 'clip_00001.mp4'), 'x');
    expect(await sweepOrphanTemps(dir)).toBe(3);
    expect((await readdir(dir, { recursive: true })).sort()).toEqual(
      [`.clip_00002.mp4.${process.pid}.0123456789ab.part`, 'clip_00001.mp4', 'shots'].sort(),
    );
    expect(await sweepOrphanTemps(path.join(dir, 'missing'))).toBe(0);
  });
});
