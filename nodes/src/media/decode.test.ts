import { rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CancelledError } from '../sdk/define-node.ts';
import { LIMITS, LimitError } from '../sdk/limits.ts';
import { memoryFrameStore } from '../sdk/frame-sequence.ts';
import type { VideoValue } from '../sdk/values.ts';
import { runFfmpeg } from './ffmpeg-process.ts';
import { conformVideo, decodeImage, decodeVideo, expectedFrames, reducedSize } from './decode.ts';
import type { MediaInfo } from './probe.ts';
import {
  BLUE,
  GREEN,
  RED,
  WHITE,
  allFrames,
  colourDistance,
  fill,
  frameAt,
  meanColour,
  pixelAt,
  quadrants,
  rampVideo,
  tempDir,
  testPatternClip,
  removeTempDirs,
  videoFromPixels,
  writeWithFfmpeg,
  type Rgb,
} from '../testing/node-test-kit.ts';

const store = memoryFrameStore;

afterAll(removeTempDirs);

let dir: string;
/** 40×20: red | green over blue | white. */
let quads: string;

beforeAll(async () => {
  dir = await tempDir();
  // A name ffmpeg's image reader would take for a sequence pattern.
  quads = path.join(dir, 'quads [1] %d.png');
  await rename(await writeWithFfmpeg(path.join(dir, 'quads.png'), { width: 40, height: 20, fps: 1, frames: quadrants(40, 20, [RED, GREEN, BLUE, WHITE]) }), quads);
});

function expectColour(actual: Rgb, expected: Rgb, tolerance = 8): void {
  expect(colourDistance(actual, expected), `${actual} ≈ ${expected}`).toBeLessThanOrEqual(tolerance);
}

describe('decodeImage', () => {
  it('keeps the native size (even with pattern characters in the name)', async () => {
    const image = await decodeImage(quads);
    expect([image.kind, image.width, image.height, image.pixels.length]).toEqual(['image', 40, 20, 40 * 20 * 3]);
    expect(pixelAt(image, 0, 0)).toEqual(RED);
    expect(pixelAt(image, 39, 0)).toEqual(GREEN);
    expect(pixelAt(image, 0, 19)).toEqual(BLUE);
    expect(pixelAt(image, 39, 19)).toEqual(WHITE);
  });

  it('reduces a picture larger than reduceTo until one side meets it, keeping its aspect', async () => {
    const image = await decodeImage(quads, { reduceTo: { width: 10, height: 4 } });
    // 40×20 by the larger of 10/40 and 4/20: a quarter, so the height stays above 4.
    expect([image.width, image.height]).toEqual([10, 5]);
    expectColour(pixelAt(image, 1, 1), RED, 24);
    expectColour(pixelAt(image, 8, 3), WHITE, 24);
  });

  it('never enlarges a picture smaller than reduceTo', async () => {
    const image = await decodeImage(quads, { reduceTo: { width: 80, height: 80 } });
    expect([image.width, image.height]).toEqual([40, 20]);
    expect(pixelAt(image, 0, 0)).toEqual(RED);
  });

  it('reads JPEG and WebP, recognised by content rather than extension', async () => {
    const flat = { width: 32, height: 16, fps: 1, frames: fill(32, 16, 1, () => [200, 60, 40]) };
    await rename(await writeWithFfmpeg(path.join(dir, 'jpeg.jpg'), flat), path.join(dir, 'jpeg-named.png'));
    for (const name of ['flat.jpg', 'flat.webp', 'jpeg-named.png']) {
      const file = path.join(dir, name);
      if (name !== 'jpeg-named.png') await writeWithFfmpeg(file, flat);
      const image = await decodeImage(file);
      expectColour(meanColour(image.pixels), [200, 60, 40], 10);
    }
  });

  it('flattens transparency onto black', async () => {
    const file = path.join(dir, 'alpha.png');
    const rgba = Uint8Array.from([255, 0, 0, 255, 0, 255, 0, 0, 255, 255, 255, 128, 0, 0, 255, 255]);
    await runFfmpeg(['-f', 'rawvideo', '-pix_fmt', 'rgba', '-s', '4x1', '-i', 'pipe:0', '-y', file], { input: [rgba] });
    const image = await decodeImage(file);
    expect([...image.pixels]).toEqual([255, 0, 0, 0, 0, 0, 128, 128, 128, 0, 0, 255]);
  });

  it('refuses a video and a file that is no picture at all', async () => {
    const clip = await testPatternClip(path.join(dir, 'not-an-image.mp4'), 16, 16, 10, 0.3);
    // Said from the header, in a sentence: ffprobe's own words never reach the person.
    await expect(decodeImage(clip)).rejects.toThrow('The file is not a PNG, JPEG, WebP, BMP, TIFF or GIF image.');
    const text = path.join(dir, 'text.png');
    await writeFile(text, 'hello');
    await expect(decodeImage(text)).rejects.toThrow('The file is not a PNG, JPEG, WebP, BMP, TIFF or GIF image.');
  });
});

