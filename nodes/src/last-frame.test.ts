/**
 * The last-frame node: the image is the chosen frame's pixels exactly, `from
 * end` counts back from the last frame, impossible offsets and empty clips are
 * refused in words, and only the chunk holding the frame is read.
 */
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import lastFrame from './last-frame.ts';
import { CancelledError, NodeError } from './sdk/define-node.ts';
import { EntryFile, openEntry } from './sdk/entry-file.ts';
import { FrameSequence, type FrameChunk } from './sdk/frame-sequence.ts';
import { chunkFramesFor } from './sdk/pixel-chunks.ts';
import { videoOf, type VideoValue } from './sdk/values.ts';
import { fill, removeTempDirs, tempDir, testContext, videoFromPixels } from './testing/node-test-kit.ts';

afterAll(removeTempDirs);

/** Every pixel of every frame differs from its neighbours in time and space, so a wrong frame or an offset cannot pass. */
function footage(width: number, height: number, frameCount: number): Uint8Array {
  return fill(width, height, frameCount, (f, x, y) => [(f * 37 + x * 11) & 0xff, (f * 13 + y * 7 + 5) & 0xff, (x * y + f * 101) & 0xff]);
}

function frameOf(pixels: Uint8Array, width: number, height: number, index: number): Uint8Array {
  const size = width * height * 3;
  return pixels.slice(index * size, (index + 1) * size);
}

const run = (video: VideoValue, fromEnd = 0, ctx = testContext()) => lastFrame.run({ inputs: { video }, params: { fromEnd }, ctx });

const [W, H, N] = [12, 8, 10];
const pixels = footage(W, H, N);
const clip = videoFromPixels(W, H, 24, pixels);

describe('last-frame node', () => {
  it('declares a VIDEO input, an IMAGE output and a "from end" offset from 0', () => {
    expect(lastFrame).toMatchObject({ type: 'last-frame', title: 'Last frame', category: 'Edit', device: 'cpu', deterministic: true });
    expect(lastFrame.inputs.video).toMatchObject({ type: 'VIDEO', optional: false });
    expect(lastFrame.outputs.image.type).toBe('IMAGE');
    expect(lastFrame.params.fromEnd).toMatchObject({ kind: 'int', default: 0, min: 0 });
    expect(lastFrame.params.fromEnd.check(-1)).toBeDefined();
    expect(lastFrame.params.fromEnd.check(1.5)).toBeDefined();
    expect(lastFrame.description).toMatch(/next shot/);
  });

  it('outputs the very last frame, pixel for pixel, at the video’s size', async () => {
    const ctx = testContext();
    const { image } = await run(clip, 0, ctx);
    expect([image.kind, image.width, image.height]).toEqual(['image', W, H]);
    expect(image.pixels).toEqual(frameOf(pixels, W, H, N - 1));
    expect(ctx.reports).toEqual([[1, 1]]);
  });

  it('counts back from the end: 2 is the third from last, frameCount − 1 the first', async () => {
    expect((await run(clip, 2)).image.pixels).toEqual(frameOf(pixels, W, H, N - 3));
    expect((await run(clip, N - 1)).image.pixels).toEqual(frameOf(pixels, W, H, 0));
  });

  it('refuses an offset past the first frame, naming the clip’s frame count', async () => {
    const failure = run(clip, N);
    await expect(failure).rejects.toBeInstanceOf(NodeError);
    await expect(failure).rejects.toThrow('"from end" is 10, but the clip has 10 frames: the most it can be is 9 (the clip\'s first frame).');
    await expect(run(videoFromPixels(W, H, 24, footage(W, H, 1)), 1)).rejects.toThrow(/the clip has 1 frame: the most it can be is 0/);
  });

  it('refuses a video with no frames', async () => {
    const empty = videoFromPixels(W, H, 24, new Uint8Array(0));
    expect(empty.frameCount).toBe(0);
    const failure = run(empty);
    await expect(failure).rejects.toBeInstanceOf(NodeError);
    await expect(failure).rejects.toThrow(/The video has no frames, so it has no last frame/);
  });

  it('reads only the chunk that holds the frame, from a cache entry on disk', async () => {
    // 256×256 RGB: 21 frames to a chunk, so 50 frames are chunks of 21, 21 and 8.
    const [width, height, frameCount] = [256, 256, 50];
    expect(chunkFramesFor(width * height * 3)).toBe(21);
    const source = footage(width, height, frameCount);
    const dir = await tempDir();
    const entry = new EntryFile(path.join(dir, 'shot.tmp'));
    const writer = entry.create({ width, height, channels: 3 });
    await writer.append(source);
    await entry.seal({ video: videoOf(await writer.finish(), 24) });
    await entry.publish(path.join(dir, 'shot.rgc'));
    const stored = (await openEntry(path.join(dir, 'shot.rgc'))).video as VideoValue;
    expect(stored.frames.chunks.map((c) => c.frameCount)).toEqual([21, 21, 8]);

    // The same chunks, counting which are loaded.
    const loaded: number[] = [];
    const counted = (chunk: FrameChunk): FrameChunk => ({
      start: chunk.start,
      frameCount: chunk.frameCount,
      load: () => {
        loaded.push(chunk.start);
        return chunk.load();
      },
    });
    const video = videoOf(FrameSequence.of({ width, height, channels: 3 }, stored.frames.chunks.map(counted)), stored.fps);

    const last = await run(video, 0);
    expect(last.image.pixels).toEqual(frameOf(source, width, height, 49));
    expect(loaded).toEqual([42]);

    loaded.length = 0;
    // 10 from the end is frame 39, in the middle chunk.
    const earlier = await run(video, 10);
    expect([earlier.image.width, earlier.image.height]).toEqual([width, height]);
    expect(earlier.image.pixels).toEqual(frameOf(source, width, height, 39));
    expect(loaded).toEqual([21]);
  });

  it('stops when cancelled', async () => {
    const controller = new AbortController();
    controller.abort();
    await expect(run(clip, 0, testContext({ signal: controller.signal }))).rejects.toBeInstanceOf(CancelledError);
  });
});
