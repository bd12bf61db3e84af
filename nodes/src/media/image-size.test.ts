import { existsSync } from 'node:fs';
import { open, readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { seededRandom } from '@reelgraph/models/seeded-random';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runFfmpeg } from './ffmpeg-process.ts';
import { ImageHeaderError, imageSizeOf, readImageSize, type ImageSize } from './image-size.ts';
import { encodeChunk } from './png-text.ts';
import { removeTempDirs, tempDir } from '../testing/node-test-kit.ts';

afterAll(removeTempDirs);

const WIDTH = 37;
const HEIGHT = 23;

interface Sample {
  name: string;
  file: string;
  format: ImageSize['format'];
  width: number;
  height: number;
  /** Output arguments after the test pattern input. */
  args: string[];
  /** The encoder it needs, when that may be missing from the shipped ffmpeg. */
  encoder?: string;
}

let dir: string;
let encoders: string;
const samples: Sample[] = [];

function sample(name: string, file: string, format: ImageSize['format'], args: string[], encoder?: string, size = [WIDTH, HEIGHT]): Sample {
  const entry = { name, file, format, width: size[0]!, height: size[1]!, args, ...(encoder ? { encoder } : {}) };
  samples.push(entry);
  return entry;
}

const SAMPLES = {
  png: sample('PNG', 'a.png', 'png', []),
  jpeg: sample('JPEG (mjpeg)', 'a.jpg', 'jpeg', []),
  gif: sample('GIF', 'a.gif', 'gif', []),
  bmp: sample('BMP', 'a.bmp', 'bmp', []),
  tiff: sample('TIFF', 'a.tiff', 'tiff', []),
  webpLossy: sample('WebP lossy (VP8)', 'lossy.webp', 'webp', ['-c:v', 'libwebp'], 'libwebp'),
  webpLossless: sample('WebP lossless (VP8L)', 'lossless.webp', 'webp', ['-c:v', 'libwebp', '-lossless', '1'], 'libwebp'),
  webpAnimated: sample('WebP animated (VP8X)', 'animated.webp', 'webp', ['-c:v', 'libwebp_anim', '-loop', '0'], 'libwebp_anim'),
  bigTiff: sample('TIFF with its directory past 64 KiB', 'big.tiff', 'tiff', ['-compression_algo', 'raw'], undefined, [1001, 701]),
};

function available(entry: Sample): boolean {
  return entry.encoder === undefined || new RegExp(`^ V\\S* ${entry.encoder} `, 'm').test(encoders);
}

async function bytesOf(entry: Sample): Promise<Uint8Array> {
  return readFile(path.join(dir, entry.file));
}

beforeAll(async () => {
  dir = await tempDir('reelgraph-image-size-');
  const listing: Buffer[] = [];
  await runFfmpeg(['-encoders'], { onStdout: (chunk) => void listing.push(chunk) });
  encoders = Buffer.concat(listing).toString('utf8');
  const frames = (entry: Sample) => (entry.encoder === 'libwebp_anim' ? '3' : '1');
  await Promise.all([
    ...samples.filter(available).map((entry) =>
      runFfmpeg([
        ...['-f', 'lavfi', '-i', `testsrc=size=${entry.width}x${entry.height}:rate=10`],
        ...['-frames:v', frames(entry), ...entry.args, '-y', path.join(dir, entry.file)],
      ]),
    ),
    runFfmpeg([
      ...['-f', 'lavfi', '-i', 'testsrc=size=64x48:rate=10'],
      ...['-frames:v', '3', '-c:v', 'libx264', '-pix_fmt', 'yuv420p', '-y', path.join(dir, 'clip.mp4')],
    ]),
  ]);
});

/** What imageSizeOf does with `bytes`: its size, or the class name of what it threw. */
function outcome(bytes: Uint8Array): ImageSize | undefined | string {
  try {
    return imageSizeOf(bytes);
  } catch (error) {
    return error instanceof ImageHeaderError ? 'ImageHeaderError' : `${(error as Error).name}: ${(error as Error).message}`;
  }
}

function pngHeader(width: number, height: number): Uint8Array {
  const ihdr = new Uint8Array(13);
  const view = new DataView(ihdr.buffer);
  view.setUint32(0, width);
  view.setUint32(4, height);
  ihdr.set([8, 2, 0, 0, 0], 8); // 8-bit RGB, deflate, adaptive filtering, no interlace
  return Buffer.concat([Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), encodeChunk('IHDR', ihdr)]);
}


