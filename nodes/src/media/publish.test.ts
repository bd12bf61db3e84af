import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { publishFile, publishFolder, TargetExistsError, temporarySibling } from './publish.ts';
import { tempDir, removeTempDirs } from '../testing/node-test-kit.ts';

afterAll(removeTempDirs);

describe('publishing', () => {
  it('names temporaries hidden, unique, in the target folder, and after the writing process', () => {
    const a = temporarySibling('/data/outputs/clip_00001.mp4');
    expect(path.dirname(a)).toBe('/data/outputs');
    expect(path.basename(a)).toMatch(new RegExp(`^\\.clip_00001\\.mp4\\.${process.pid}\\.[0-9a-f]{12}\\.part$`));
    expect(temporarySibling('/data/outputs/clip_00001.mp4')).not.toBe(a);
  });

  it('moves a file into place, and refuses to replace one', async () => {
    const dir = await tempDir();
    const target = path.join(dir, 'out.bin');
    const first = temporarySibling(target);
    await writeFile(first, 'first');
    await publishFile(first, target);
    expect(await readdir(dir)).toEqual(['out.bin']);

    const second = temporarySibling(target);
    await writeFile(second, 'second');
    await expect(publishFile(second, target)).rejects.toBeInstanceOf(TargetExistsError);
    expect(await readFile(target, 'utf8')).toBe('first');
  });

  it('moves a folder into place, and refuses to replace one', async () => {
    const dir = await tempDir();
    const target = path.join(dir, 'frames');
    const temp = temporarySibling(target);
    await mkdir(temp);
    await writeFile(path.join(temp, 'a.png'), 'a');
    await publishFolder(temp, target);
    expect(await readdir(target)).toEqual(['a.png']);

    const again = temporarySibling(target);
    await mkdir(again);
    await expect(publishFolder(again, target)).rejects.toBeInstanceOf(TargetExistsError);
  });
});
