import { describe, expect, it } from 'vitest';
import concat from './concat.ts';
import { BLUE, GREEN, RED, colourDistance, frameAt, meanColour, pixelAt, solidVideo, testContext, type Rgb } from './testing/node-test-kit.ts';
import { CancelledError } from './sdk/define-node.ts';
import type { VideoValue } from './sdk/values.ts';

type Transition = 'cut' | 'crossfade' | 'fade-black';
const red = solidVideo(16, 16, 10, 20, RED);
const blue = solidVideo(16, 16, 10, 20, BLUE);
const green = solidVideo(16, 16, 10, 20, GREEN);

function run(clips: Partial<Record<'clip1' | 'clip2' | 'clip3' | 'clip4' | 'clip5' | 'clip6', VideoValue>>, transition: Transition, duration = 0.5, ctx = testContext()) {
  return concat.run({
    inputs: { clip1: clips.clip1!, clip2: clips.clip2!, clip3: clips.clip3, clip4: clips.clip4, clip5: clips.clip5, clip6: clips.clip6 },
    params: { transition, duration },
    ctx,
  });
}

const colourOf = async (video: VideoValue, index: number) => meanColour(await frameAt(video, index));
const expectColour = (actual: Rgb, expected: Rgb, tolerance = 1) => expect(colourDistance(actual, expected), `${actual} ≈ ${expected}`).toBeLessThanOrEqual(tolerance);

describe('concat node', () => {
  it('declares two required and four optional clips, a transition and a duration', () => {
    expect(concat).toMatchObject({ type: 'concat', category: 'Edit' });
    expect(Object.entries(concat.inputs).map(([name, spec]) => `${name}${spec.optional ? '?' : ''}`)).toEqual([
      'clip1',
      'clip2',
      'clip3?',
      'clip4?',
      'clip5?',
      'clip6?',
    ]);
    expect(concat.params.transition).toMatchObject({ default: 'crossfade', options: ['cut', 'crossfade', 'fade-black'] });
    expect(concat.params.duration).toMatchObject({ default: 0.5, min: 0, max: 5 });
  });

  it('cut: joins every frame back to back', async () => {
    const { video } = await run({ clip1: red, clip2: blue }, 'cut');
    expect(video).toMatchObject({ width: 16, height: 16, fps: 10, frameCount: 40 });
    expectColour(await colourOf(video, 19), RED, 0);
    expectColour(await colourOf(video, 20), BLUE, 0);
  });

  it('crossfade: overlaps by the duration, purple half way through', async () => {
    const ctx = testContext();
    const { video } = await run({ clip1: red, clip2: blue }, 'crossfade', 0.5, ctx);
    // 20 + 20 − 5 overlapping frames; the blend covers output frames 15..19.
    expect(video.frameCount).toBe(35);
    expectColour(await colourOf(video, 14), RED, 0);
    expectColour(await colourOf(video, 17), [128, 0, 128]);
    expect((await colourOf(video, 15))[0]).toBeGreaterThan((await colourOf(video, 16))[0]);
    expectColour(await colourOf(video, 20), BLUE, 0);
    expect(ctx.reports.at(-1)).toEqual([35, 35]);
  });

  it('fade-black: keeps every frame and dips to black at the cut', async () => {
    const { video } = await run({ clip1: red, clip2: blue }, 'fade-black', 0.5);
    expect(video.frameCount).toBe(40);
    expectColour(await colourOf(video, 16), RED, 0);
    expectColour(await colourOf(video, 17), [170, 0, 0]);
    expectColour(await colourOf(video, 19), [0, 0, 0], 0);
    expectColour(await colourOf(video, 20), [0, 0, 0], 0);
    expectColour(await colourOf(video, 21), [0, 0, 128]);
    expectColour(await colourOf(video, 22), BLUE, 0);
  });

  it('joins the filled slots in order, skipping empty ones', async () => {
    const { video } = await run({ clip1: red, clip2: blue, clip4: green }, 'cut');
    expect(video.frameCount).toBe(60);
    expectColour(await colourOf(video, 0), RED, 0);
    expectColour(await colourOf(video, 30), BLUE, 0);
    expectColour(await colourOf(video, 59), GREEN, 0);
  });

  it('shortens a transition to half of the shorter clip', async () => {
    const { video } = await run({ clip1: red, clip2: solidVideo(16, 16, 10, 6, BLUE), clip3: green }, 'crossfade', 5);
    // Each transition gets 3 frames (half of the 6-frame clip): 20 + 6 + 20 − 3 − 3.
    expect(video.frameCount).toBe(40);
    expectColour(await colourOf(video, 0), RED, 0);
    expectColour(await colourOf(video, 39), GREEN, 0);
  });

  it('letterboxes a clip of another size and resamples another frame rate to the first clip', async () => {
    const wide = solidVideo(32, 8, 20, 40, BLUE);
    const ctx = testContext();
    const { video } = await run({ clip1: red, clip2: wide }, 'cut', 0.5, ctx);
    // 2 s at 20 fps becomes 20 frames at 10 fps.
    expect(video).toMatchObject({ width: 16, height: 16, fps: 10, frameCount: 40 });
    const frame = { width: 16, pixels: await frameAt(video, 30) };
    expectColour(pixelAt(frame, 8, 0), [0, 0, 0], 0);
    expectColour(pixelAt(frame, 8, 8), BLUE, 4);
    expectColour(pixelAt(frame, 8, 15), [0, 0, 0], 0);
    expect(ctx.reports.at(-1)).toEqual([80, 80]);
  });

  it('stops when cancelled', async () => {
    const controller = new AbortController();
    controller.abort();
    await expect(run({ clip1: red, clip2: blue }, 'crossfade', 0.5, testContext({ signal: controller.signal }))).rejects.toBeInstanceOf(CancelledError);
    await expect(run({ clip1: red, clip2: solidVideo(8, 8, 10, 5, BLUE) }, 'cut', 0.5, testContext({ signal: controller.signal }))).rejects.toBeInstanceOf(
      CancelledError,
    );
  });
});
