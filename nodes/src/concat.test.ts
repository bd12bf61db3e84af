import { describe, expect, it } from 'vitest';
import concat from './concat.ts';
import { BLUE, GREEN, RED, colourDistance, frameAt, meanColour, pixelAt, solidVideo, testContext, type Rgb } from './testing/node-test-kit.ts';
import { CancelledError } from './sdk/define-node.ts';
import type { VideoValue } from './sdk/values.ts';

type Transition = 'cut' | 'crossfade' | 'fade-black';
const red = solidVideo(16, 16, 10, 20, RED);
const blue = solidVideo(16, 16, 10, 20, BLUE);
const green = solidVideo(16, 16, 10, 20, GREEN);

function run(clips: Partial<Record<`clip${number}`, VideoValue>>, transition: Transition, duration = 0.5, ctx = testContext(), joins: ({ transition: Transition; duration: number } | null)[] = []) {
  // The growing clips are not in the inputs' static type: they are made in a loop.
  const inputs = { ...clips, clip1: clips.clip1!, clip2: clips.clip2! } as Parameters<typeof concat.run>[0]['inputs'];
  return concat.run({ inputs, params: { transition, duration, joins }, ctx });
}

const colourOf = async (video: VideoValue, index: number) => meanColour(await frameAt(video, index));
const expectColour = (actual: Rgb, expected: Rgb, tolerance = 1) => expect(colourDistance(actual, expected), `${actual} ≈ ${expected}`).toBeLessThanOrEqual(tolerance);

describe('concat node', () => {
  it('declares two required clips and thirty growing optional ones, a transition and a duration', () => {
    expect(concat).toMatchObject({ type: 'concat', category: 'Edit' });
    const inputs = Object.entries(concat.inputs as Record<string, { optional: boolean; growing?: boolean }>);
    expect(inputs.map(([name, spec]) => `${name}${spec.optional ? '?' : ''}${spec.growing ? '+' : ''}`)).toEqual([
      'clip1',
      'clip2',
      ...Array.from({ length: 30 }, (_, i) => `clip${i + 3}?+`),
    ]);
    expect(concat.params.transition).toMatchObject({ default: 'crossfade', options: ['cut', 'crossfade', 'fade-black'] });
    expect(concat.params.duration).toMatchObject({ default: 0.5, min: 0, max: 5 });
    expect(concat.params.joins).toMatchObject({ kind: 'json', default: [] });
  });

  it('gives each join its own transition where one is set: a cut, then a crossfade', async () => {
    // Global crossfade of 0.5 s; the first join is overridden to a cut, the second left to the global one.
    const { video } = await run({ clip1: red, clip2: blue, clip3: green }, 'crossfade', 0.5, testContext(), [{ transition: 'cut', duration: 0 }, null]);
    // 20 + 20 + 20 − 5 (only the second join overlaps).
    expect(video.frameCount).toBe(55);
    expectColour(await colourOf(video, 19), RED, 0);
    expectColour(await colourOf(video, 20), BLUE, 0);
    expectColour(await colourOf(video, 34), BLUE, 0);
    // Blue→green crossfade over output frames 35..39, half way at 37.
    expectColour(await colourOf(video, 37), [0, 128, 128]);
    expectColour(await colourOf(video, 40), GREEN, 0);
  });

  it('an override can crossfade where the node cuts, and fade through black with its own duration', async () => {
    const { video } = await run({ clip1: red, clip2: blue, clip3: green }, 'cut', 0, testContext(), [
      { transition: 'crossfade', duration: 1 },
      { transition: 'fade-black', duration: 0.4 },
    ]);
    // 60 − 10 crossfaded frames; the fade keeps every frame.
    expect(video.frameCount).toBe(50);
    expectColour(await colourOf(video, 9), RED, 0);
    // Frame 14 is the crossfade's fifth of ten: 5/11 of the way to blue.
    expectColour(await colourOf(video, 14), [139, 0, 116]);
    expectColour(await colourOf(video, 20), BLUE, 0);
    // The second join: blue fades out over output frames 28..29, green comes up over 30..31.
    expectColour(await colourOf(video, 29), [0, 0, 0], 0);
    expectColour(await colourOf(video, 30), [0, 0, 0], 0);
    expectColour(await colourOf(video, 32), GREEN, 0);
  });

  it('refuses joins that are not a list of null or { transition, duration }', () => {
    const check = concat.params.joins.check;
    expect(check([])).toBeUndefined();
    expect(check([null, { transition: 'cut', duration: 0 }])).toBeUndefined();
    expect(check({})).toMatch(/list/);
    expect(check([{ transition: 'wipe', duration: 1 }])).toMatch(/join 1/);
    expect(check([null, { transition: 'cut', duration: 9 }])).toMatch(/join 2's duration/);
  });

  it('joins more than six clips, in slot order', async () => {
    const colours: Rgb[] = Array.from({ length: 10 }, (_, i) => [i * 25, 255 - i * 25, (i * 70) % 256]);
    const clips = Object.fromEntries(colours.map((rgb, i) => [`clip${i + 1}`, solidVideo(16, 16, 10, 2, rgb)]));
    const { video } = await run(clips, 'cut');
    expect(video.frameCount).toBe(20);
    for (const [i, rgb] of colours.entries()) expectColour(await colourOf(video, i * 2 + 1), rgb, 0);
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
