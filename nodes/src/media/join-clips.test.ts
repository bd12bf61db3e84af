import { describe, expect, it } from 'vitest';
import { CancelledError } from '../sdk/define-node.ts';
import { LimitError } from '../sdk/limits.ts';
import { memoryFrameStore, type FrameStore } from '../sdk/frame-sequence.ts';
import { frameBytes, type VideoValue } from '../sdk/values.ts';
import { assembleClips, joinClips, sameFormat } from './join-clips.ts';
import { allFrames, solidVideo } from '../testing/node-test-kit.ts';

const grey = (level: number, frames: number) => solidVideo(2, 2, 10, frames, [level, level, level]);
/** The first byte of every frame. */
async function levels(video: VideoValue): Promise<number[]> {
  const frames = await allFrames(video);
  const size = frameBytes(video.width, video.height);
  return Array.from({ length: video.frameCount }, (_, i) => frames[i * size]!);
}
const signal = new AbortController().signal;
const store = memoryFrameStore;
const scratch = memoryFrameStore;

describe('assembleClips', () => {
  it('blends only the overlapping frames of a crossfade, across several clips', async () => {
    const video = await assembleClips([grey(0, 4), grey(160, 4), grey(240, 4)], 'crossfade', [1, 3], 8, { signal, store });
    // 0 0 0 | mix(0,160,1/2) | 160 … mix(160,240, 1/4, 2/4, 3/4)
    expect(await levels(video)).toEqual([0, 0, 0, 80, 180, 200, 220, 240]);
  });

  it('fades the outgoing clip down and the incoming clip up, without overlap', async () => {
    const video = await assembleClips([grey(240, 6), grey(120, 6)], 'fade-black', [4], 12, { signal, store });
    expect(await levels(video)).toEqual([240, 240, 240, 240, 120, 0, 0, 60, 120, 120, 120, 120]);
  });

  it('checks the limits before allocating', async () => {
    await expect(assembleClips([grey(0, 1)], 'cut', [], 1e9, { signal, store })).rejects.toThrow(LimitError);
  });
});

describe('joinClips', () => {
  it('conforms only the clips that differ from the first', async () => {
    const a = grey(50, 4);
    expect(sameFormat(a, grey(90, 8))).toBe(true);
    expect(sameFormat(a, { ...a, fps: 12 })).toBe(false);
    // The resized clip goes to scratch, the joined frames to the store.
    const created = { store: 0, scratch: 0 };
    const counting = (name: keyof typeof created): FrameStore => ({ create: (shape) => (created[name]++, memoryFrameStore.create(shape)) });
    const joined = await joinClips([a, solidVideo(4, 2, 10, 3, [90, 90, 90])], {
      transition: 'cut',
      seconds: 0,
      signal,
      store: counting('store'),
      scratch: counting('scratch'),
    });
    expect(created).toEqual({ store: 1, scratch: 1 });
    expect(joined).toMatchObject({ width: 2, height: 2, fps: 10, frameCount: 7 });
    expect((await levels(joined))[6]).toBeGreaterThan(80);
  });

  it('stops when cancelled', async () => {
    await expect(joinClips([grey(0, 2), grey(9, 2)], { transition: 'cut', seconds: 0, signal: AbortSignal.abort(), store, scratch })).rejects.toBeInstanceOf(CancelledError);
  });
});
