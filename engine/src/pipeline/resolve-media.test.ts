import { createHash } from 'node:crypto';
import { chown, link, mkdir, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AssetStore } from './asset-store.ts';
import { checkRelativePath, resolveMedia, type MediaContext } from './resolve-media.ts';

let root: string;
let context: MediaContext;
const bytes = Buffer.from('not really a png');
const sha = createHash('sha256').update(bytes).digest('hex');

beforeEach(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'reelgraph-media-'));
  await mkdir(path.join(root, 'pipeline', 'media'), { recursive: true });
  await writeFile(path.join(root, 'pipeline', 'media', 'photo.png'), bytes);
  await writeFile(path.join(root, 'secret.txt'), 'secret');
  context = { baseDir: path.join(root, 'pipeline'), assets: {}, store: new AssetStore(path.join(root, 'data', 'assets')) };
});
afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('resolveMedia', () => {
  it('resolves a path beside the pipeline and hashes its content', async () => {
    const file = await resolveMedia('media/photo.png', context);
    expect(file).toMatchObject({ name: 'media/photo.png', sha256: sha, bytes: bytes.length });
    expect(await readFile(file.path)).toEqual(bytes);
  });

  it.each([
    ['/etc/passwd', /absolute path/],
    ['C:/Windows/win.ini', /absolute path/],
    ['../secret.txt', /outside the pipeline's folder/],
    ['media/../../secret.txt', /outside the pipeline's folder/],
    ['media\\photo.png', /write paths with "\/"/],
    ['', /empty/],
  ])('refuses %j', async (reference, message) => {
    await expect(resolveMedia(reference, context)).rejects.toThrow(message);
  });

  it('refuses a symlink that leads outside the folder', async () => {
    await symlink(path.join(root, 'secret.txt'), path.join(root, 'pipeline', 'media', 'link.png'));
    await expect(resolveMedia('media/link.png', context)).rejects.toThrow(/link that leads outside/);
  });

  it('reads a hard link to a file of the folder\'s own owner, as deduplicated media are', async () => {
    await link(path.join(root, 'pipeline', 'media', 'photo.png'), path.join(root, 'backup-photo.png'));
    expect(await resolveMedia('media/photo.png', context)).toMatchObject({ sha256: sha });
  });

  // Only root can give a file to another user, which is what a planted link looks like.
  it.skipIf(process.getuid?.() !== 0)('refuses a hard link to another user\'s file, which may live outside the folder', async () => {
    await chown(path.join(root, 'secret.txt'), 4242, 4242);
    await link(path.join(root, 'secret.txt'), path.join(root, 'pipeline', 'media', 'hard.png'));
    await expect(resolveMedia('media/hard.png', context)).rejects.toThrow(
      '"media/hard.png" is a hard link to a file of another user, so it may come from outside the pipeline\'s folder; replace it with a copy (cp, not ln).',
    );
  });

  it('refuses a picture by the size its header declares, before anything decodes it', async () => {
    // A PNG signature and IHDR declaring 12000×12000, then junk: the header alone decides.
    const ihdr = Buffer.alloc(25);
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]).copy(ihdr, 0);
    ihdr.writeUInt32BE(13, 8);
    ihdr.write('IHDR', 12, 'latin1');
    ihdr.writeUInt32BE(12000, 16);
    ihdr.writeUInt32BE(12000, 20);
    ihdr[24] = 8;
    await writeFile(path.join(root, 'pipeline', 'media', 'bomb.png'), Buffer.concat([ihdr, Buffer.alloc(4096, 7)]));
    await expect(resolveMedia('media/bomb.png', context)).rejects.toThrow(
      '"media/bomb.png" declares 12000×12000 pixels (144 megapixels); pictures up to 67 megapixels are decoded. Scale it down first.',
    );
    await writeFile(path.join(root, 'pipeline', 'media', 'cut.png'), ihdr.subarray(0, 14));
    await expect(resolveMedia('media/cut.png', context)).rejects.toThrow(/^"media\/cut.png" is damaged: /);
  });

  it('says which file is missing', async () => {
    await expect(resolveMedia('media/nope.png', context)).rejects.toThrow(/"media\/nope.png" does not exist/);
  });

  it('refuses paths when the pipeline has no folder', async () => {
    await expect(resolveMedia('media/photo.png', { ...context, baseDir: undefined })).rejects.toThrow(/embed or upload/);
  });

  it('stores an embedded asset once, under its hash', async () => {
    const assets = { [`sha256:${sha}`]: { name: 'photo.png', mime: 'image/png', data: bytes.toString('base64') } };
    const file = await resolveMedia(`sha256:${sha}`, { ...context, assets });
    expect(file).toMatchObject({ name: 'photo.png', sha256: sha, path: path.join(root, 'data', 'assets', sha) });
    expect(await readFile(file.path)).toEqual(bytes);
  });

  it('refuses an embedded asset whose data does not match its name', async () => {
    const wrong = 'a'.repeat(64);
    const assets = { [`sha256:${wrong}`]: { name: 'photo.png', mime: 'image/png', data: bytes.toString('base64') } };
    await expect(resolveMedia(`sha256:${wrong}`, { ...context, assets })).rejects.toThrow(/damaged/);
  });

  it('finds an asset that is not embedded in the data dir, or says it is missing', async () => {
    await expect(resolveMedia(`sha256:${sha}`, context)).rejects.toThrow(/neither embedded .* nor in the data dir/);
    await context.store.put(sha, bytes);
    expect((await resolveMedia(`sha256:${sha}`, context)).path).toBe(path.join(root, 'data', 'assets', sha));
  });

  it('normalises harmless relative paths', () => {
    expect(checkRelativePath('./media//photo.png')).toBe('media/photo.png');
  });
});
