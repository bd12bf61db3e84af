import { readFile, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CorruptEntryError, EntryFile, FramesGoneError, openEntry, type Outputs } from './entry-file.ts';
import { memoryFrames, type FrameShape } from './frame-sequence.ts';
import { chunkFramesFor } from './pixel-chunks.ts';
import { maskOf, videoOf, type ImageValue, type MaskValue, type PromptValue, type VideoValue } from './values.ts';
import { removeTempDirs, tempDir } from '../testing/node-test-kit.ts';

afterAll(removeTempDirs);

// 256×256 RGB: 21 frames to a 4 MiB chunk.
const SHAPE: FrameShape = { width: 256, height: 256, channels: 3 };
const FRAME = 256 * 256 * 3;

/** Smooth gradients that move with the frame number, like real footage (compressible, but not trivially). */
function footage(first: number, count: number, shape: FrameShape = SHAPE): Uint8Array {
  const frameBytes = shape.width * shape.height * shape.channels;
  const out = new Uint8Array(count * frameBytes);
  for (let f = 0; f < count; f++) {
    for (let y = 0; y < shape.height; y++) {
      for (let x = 0; x < shape.width; x++) {
        for (let c = 0; c < shape.channels; c++) {
          out[f * frameBytes + (y * shape.width + x) * shape.channels + c] = (x * (c + 1) + y * 2 + (first + f) * 5) & 0xff;
        }
      }
    }
  }
  return out;
}

const PROMPT: PromptValue = { kind: 'prompt', text: 'a lake at dusk', negative: '', schedule: [] };

async function writtenEntry(file: string, frameCount: number): Promise<{ entry: EntryFile; video: VideoValue }> {
  const entry = new EntryFile(file);
  const writer = entry.create(SHAPE);
  await writer.append(footage(0, frameCount));
  const video = videoOf(await writer.finish(), 24);
  return { entry, video };
}

