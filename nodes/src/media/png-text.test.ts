import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { deflateSync } from 'node:zlib';
import { crc32 } from './crc32.ts';
import { decodeImage } from './decode.ts';
import { encodeChunk, insertPngText, readPngText } from './png-text.ts';
import { fill, pixelAt, tempDir, writeWithFfmpeg, removeTempDirs } from '../testing/node-test-kit.ts';

afterAll(removeTempDirs);

async function smallPng(): Promise<Uint8Array> {
  const dir = await tempDir();
  const file = await writeWithFfmpeg(path.join(dir, 'in.png'), { width: 4, height: 2, fps: 1, frames: fill(4, 2, 1, () => [10, 200, 30]) });
  return readFile(file);
}

/** Chunk types in order, each with a checked CRC. */
function chunkTypes(png: Uint8Array): string[] {
  const view = new DataView(png.buffer, png.byteOffset, png.byteLength);
  const types: string[] = [];
  for (let offset = 8; offset < png.length; ) {
    const length = view.getUint32(offset);
    expect(view.getUint32(offset + 8 + length)).toBe(crc32(png.subarray(offset + 4, offset + 8 + length)));
    types.push(Buffer.from(png.subarray(offset + 4, offset + 8)).toString('latin1'));
    offset += 12 + length;
  }
  return types;
}

describe('PNG text chunks', () => {
  it('inserts iTXt chunks after IHDR, with valid CRCs, and reads them back', async () => {
    const png = await smallPng();
    const text = '{"name":"Café – 夜","n":1}';
    const tagged = insertPngText(png, [
      { keyword: 'Comment', text },
      { keyword: 'Description', text: 'AI-generated' },
    ]);
    expect(chunkTypes(tagged).slice(0, 3)).toEqual(['IHDR', 'iTXt', 'iTXt']);
    expect(chunkTypes(tagged).at(-1)).toBe('IEND');
    expect(readPngText(tagged)).toEqual([
      { keyword: 'Comment', text },
      { keyword: 'Description', text: 'AI-generated' },
    ]);
  });

  it('leaves a file that ffmpeg still decodes to the same pixels', async () => {
    const dir = await tempDir();
    const file = path.join(dir, 'tagged.png');
    await writeFile(file, insertPngText(await smallPng(), [{ keyword: 'Comment', text: 'x'.repeat(5000) }]));
    const image = await decodeImage(file);
    expect([image.width, image.height]).toEqual([4, 2]);
    expect(pixelAt(image, 3, 1)).toEqual([10, 200, 30]);
  });

  it('reads tEXt and compressed zTXt and iTXt chunks that other tools write', async () => {
    const png = await smallPng();
    const latin = Buffer.concat([Buffer.from('Title\0Caf\xe9', 'latin1')]);
    const z = Buffer.concat([Buffer.from('Author\0\0', 'latin1'), deflateSync(Buffer.from('Ann'))]);
    const iz = Buffer.concat([Buffer.from('Comment\0\x01\0en\0Kommentar\0', 'latin1'), deflateSync(Buffer.from('ünïcode'))]);
    const end = png.length - 12;
    const withChunks = Buffer.concat([png.subarray(0, end), encodeChunk('tEXt', latin), encodeChunk('zTXt', z), encodeChunk('iTXt', iz), png.subarray(end)]);
    expect(readPngText(withChunks)).toEqual([
      { keyword: 'Title', text: 'Café' },
      { keyword: 'Author', text: 'Ann' },
      { keyword: 'Comment', text: 'ünïcode' },
    ]);
  });

  it('refuses bad keywords and files that are not PNG', async () => {
    const png = await smallPng();
    expect(() => insertPngText(png, [{ keyword: '', text: 'x' }])).toThrow(/keyword/);
    expect(() => insertPngText(png, [{ keyword: ' lead', text: 'x' }])).toThrow(/keyword/);
    expect(() => insertPngText(png, [{ keyword: 'k'.repeat(80), text: 'x' }])).toThrow(/keyword/);
    expect(() => readPngText(Buffer.from('GIF89a'))).toThrow(/Not a PNG/);
    expect(() => readPngText(png.subarray(0, 40))).toThrow(/truncated/);
  });
});