describe('image sizes of files ffmpeg wrote', () => {
  for (const entry of samples) {
    it(`reads ${entry.width}×${entry.height} from a ${entry.name}`, async ({ skip }) => {
      if (!available(entry)) skip(`the shipped ffmpeg has no ${entry.encoder} encoder`);
      const file = path.join(dir, entry.file);
      const expected = { format: entry.format, width: entry.width, height: entry.height };
      expect(await readImageSize(file)).toEqual(expected);
      expect(imageSizeOf(await readFile(file))).toEqual(expected);
    });
  }

  it('covers each WebP bitstream and a TIFF directory that lies past the first 64 KiB', async ({ skip }) => {
    const tiff = await bytesOf(SAMPLES.bigTiff);
    expect(new DataView(tiff.buffer, tiff.byteOffset).getUint32(4, true)).toBeGreaterThan(64 * 1024);
    if (!available(SAMPLES.webpLossy) || !available(SAMPLES.webpAnimated)) skip('the shipped ffmpeg lacks a libwebp encoder');
    const chunk = async (entry: Sample) => Buffer.from((await bytesOf(entry)).subarray(12, 16)).toString('latin1');
    expect(await chunk(SAMPLES.webpLossy)).toBe('VP8 ');
    expect(await chunk(SAMPLES.webpLossless)).toBe('VP8L');
    expect(await chunk(SAMPLES.webpAnimated)).toBe('VP8X');
  });

  it('gives undefined for a video and for bytes that are no image', async () => {
    expect(await readImageSize(path.join(dir, 'clip.mp4'))).toBeUndefined();
    expect(imageSizeOf(await readFile(path.join(dir, 'clip.mp4')))).toBeUndefined();
    expect(imageSizeOf(new Uint8Array(0))).toBeUndefined();
    expect(imageSizeOf(Buffer.from('hello, world'))).toBeUndefined();
    expect(imageSizeOf(Buffer.from('RIFF\x24\0\0\0AVI LIST', 'latin1'))).toBeUndefined();
    expect(imageSizeOf(Uint8Array.from([0x89, 0x50, 0x4e, 0x47]))).toBeUndefined(); // too short to carry the signature
  });

  it('throws ImageHeaderError for every truncation of each header, and never anything else', async () => {
    for (const entry of samples.filter(available)) {
      if (entry === SAMPLES.bigTiff) continue;
      const bytes = await bytesOf(entry);
      const expected = { format: entry.format, width: entry.width, height: entry.height };
      let threw = 0;
      for (let length = 0; length < bytes.length; length++) {
        const result = outcome(bytes.subarray(0, length));
        if (result === 'ImageHeaderError') threw++;
        else if (result !== undefined) expect(result, `${entry.name} cut to ${length} bytes`).toEqual(expected);
      }
      expect(threw, entry.name).toBeGreaterThan(0);
      // 12 bytes hold every signature (WebP's is the longest) but no whole header.
      expect(() => imageSizeOf(bytes.subarray(0, 12)), entry.name).toThrow(/truncated/);
    }
  });

  it('refuses a truncated file with ImageHeaderError and closes every handle it opens', async () => {
    const file = path.join(dir, 'cut.jpg');
    await writeFile(file, (await bytesOf(SAMPLES.jpeg)).subarray(0, 40));
    const openFiles = async () => (await readdir('/proc/self/fd')).length;
    const before = existsSync('/proc/self/fd') ? await openFiles() : 0;
    for (let i = 0; i < 50; i++) {
      await expect(readImageSize(file)).rejects.toThrow(ImageHeaderError);
      await readImageSize(path.join(dir, SAMPLES.png.file));
    }
    if (existsSync('/proc/self/fd')) expect(await openFiles()).toBe(before);
    await expect(readImageSize(path.join(dir, 'missing.png'))).rejects.toMatchObject({ code: 'ENOENT' });
  });
});