describe('decodeVideo', () => {
  let ramp: string;
  beforeAll(async () => {
    // 32 frames at 30 fps whose grey level tells the frame number; near-lossless H.264 with a
    // keyframe only at the start, so trims must decode their way to the first frame.
    const source = rampVideo(16, 16, 30, 32);
    ramp = await writeWithFfmpeg(path.join(dir, 'ramp.mp4'), { ...source, frames: await allFrames(source) }, ['-c:v', 'libx264', '-crf', '1', '-g', '300', '-pix_fmt', 'yuv444p']);
  });
  const level = async (video: VideoValue, index: number) => Math.round(meanColour(await frameAt(video, index))[0] / 8);
  const levels = (video: VideoValue, count: number) => Promise.all(Array.from({ length: count }, (_, i) => level(video, i)));

  it('decodes every frame at the native size and rate', async () => {
    const reports: number[] = [];
    const video = await decodeVideo(ramp, { store, onProgress: (done, total) => reports.push(done / total) });
    expect(video).toMatchObject({ kind: 'video', width: 16, height: 16, fps: 30, frameCount: 32 });
    expect(video.frames.frameCount).toBe(32);
    expect((await allFrames(video)).length).toBe(32 * 16 * 16 * 3);
    expect(await levels(video, 32)).toEqual(Array.from({ length: 32 }, (_, i) => i));
    expect(reports.at(-1)).toBe(1);
    expect(reports).toEqual([...reports].sort((a, b) => a - b));
  });

  it('trims frame-accurately between start and end', async () => {
    const video = await decodeVideo(ramp, { store, start: 0.5, end: 0.8 });
    expect(video.frameCount).toBe(9);
    expect(await levels(video, 9)).toEqual([15, 16, 17, 18, 19, 20, 21, 22, 23]);
    const tail = await decodeVideo(ramp, { store, start: 0.9 });
    expect(tail.frameCount).toBe(5);
    expect(await level(tail, 0)).toBe(27);
  });

  it('decodes a test pattern clip with the size, rate and frame count ffprobe reports', async () => {
    const file = await testPatternClip(path.join(dir, 'pattern.mp4'), 48, 32, 25, 0.8);
    expect(await decodeVideo(file, { store })).toMatchObject({ width: 48, height: 32, fps: 25, frameCount: 20 });
  });

  it('refuses a start past the end and a reversed range', async () => {
    await expect(decodeVideo(ramp, { store, start: 5 })).rejects.toThrow(/past the end of the clip \(1\.07 s\)/);
    await expect(decodeVideo(ramp, { store, start: 0.5, end: 0.2 })).rejects.toThrow(RangeError);
  });

  it('stops with CancelledError when aborted', async () => {
    await expect(decodeVideo(ramp, { store, signal: AbortSignal.abort() })).rejects.toBeInstanceOf(CancelledError);
  });
});

describe('reducedSize', () => {
  it('meets reduceTo on one side and keeps within the size limits', () => {
    expect(reducedSize({ width: 8000, height: 4000 }, { width: 1024, height: 576 })).toEqual({ width: 1152, height: 576 });
    // A panorama wider than the limit is brought under it even when reduceTo would allow more.
    expect(reducedSize({ width: 10_000, height: 2000 }, { width: 8192, height: 8192 })).toEqual({ width: 4096, height: 819 });
    expect(reducedSize({ width: 300, height: 200 }, { width: 1024, height: 576 })).toEqual({ width: 300, height: 200 });
  });
});

describe('expectedFrames', () => {
  const info = { frameCount: 32, fps: 30, duration: 32 / 30 } as MediaInfo;
  it('counts what remains after start, capped by the span to end', () => {
    expect(expectedFrames(info, 0, undefined)).toBe(32);
    expect(expectedFrames(info, 0.5, undefined)).toBe(17);
    expect(expectedFrames(info, 0.5, 0.8)).toBe(9);
    expect(expectedFrames({ ...info, frameCount: 0 }, 0, 2)).toBe(60);
  });
});

describe('conformVideo', () => {
  it('letterboxes to another size and resamples the rate', async () => {
    const source = videoFromPixels(32, 16, 30, fill(32, 16, 30, () => RED));
    const reports: number[] = [];
    const video = await conformVideo(source, { store, width: 32, height: 32, fps: 15, fit: 'contain', onProgress: (done) => reports.push(done) });
    expect(video).toMatchObject({ width: 32, height: 32, fps: 15, frameCount: 15 });
    const frame = { width: 32, pixels: await frameAt(video, 7) };
    expectColour(pixelAt(frame, 16, 2), [0, 0, 0], 0);
    expectColour(pixelAt(frame, 16, 16), RED);
    expectColour(pixelAt(frame, 16, 29), [0, 0, 0], 0);
    expect(reports.at(-1)).toBe(30);
  });

  it('keeps frame order when raising the rate', async () => {
    const video = await conformVideo(rampVideo(8, 8, 10, 10, 20), { store, width: 8, height: 8, fps: 20, fit: 'stretch' });
    expect(video.frameCount).toBe(20);
    expect(Math.round(meanColour(await frameAt(video, 19))[0])).toBe(180);
  });
});

describe('limits', () => {
  it('refuses to write a video beyond the frame limit', async () => {
    // Frames are no longer held in one buffer, so the frame count is the bound: a clip at 1 fps
    // raised to 120 fps comes out at more than LIMITS.maxFrames frames, and the writer stops it there.
    const seconds = Math.ceil(LIMITS.maxFrames / 120) + 2;
    const run = conformVideo(rampVideo(2, 2, 1, seconds, 0), { store, width: 2, height: 2, fps: 120, fit: 'stretch' });
    await expect(run).rejects.toBeInstanceOf(LimitError);
    await expect(run).rejects.toThrow(`more than the limit of ${LIMITS.maxFrames}`);
  });
});
