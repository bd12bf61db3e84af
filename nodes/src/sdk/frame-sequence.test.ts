import { describe, expect, it } from 'vitest';
import { FrameSequence, FrameWriter, memoryFrames, memoryFrameStore, type FrameBlock, type FrameShape } from './frame-sequence.ts';
import { LIMITS, LimitError } from './limits.ts';
import { chunkFramesFor } from './pixel-chunks.ts';

// 512×512 RGB is 768 KiB a frame: five frames to a 4 MiB chunk.
const SHAPE: FrameShape = { width: 512, height: 512, channels: 3 };
const FRAME = 512 * 512 * 3;
const PER_CHUNK = chunkFramesFor(FRAME);

/** Frames whose every byte says which frame and where: (frame·7 + i) mod 251. */
function numbered(first: number, count: number, frameBytes = FRAME): Uint8Array {
  const out = new Uint8Array(count * frameBytes);
  for (let f = 0; f < count; f++) {
    for (let i = 0; i < frameBytes; i++) out[f * frameBytes + i] = ((first + f) * 7 + i) % 251;
  }
  return out;
}

async function collect(blocks: AsyncIterable<FrameBlock>): Promise<FrameBlock[]> {
  const out: FrameBlock[] = [];
  for await (const block of blocks) out.push({ ...block, data: block.data.slice() });
  return out;
}

describe('FrameWriter', () => {
  it('cuts appended frames into chunks of whole frames, whatever the pieces', async () => {
    expect(PER_CHUNK).toBe(5);
    const writer = memoryFrameStore.create(SHAPE);
    // 2 + 7 + 3 frames: pieces that straddle chunk boundaries both ways.
    await writer.append(numbered(0, 2));
    await writer.append(numbered(2, 7));
    await writer.append(numbered(9, 3));
    expect(writer.frameCount).toBe(12);
    const sequence = await writer.finish();
    expect(sequence.complete).toBe(true);
    expect(sequence.frameCount).toBe(12);
    expect(sequence.chunks.map((c) => [c.start, c.frameCount])).toEqual([
      [0, 5],
      [5, 5],
      [10, 2],
    ]);
    expect(Buffer.from(await sequence.read(0, 12)).equals(Buffer.from(numbered(0, 12)))).toBe(true);
  });

  it('copies what it keeps: the caller may reuse its buffer once append resolves', async () => {
    const writer = memoryFrameStore.create({ width: 2, height: 1, channels: 1 });
    const buffer = new Uint8Array([1, 2]);
    await writer.append(buffer);
    buffer.fill(9);
    await writer.append(buffer);
    const sequence = await writer.finish();
    expect([...(await sequence.read(0, 2))]).toEqual([1, 2, 9, 9]);
  });

  it('refuses part of a frame, and frames past the limit, with a clear error', async () => {
    const writer = memoryFrameStore.create({ width: 1, height: 1, channels: 1 });
    await expect(writer.append(new Uint8Array(3).subarray(0, 2))).resolves.toBeUndefined();
    const rgb = memoryFrameStore.create({ width: 2, height: 2, channels: 3 });
    await expect(rgb.append(new Uint8Array(13))).rejects.toThrow('13 bytes are not whole frames of 12 bytes.');
    const tiny = memoryFrameStore.create({ width: 1, height: 1, channels: 1 });
    await tiny.append(new Uint8Array(LIMITS.maxFrames));
    const past = tiny.append(new Uint8Array(1));
    await expect(past).rejects.toThrow(LimitError);
    await expect(past).rejects.toThrow(`${LIMITS.maxFrames + 1} frames is more than the limit of ${LIMITS.maxFrames}`);
  });

  it('fails the sequence when the store cannot take a chunk, and says why to readers', async () => {
    const writer = new FrameWriter(SHAPE, {
      put: (_frames, start) => (start >= PER_CHUNK ? Promise.reject(new Error('disk full')) : Promise.resolve({ chunk: Promise.resolve({ start, frameCount: PER_CHUNK, load: async () => numbered(0, PER_CHUNK) }) })),
    });
    const reading = collect(writer.sequence.blocks());
    await expect(writer.append(numbered(0, 3 * PER_CHUNK))).rejects.toThrow('disk full');
    await expect(reading).rejects.toThrow('disk full');
    await expect(writer.finish()).rejects.toThrow('disk full');
  });
});

describe('FrameSequence', () => {
  const sequence = memoryFrames(SHAPE, numbered(0, 12));

  it('reads any range, across chunk boundaries, as the frames that were written', async () => {
    for (const [from, count] of [
      [0, 1],
      [4, 2],
      [3, 8],
      [11, 1],
      [0, 12],
    ] as const) {
      expect(Buffer.from(await sequence.read(from, count)).equals(Buffer.from(numbered(from, count))), `${from}+${count}`).toBe(true);
    }
  });

  it('iterates blocks that never cross a stored chunk', async () => {
    const blocks = await collect(sequence.blocks(3, 11));
    expect(blocks.map((b) => [b.start, b.frameCount])).toEqual([
      [3, 2],
      [5, 5],
      [10, 1],
    ]);
    expect(Buffer.from(blocks[1]!.data).equals(Buffer.from(numbered(5, 5)))).toBe(true);
  });

  it('refuses ranges past the end or backwards', async () => {
    await expect(sequence.read(10, 5)).rejects.toThrow('Frame 12 is past the end of a 12-frame sequence.');
    await expect(collect(sequence.blocks(5, 2))).rejects.toThrow(RangeError);
    await expect(collect(sequence.blocks(-1))).rejects.toThrow(RangeError);
  });

  it('lets a reader follow a sequence while it is written, ending when the writer finishes', async () => {
    const writer = memoryFrameStore.create(SHAPE);
    const seen: number[] = [];
    const reading = (async () => {
      for await (const block of writer.sequence.blocks()) {
        seen.push(block.start);
        expect(Buffer.from(block.data).equals(Buffer.from(numbered(block.start, block.frameCount)))).toBe(true);
      }
      return writer.sequence.frameCount;
    })();
    for (let start = 0; start < 15; start += PER_CHUNK) {
      await writer.append(numbered(start, PER_CHUNK));
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    // Readers see chunks as they are stored, before the sequence completes.
    expect(writer.sequence.complete).toBe(false);
    expect(seen.length).toBeGreaterThan(0);
    await writer.finish();
    await expect(reading).resolves.toBe(15);
    expect(seen).toEqual([0, 5, 10]);
  });

  it('tells waiting readers when the frames will never come', async () => {
    const writer = memoryFrameStore.create(SHAPE);
    const waiting = writer.sequence.whenComplete();
    const reading = writer.sequence.read(0, 1);
    writer.abort(new Error('the node failed'));
    await expect(waiting).rejects.toThrow('the node failed');
    await expect(reading).rejects.toThrow('the node failed');
  });

  it('takes chunks only in order and not once complete', () => {
    const growing = new FrameSequence({ width: 1, height: 1, channels: 1 });
    const chunk = (start: number) => ({ start, frameCount: 1, load: async () => new Uint8Array(1) });
    growing.push(chunk(0));
    expect(() => growing.push(chunk(2))).toThrow('A chunk starting at frame 2 cannot follow frame 0.');
    growing.end();
    expect(() => growing.push(chunk(1))).toThrow('A complete frame sequence takes no more chunks.');
    expect(() => new FrameSequence({ width: 0, height: 4, channels: 3 })).toThrow(RangeError);
  });
});