describe('image sizes of hostile or unusual headers', () => {
  it('reads the declared size of a PNG bomb without decoding it', async () => {
    const garbage = new Uint8Array(300 * 1024).map((_, i) => (i * 2654435761) >>> 24);
    const bomb = Buffer.concat([pngHeader(12000, 12000), garbage]);
    const file = path.join(dir, 'bomb.png');
    await writeFile(file, bomb);
    expect(await readImageSize(file)).toEqual({ format: 'png', width: 12000, height: 12000 });
    expect(imageSizeOf(bomb)).toEqual({ format: 'png', width: 12000, height: 12000 });
  });

  it('reads only the header of a huge file', async () => {
    const file = path.join(dir, 'huge.png');
    await writeFile(file, pngHeader(40000, 30000));
    const handle = await open(file, 'r+');
    await handle.truncate(3 * 1024 ** 3); // sparse: far more than readFile would take
    await handle.close();
    const started = performance.now();
    expect(await readImageSize(file)).toEqual({ format: 'png', width: 40000, height: 30000 });
    expect(performance.now() - started).toBeLessThan(2000);
  });

  it('follows JPEG segment lengths past 64 KiB of APP data, fill bytes and standalone markers', async () => {
    const jpeg = await bytesOf(SAMPLES.jpeg);
    const app1 = (fill: number) => {
      const segment = new Uint8Array(2 + 65535).fill(fill);
      segment.set([0xff, 0xe1, 0xff, 0xff], 0);
      segment.set(Buffer.from('Exif\0\0', 'latin1'), 4);
      return segment;
    };
    const padded = Buffer.concat([jpeg.subarray(0, 2), app1(0xff), app1(0xd8), app1(0), jpeg.subarray(2)]);
    expect(padded.indexOf(Buffer.from([0xff, 0xc0]))).toBeGreaterThan(3 * 65536);
    const file = path.join(dir, 'exif.jpg');
    await writeFile(file, padded);
    expect(await readImageSize(file)).toEqual({ format: 'jpeg', width: WIDTH, height: HEIGHT });
    expect(imageSizeOf(padded)).toEqual({ format: 'jpeg', width: WIDTH, height: HEIGHT });

    const fillAndStandalone = Buffer.concat([jpeg.subarray(0, 2), new Uint8Array(100).fill(0xff), Uint8Array.from([0xd0, 0xff, 0x01]), jpeg.subarray(2)]);
    expect(imageSizeOf(fillAndStandalone)).toEqual({ format: 'jpeg', width: WIDTH, height: HEIGHT });
    // DHT (C4), JPG (C8) and DAC (CC) sit in the SOF range but are skipped
    const lookalikes = Buffer.concat([jpeg.subarray(0, 2), Uint8Array.from([0xff, 0xc4, 0, 7, 0, 9, 9, 9, 9, 0xff, 0xc8, 0, 2, 0xff, 0xcc, 0, 4, 0, 0]), jpeg.subarray(2)]);
    expect(imageSizeOf(lookalikes)).toEqual({ format: 'jpeg', width: WIDTH, height: HEIGHT });
  });

  it('refuses a JPEG without a frame header, within 10,000 segments', async () => {
    const comments = Buffer.concat([Uint8Array.from([0xff, 0xd8]), Buffer.alloc(4 * 10_001, Uint8Array.from([0xff, 0xfe, 0, 2]))]);
    expect(() => imageSizeOf(comments)).toThrow(/within its first 10000/);
    const file = path.join(dir, 'comments.jpg');
    await writeFile(file, comments);
    await expect(readImageSize(file)).rejects.toThrow(ImageHeaderError);
    expect(() => imageSizeOf(Buffer.concat([Uint8Array.from([0xff, 0xd8]), new Uint8Array(1 << 20).fill(0xff)]))).toThrow(ImageHeaderError);
    expect(() => imageSizeOf(Uint8Array.from([0xff, 0xd8, 0xff, 0xda, 0, 2, 0xff, 0xd9]))).toThrow(/no frame header/);
    expect(() => imageSizeOf(Uint8Array.from([0xff, 0xd8, 0xff, 0xe0, 0, 1]))).toThrow(ImageHeaderError);
    expect(() => imageSizeOf(Uint8Array.from([0xff, 0xd8, 0xff, 0xe0, 0, 16, 0x4a]))).toThrow(/truncated/);
  });

  it('takes the absolute height of a top-down BMP and reads a BITMAPCOREHEADER', async () => {
    const bmp = Buffer.from(await bytesOf(SAMPLES.bmp));
    bmp.writeInt32LE(-HEIGHT, 22);
    expect(imageSizeOf(bmp)).toEqual({ format: 'bmp', width: WIDTH, height: HEIGHT });
    const core = Buffer.alloc(26);
    core.write('BM', 0, 'latin1');
    core.writeUInt32LE(12, 14);
    core.writeUInt16LE(640, 18);
    core.writeUInt16LE(480, 20);
    expect(imageSizeOf(core)).toEqual({ format: 'bmp', width: 640, height: 480 });
    bmp.writeInt32LE(-5, 18);
    expect(() => imageSizeOf(bmp)).toThrow(/negative width/);
    core.writeUInt32LE(99, 14);
    expect(() => imageSizeOf(core)).toThrow(/unknown size/);
  });

  it('widens a GIF to its largest image descriptor', async () => {
    const gif = Buffer.from(await bytesOf(SAMPLES.gif));
    gif.writeUInt16LE(10, 6);
    gif.writeUInt16LE(10, 8);
    expect(imageSizeOf(gif)).toEqual({ format: 'gif', width: WIDTH, height: HEIGHT });
    const hand = Uint8Array.from([
      ...Buffer.from('GIF87a', 'latin1'), 4, 0, 3, 0, 0, 0, 0,
      0x21, 0xf9, 4, 0, 0, 0, 0, 0, // graphic control extension
      0x2c, 2, 0, 1, 0, 40, 0, 2, 0, 0, 2, 2, 0x44, 0x01, 0, // 40×2 at (2, 1), on a 4×3 screen
      0x3b,
    ]);
    expect(imageSizeOf(hand)).toEqual({ format: 'gif', width: 42, height: 3 });
  });

  it('reads a big-endian TIFF and bounds-checks its directory', () => {
    const tiff = Buffer.alloc(8 + 2 + 3 * 12 + 4);
    tiff.write('MM\0*', 0, 'latin1');
    tiff.writeUInt32BE(8, 4);
    tiff.writeUInt16BE(3, 8);
    const entry = (i: number, tag: number, type: number, value: number) => {
      const at = 10 + i * 12;
      tiff.writeUInt16BE(tag, at);
      tiff.writeUInt16BE(type, at + 2);
      tiff.writeUInt32BE(1, at + 4);
      if (type === 3) tiff.writeUInt16BE(value, at + 8);
      else tiff.writeUInt32BE(value, at + 8);
    };
    entry(0, 254, 4, 0);
    entry(1, 256, 3, 5000);
    entry(2, 257, 4, 70000);
    expect(imageSizeOf(tiff)).toEqual({ format: 'tiff', width: 5000, height: 70000 });
    entry(2, 257, 5, 70000);
    expect(() => imageSizeOf(tiff)).toThrow(/not SHORT or LONG/);
    entry(2, 258, 3, 8);
    expect(() => imageSizeOf(tiff)).toThrow(/lacks ImageWidth or ImageLength/);
    tiff.writeUInt16BE(0xffff, 8); // more entries than the file holds
    expect(() => imageSizeOf(tiff)).toThrow(/truncated/);
    tiff.writeUInt32BE(0xfffffff0, 4);
    expect(() => imageSizeOf(tiff)).toThrow(/truncated/);
    tiff.writeUInt32BE(4, 4);
    expect(() => imageSizeOf(tiff)).toThrow(/inside the header/);
    expect(() => imageSizeOf(Buffer.from('II+\0\x08\0\0\0', 'latin1'))).toThrow(/BigTIFF/);
  });

  it('reads a WebP canvas of 24-bit sizes and refuses other first chunks', () => {
    const webp = Buffer.alloc(30);
    webp.write('RIFF', 0, 'latin1');
    webp.writeUInt32LE(22, 4);
    webp.write('WEBPVP8X', 8, 'latin1');
    webp.writeUInt32LE(10, 16);
    webp.writeUIntLE(16383, 24, 3);
    webp.writeUIntLE(0xffffff, 27, 3);
    expect(imageSizeOf(webp)).toEqual({ format: 'webp', width: 16384, height: 2 ** 24 });
    webp.write('ALPH', 12, 'latin1');
    expect(() => imageSizeOf(webp)).toThrow(/not VP8, VP8L or VP8X/);
  });

  it('refuses a declared width or height of zero', async () => {
    expect(() => imageSizeOf(pngHeader(0, 10))).toThrow(/empty picture/);
    expect(() => imageSizeOf(pngHeader(10, 0))).toThrow(ImageHeaderError);
    expect(() => imageSizeOf(pngHeader(2 ** 31, 10))).toThrow(/impossible size/);
    const bmp = Buffer.from(await bytesOf(SAMPLES.bmp));
    bmp.writeInt32LE(0, 22);
    expect(() => imageSizeOf(bmp)).toThrow(/empty picture/);
    const gif = Buffer.from(await bytesOf(SAMPLES.gif)).subarray(0, 13);
    gif.writeUInt16LE(0, 6);
    expect(() => imageSizeOf(gif)).toThrow(/empty picture/);
    const png = Buffer.from(pngHeader(5, 5));
    png.write('IDAT', 12, 'latin1');
    expect(() => imageSizeOf(png)).toThrow(/not a 13-byte IHDR/);
  });
});