describe('a cache entry file', () => {
  it('gives back every output it was sealed with, frames read lazily, in a fraction of raw size', async () => {
    const dir = await tempDir();
    const frameCount = 2 * chunkFramesFor(FRAME) + 3;
    const { entry, video } = await writtenEntry(path.join(dir, 'entry.tmp'), frameCount);
    // A mask whose chunks live in memory, not in this file: sealing copies them in.
    const maskPixels = footage(0, 4, { width: 256, height: 256, channels: 1 });
    const mask: MaskValue = maskOf(memoryFrames({ width: 256, height: 256, channels: 1 }, maskPixels));
    const image: ImageValue = { kind: 'image', width: 256, height: 256, pixels: footage(9, 1) };
    const size = await entry.seal({ video, mask, image, prompt: PROMPT });
    await entry.publish(path.join(dir, 'entry.rgc'));

    expect((await stat(path.join(dir, 'entry.rgc'))).size).toBe(size);
    expect(size).toBeLessThan(0.35 * (frameCount * FRAME + 4 * 256 * 256 + FRAME));
    const back = await openEntry(path.join(dir, 'entry.rgc'), { verify: true });
    expect(back.prompt).toEqual(PROMPT);
    const backVideo = back.video as VideoValue;
    expect({ ...backVideo, frames: undefined }).toEqual({ kind: 'video', width: 256, height: 256, fps: 24, frameCount, frames: undefined });
    expect(backVideo.frames.chunks.map((c) => c.frameCount)).toEqual([21, 21, 3]);
    expect(Buffer.from(await backVideo.frames.read(0, frameCount)).equals(Buffer.from(footage(0, frameCount)))).toBe(true);
    expect(Buffer.from(await (back.mask as MaskValue).frames.read(0, 4)).equals(Buffer.from(maskPixels))).toBe(true);
    expect(Buffer.from((back.image as ImageValue).pixels).equals(Buffer.from(image.pixels))).toBe(true);

    const described = await openEntry(path.join(dir, 'entry.rgc'), { pixels: false });
    expect((described.image as ImageValue).pixels.byteLength).toBe(0);
    expect((described.video as VideoValue).frameCount).toBe(frameCount);
  });

  it('can be read while it is written, and after it moves into place', async () => {
    const dir = await tempDir();
    const entry = new EntryFile(path.join(dir, 'growing.tmp'));
    const writer = entry.create(SHAPE);
    const perChunk = chunkFramesFor(FRAME);
    await writer.append(footage(0, 2 * perChunk));
    // A consumer reads the first frames before the producer has finished.
    const early = await writer.sequence.read(0, 2);
    expect(Buffer.from(early).equals(Buffer.from(footage(0, 2)))).toBe(true);
    await writer.append(footage(2 * perChunk, 5));
    const sequence = await writer.finish();
    await entry.seal({ video: videoOf(sequence, 24) });
    await entry.publish(path.join(dir, 'growing.rgc'));
    // The same sequence object now reads from the published file.
    expect(Buffer.from(await sequence.read(2 * perChunk, 5)).equals(Buffer.from(footage(2 * perChunk, 5)))).toBe(true);
  });

  it('names the damaged chunk: at once when verified, on reading otherwise', async () => {
    const dir = await tempDir();
    const file = path.join(dir, 'entry.rgc');
    const { entry, video } = await writtenEntry(file, 30);
    await entry.seal({ video });
    const bytes = await readFile(file);
    // Byte 10 is inside the first chunk, which starts after the 4-byte magic.
    bytes[10] = bytes[10]! ^ 0x40;
    await writeFile(file, bytes);

    await expect(openEntry(file, { verify: true })).rejects.toThrow(new CorruptEntryError('the chunk at byte 4 fails its checksum'));
    const lazy = (await openEntry(file)).video as VideoValue;
    await expect(lazy.frames.read(25, 1)).resolves.toHaveLength(FRAME);
    await expect(lazy.frames.read(0, 1)).rejects.toThrow(CorruptEntryError);
    await expect(lazy.frames.read(0, 1)).rejects.toThrow(/^the chunk at byte 4 (fails its checksum|does not inflate)/);
  });

  it('refuses files that are not whole entries with a CorruptEntryError', async () => {
    const dir = await tempDir();
    const file = path.join(dir, 'entry.rgc');
    const { entry, video } = await writtenEntry(file, 3);
    await entry.seal({ video });
    const whole = await readFile(file);
    const refused = async (bytes: Uint8Array, message: string | RegExp) => {
      await writeFile(file, bytes);
      await expect(openEntry(file)).rejects.toThrow(CorruptEntryError);
      await expect(openEntry(file)).rejects.toThrow(message);
    };

    await refused(whole.subarray(0, whole.length - 1), 'not a cache entry of this version of Reelgraph');
    await refused(Buffer.from('RGC3'), 'the file is too short to be a cache entry');
    await refused(Buffer.concat([Buffer.from('RGC2'), whole.subarray(4)]), 'not a cache entry of this version of Reelgraph');

    // A header that points a chunk past the frames.
    const headerLength = whole.readUInt32LE(whole.length - 8);
    const headerStart = whole.length - 8 - headerLength;
    const header = JSON.parse(whole.subarray(headerStart, whole.length - 8).toString('utf8')) as { sequences: { chunks: number[][] }[] };
    header.sequences[0]!.chunks[0]![0] = headerStart + 100;
    const text = Buffer.from(JSON.stringify(header));
    const trailer = Buffer.alloc(8);
    trailer.writeUInt32LE(text.length, 0);
    trailer.write('RGC3', 4);
    await refused(Buffer.concat([whole.subarray(0, headerStart), text, trailer]), 'frame sequence 0 is malformed');

    const garbled = Buffer.from(whole);
    garbled.fill(0x7b, headerStart, headerStart + 4);
    await refused(garbled, 'the header is not JSON');
  });

  it('stops writing when its byte budget says so, and leaves no file once discarded', async () => {
    const dir = await tempDir();
    const file = path.join(dir, 'budget.tmp');
    let written = 0;
    const entry = new EntryFile(file, {
      beforeWrite: (bytes) => {
        if (written + bytes > 30_000) throw new Error('over the budget');
        written += bytes;
      },
    });
    const writer = entry.create(SHAPE);
    const appending = (async () => {
      for (let start = 0; start < 200; start += 21) await writer.append(footage(start, 21));
    })();
    await expect(appending).rejects.toThrow('over the budget');
    await expect(writer.finish()).rejects.toThrow('over the budget');
    expect(written).toBeGreaterThan(0);
    expect(written).toBeLessThanOrEqual(30_000);
    await entry.discard();
    await expect(stat(file)).rejects.toThrow(/ENOENT/);
  });

  it('says the frames are gone when the entry they lived in was discarded', async () => {
    const dir = await tempDir();
    const { entry, video } = await writtenEntry(path.join(dir, 'scratch.tmp'), 5);
    await entry.discard();
    await expect(video.frames.read(0, 1)).rejects.toThrow(FramesGoneError);
  });

  it('ends a sequence still being written when its file is discarded, so readers stop waiting', async () => {
    const dir = await tempDir();
    const entry = new EntryFile(path.join(dir, 'failed-node.tmp'));
    const writer = entry.create(SHAPE);
    await writer.append(footage(0, 2));
    const waiting = writer.sequence.read(0, 30);
    await entry.discard();
    await expect(waiting).rejects.toThrow(FramesGoneError);
    await expect(writer.append(footage(2, 1))).rejects.toThrow('were discarded before they were all written');
  });

  it('costs no file until written, and seals outputs without frames', async () => {
    const dir = await tempDir();
    const file = path.join(dir, 'prompt.rgc');
    const entry = new EntryFile(file);
    await expect(stat(file)).rejects.toThrow(/ENOENT/);
    const outputs: Outputs = { prompt: PROMPT };
    await entry.seal(outputs);
    await expect(openEntry(file, { verify: true })).resolves.toEqual(outputs);
  });
});
