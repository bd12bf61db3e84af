import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { decodeVideo } from './decode.ts';
import { gifCommentExtension, insertGifComments, readGifComments } from './gif-comment.ts';
import { probeMedia } from './probe.ts';
import { fill, frameAt, meanColour, tempDir, writeWithFfmpeg, removeTempDirs } from '../testing/node-test-kit.ts';
import { memoryFrameStore } from '../sdk/frame-sequence.ts';

afterAll(removeTempDirs);

/** A hand-made 1×1 GIF87a: global colour table of 2, one image, LZW data for pixel 0. */
const TINY_GIF87 = Uint8Array.from([
  ...Buffer.from('GIF87a', 'latin1'), 1, 0, 1, 0, 0x80, 0, 0,
  255, 0, 0, 0, 0, 255,
  0x2c, 0, 0, 0, 0, 1, 0, 1, 0, 0, 2, 2, 0x44, 0x01, 0, 0x3b,
]);

describe('GIF comment extensions', () => {
  it('splits text into sub-blocks of at most 255 bytes', () => {
    const bytes = gifCommentExtension('a'.repeat(300));
    expect([...bytes.subarray(0, 3)]).toEqual([0x21, 0xfe, 255]);
    expect(bytes[3 + 255]).toBe(45);
    expect(bytes.at(-1)).toBe(0);
    expect(bytes.length).toBe(2 + 1 + 255 + 1 + 45 + 1);
    expect([...gifCommentExtension('')]).toEqual([0x21, 0xfe, 0]);
  });

  it('inserts comments after the colour table, upgrades GIF87a and reads them back', () => {
    const tagged = insertGifComments(TINY_GIF87, ['first', 'x'.repeat(600)]);
    expect(Buffer.from(tagged.subarray(0, 6)).toString('latin1')).toBe('GIF89a');
    expect([...tagged.subarray(19, 21)]).toEqual([0x21, 0xfe]);
    expect(readGifComments(tagged)).toEqual(['first', 'x'.repeat(600)]);
    expect(readGifComments(TINY_GIF87)).toEqual([]);
  });

  it('keeps an ffmpeg GIF decodable, with the loop block still first', async () => {
    const dir = await tempDir();
    const source = await writeWithFfmpeg(path.join(dir, 'in.gif'), {
      width: 8,
      height: 8,
      fps: 10,
      frames: fill(8, 8, 5, () => [255, 0, 0]),
    });
    const original = await readFile(source);
    const tagged = insertGifComments(original, ['AI-generated', '{"a":1}']);
    const netscape = Buffer.from(original).indexOf('NETSCAPE2.0');
    expect(netscape).toBeGreaterThan(0);
    expect(Buffer.from(tagged).indexOf('NETSCAPE2.0')).toBe(netscape);
    expect(readGifComments(tagged)).toEqual(['AI-generated', '{"a":1}']);

    const file = path.join(dir, 'tagged.gif');
    await writeFile(file, tagged);
    expect((await probeMedia(file, { countFrames: true })).frameCount).toBe(5);
    const video = await decodeVideo(file, { store: memoryFrameStore });
    expect(video.frameCount).toBe(5);
    const [r, g, b] = meanColour(await frameAt(video, 4));
    expect(r).toBeGreaterThan(240);
    expect(g + b).toBeLessThan(20);
  });

  it('refuses what is not a GIF or is cut short', () => {
    expect(() => readGifComments(Buffer.from('\x89PNG'))).toThrow(/Not a GIF/);
    expect(() => readGifComments(TINY_GIF87.subarray(0, 25))).toThrow(/truncated/);
  });
});