describe('image sizes of random and mutated bytes', () => {
  const EXTREMES = [0, 1, 0xff, 0xffff, 0x7fffffff, 0x80000000, 0xffffffff];

  it('only ever returns a size or throws ImageHeaderError, the same from memory and from a file', async () => {
    const seeds: Uint8Array[] = [];
    for (const entry of samples.filter(available)) {
      if (entry !== SAMPLES.bigTiff) seeds.push(await bytesOf(entry));
    }
    seeds.push(pngHeader(12000, 12000), Buffer.from('II*\0\x08\0\0\0\x02\0', 'latin1'), Buffer.from('MM\0*\0\0\0\x08', 'latin1'));
    const next = seededRandom(0x5eed);
    const int = (below: number) => Math.floor(next() * below);
    const unexpected: string[] = [];
    let sizes = 0;
    let errors = 0;
    const cases: Uint8Array[] = [];
    for (let i = 0; i < 4000; i++) {
      const seed = seeds[int(seeds.length)]!;
      let bytes: Buffer;
      switch (int(4)) {
        case 0: // a few random bytes changed, mostly in the header
          bytes = Buffer.from(seed);
          for (let n = 1 + int(8); n > 0; n--) bytes[int(Math.min(bytes.length, next() < 0.8 ? 64 : bytes.length))] = int(256);
          break;
        case 1: // a 16- or 32-bit field set to an extreme, either byte order
          bytes = Buffer.from(seed);
          if (bytes.length >= 4) {
            const value = EXTREMES[int(EXTREMES.length)]!;
            const at = int(Math.min(bytes.length, 48) - 3);
            if (next() < 0.5) bytes.writeUInt32BE(value >>> 0, at);
            else bytes.writeUInt16LE(value & 0xffff, at);
          }
          break;
        case 2: // cut short, then maybe mutated
          bytes = Buffer.from(seed.subarray(0, int(seed.length + 1)));
          if (bytes.length > 0 && next() < 0.5) bytes[int(bytes.length)] = int(256);
          break;
        default: // a real signature followed by random bytes
          bytes = Buffer.concat([seed.subarray(0, 2 + int(14)), Buffer.from(Array.from({ length: int(200) }, () => int(256)))]);
      }
      const result = outcome(bytes);
      if (typeof result === 'string' && result !== 'ImageHeaderError') unexpected.push(`case ${i}: ${result}`);
      else if (result === 'ImageHeaderError') errors++;
      else if (result) {
        sizes++;
        if (!(Number.isSafeInteger(result.width) && result.width > 0 && Number.isSafeInteger(result.height) && result.height > 0)) {
          unexpected.push(`case ${i}: ${JSON.stringify(result)}`);
        }
      }
      if (i % 40 === 0) cases.push(bytes);
    }
    expect(unexpected).toEqual([]);
    expect(sizes).toBeGreaterThan(100);
    expect(errors).toBeGreaterThan(100);

    for (const [i, bytes] of cases.entries()) {
      const file = path.join(dir, `fuzz-${i}`);
      await writeFile(file, bytes);
      const fromFile = await readImageSize(file).catch((error: unknown) => (error instanceof ImageHeaderError ? 'ImageHeaderError' : String(error)));
      expect(fromFile, `case ${i * 40}`).toEqual(outcome(bytes));
    }
  });
});
