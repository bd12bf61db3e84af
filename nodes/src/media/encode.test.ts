import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CancelledError } from '../sdk/define-node.ts';
import { FrameSequence, memoryFrameStore } from '../sdk/frame-sequence.ts';
import { DamagedChunkError } from '../sdk/pixel-chunks.ts';
import { videoOf, type VideoValue } from '../sdk/values.ts';
import { decodeImage, decodeVideo } from './decode.ts';
import { AI_DISCLOSURE, readEmbeddedMetadata } from './embedded-metadata.ts';
import { encodeFilter, encodeVideo, gifColors, outputFps, vp9Crf, x264Crf, type EncodeFormat } from './encode.ts';
import { probeMedia } from './probe.ts';
import { TargetExistsError } from './publish.ts';
import {
  allFrames,
  colourDistance,
  frameAt,
  meanColour,
  pixelAt,
  rampVideo,
  solidVideo,
  tempDir,
  videoFromPixels,
  type Rgb,
  removeTempDirs,
} from '../testing/node-test-kit.ts';

afterAll(removeTempDirs);

const COLOUR: Rgb = [200, 50, 30];
const pipeline = JSON.stringify({ format: 'reelgraph.pipeline', version: 1, name: 'Café ☕', nodes: [] });
const metadata = { pipeline, disclosure: AI_DISCLOSURE };
const store = memoryFrameStore;

let dir: string;
beforeAll(async () => {
  dir = await tempDir();
});

async function encode(
  format: EncodeFormat,
  video: VideoValue,
  name: string,
  extra: { fps?: number; quality?: number; size?: { width: number; height: number } } = {},
) {
  const target = path.join(dir, name);
  return encodeVideo(video, {
    format,
    quality: extra.quality ?? 80,
    target,
    metadata,
    ...(extra.fps ? { fps: extra.fps } : {}),
    ...(extra.size ? { size: extra.size } : {}),
  });
}

describe('encodeVideo', () => {
  // Odd on purpose: H.264 4:2:0 needs even sizes.
  const flat = solidVideo(33, 17, 10, 12, COLOUR);

  it('MP4: H.264 yuv420p, padded to even size, faststart, colours kept', async () => {
    const { path: file } = await encode('mp4', flat, 'flat.mp4');
    const info = await probeMedia(file);
    expect(info).toMatchObject({ codec: 'h264', pixelFormat: 'yuv420p', width: 34, height: 18, frameCount: 12, fps: 10 });
    expect(info.duration).toBeCloseTo(1.2, 2);
    const bytes = Buffer.from(await readFile(file));
    expect(bytes.indexOf('moov')).toBeLessThan(bytes.indexOf('mdat'));

    const back = await decodeVideo(file, { store });
    expect(back.frameCount).toBe(12);
    const frame = { width: 34, pixels: await frameAt(back, 6) };
    expect(colourDistance(pixelAt(frame, 16, 8), COLOUR)).toBeLessThanOrEqual(4);
    // The added column is black; its luma tells (4:2:0 chroma bleeds across the edge).
    const [r, g, b] = pixelAt(frame, 33, 8);
    expect(0.2126 * r + 0.7152 * g + 0.0722 * b).toBeLessThan(12);
  });

  it('WebM: VP9 yuv420p at constant quality, colours kept', async () => {
    const { path: file } = await encode('webm', flat, 'flat.webm');
    const info = await probeMedia(file, { countFrames: true });
    expect(info).toMatchObject({ codec: 'vp9', pixelFormat: 'yuv420p', width: 33, height: 17, frameCount: 12, fps: 10 });
    expect(info.duration).toBeCloseTo(1.2, 1);
    const back = await decodeVideo(file, { store });
    expect(colourDistance(meanColour(await frameAt(back, 11)), COLOUR)).toBeLessThanOrEqual(4);
  });

  it('GIF: one palette for the whole clip, timing kept', async () => {
    const { path: file } = await encode('gif', flat, 'flat.gif');
    const info = await probeMedia(file, { countFrames: true });
    expect(info).toMatchObject({ codec: 'gif', width: 33, height: 17, frameCount: 12 });
    expect(info.duration).toBeCloseTo(1.2, 1);
    const back = await decodeVideo(file, { store });
    expect(colourDistance(meanColour(await frameAt(back, 0)), COLOUR)).toBeLessThanOrEqual(2);
  });

  it('PNG: a folder of numbered, lossless frames (even under a folder named with %)', async () => {
    const ramp = rampVideo(9, 5, 10, 3, 50);
    await mkdir(path.join(dir, '100%d'));
    const result = await encode('png', ramp, '100%d/frames');
    expect(result.files).toEqual(['frame_00001.png', 'frame_00002.png', 'frame_00003.png']);
    expect((await readdir(result.path)).sort()).toEqual(result.files);
    const third = await decodeImage(path.join(result.path, 'frame_00003.png'));
    expect([third.width, third.height]).toEqual([9, 5]);
    expect(third.pixels).toEqual(await frameAt(ramp, 2));
  });

  it('embeds the pipeline and the disclosure so that they read back from every format', async () => {
    for (const name of ['flat.mp4', 'flat.webm', 'flat.gif', '100%d/frames']) {
      expect(await readEmbeddedMetadata(path.join(dir, name)), name).toEqual({ pipeline, disclosure: AI_DISCLOSURE });
    }
  });

  it('changes the frame rate when asked, dropping frames evenly', async () => {
    const { path: file } = await encode('mp4', rampVideo(16, 16, 10, 20, 10), 'half-rate.mp4', { fps: 5 });
    const info = await probeMedia(file);
    expect(info).toMatchObject({ fps: 5, frameCount: 10 });
    expect(info.duration).toBeCloseTo(2, 1);
  });

  it('scales the frames to the size asked for', async () => {
    const { path: file } = await encode('mp4', flat, 'small.mp4', { size: { width: 16, height: 8 } });
    expect(await probeMedia(file)).toMatchObject({ codec: 'h264', width: 16, height: 8, frameCount: 12 });
    const back = await decodeVideo(file, { store });
    expect(colourDistance(meanColour(await frameAt(back, 6)), COLOUR)).toBeLessThanOrEqual(4);
  });

  it('writes a smaller file at a lower quality', async () => {
    const pixels = await allFrames(rampVideo(64, 64, 10, 10, 20));
    for (let i = 0; i < pixels.length; i++) pixels[i] = (pixels[i]! + ((i * 7919) % 61)) & 255;
    const noisy = videoFromPixels(64, 64, 10, pixels);
    const high = await encode('mp4', noisy, 'q100.mp4', { quality: 100 });
    const low = await encode('mp4', noisy, 'q10.mp4', { quality: 10 });
    expect((await readFile(low.path)).length).toBeLessThan((await readFile(high.path)).length / 2);
  });

  it('never overwrites an existing file', async () => {
    const target = path.join(dir, 'taken.mp4');
    await writeFile(target, 'keep me');
    await expect(encodeVideo(flat, { format: 'mp4', quality: 80, target, metadata })).rejects.toBeInstanceOf(TargetExistsError);
    expect(await readFile(target, 'utf8')).toBe('keep me');
  });

  it('leaves nothing behind, not even a temporary file, when cancelled or failing', async () => {
    const folder = path.join(dir, 'cancel');
    await mkdir(folder);
    const controller = new AbortController();
    const long = solidVideo(320, 240, 30, 300, COLOUR);
    const run = encodeVideo(long, {
      format: 'webm',
      quality: 80,
      target: path.join(folder, 'long.webm'),
      metadata,
      signal: controller.signal,
      // Progress comes a chunk of frames at a time (18 frames of 320×240), so not at exactly 20.
      onProgress: (done) => done >= 20 && controller.abort(),
    });
    await expect(run).rejects.toBeInstanceOf(CancelledError);
    expect(await readdir(folder)).toEqual([]);

    // Frames that cannot be read back (a chunk damaged in the cache) fail the export part way.
    const broken = videoOf(
      FrameSequence.of(flat.frames, [
        { start: 0, frameCount: 6, load: () => flat.frames.read(0, 6) },
        { start: 6, frameCount: 6, load: () => Promise.reject(new DamagedChunkError('fails its checksum')) },
      ]),
      flat.fps,
    );
    await expect(encodeVideo(broken, { format: 'png', quality: 80, target: path.join(folder, 'x'), metadata })).rejects.toThrow(DamagedChunkError);
    expect(await readdir(folder)).toEqual([]);
  });

  it('leaves no temporary file next to a finished export', async () => {
    expect((await readdir(dir)).filter((name) => name.startsWith('.'))).toEqual([]);
  });

  it('embeds a large pipeline in MP4 tags intact', async () => {
    const big = JSON.stringify({ nodes: Array.from({ length: 1500 }, (_, i) => ({ id: `n${i}`, text: 'x'.repeat(30) })) });
    expect(big.length).toBeGreaterThan(60_000);
    const target = path.join(dir, 'big.mp4');
    await encodeVideo(solidVideo(16, 16, 10, 2, COLOUR), { format: 'mp4', quality: 50, target, metadata: { pipeline: big, disclosure: AI_DISCLOSURE } });
    expect((await readEmbeddedMetadata(target)).pipeline).toBe(big);
  });

  it('refuses a pipeline too long to pass to ffmpeg', async () => {
    const target = path.join(dir, 'huge.mp4');
    await expect(
      encodeVideo(flat, { format: 'mp4', quality: 50, target, metadata: { pipeline: 'x'.repeat(200_000), disclosure: AI_DISCLOSURE } }),
    ).rejects.toThrow(/longer than/);
  });
});

describe('quality mapping', () => {
  it('maps 1..100 onto each encoder scale, better quality giving lower CRF', () => {
    expect([1, 80, 100].map(x264Crf)).toEqual([51, 21, 14]);
    expect([1, 80, 100].map(vp9Crf)).toEqual([63, 25, 15]);
    expect([1, 80, 100].map(gifColors)).toEqual([8, 206, 256]);
    expect(x264Crf(500)).toBe(14);
  });

  it('caps GIF at 50 fps and keeps the video rate when none is asked', () => {
    expect(outputFps('gif', 60)).toBe(50);
    expect(outputFps('mp4', 60)).toBe(60);
    expect(outputFps('mp4', 24, 12)).toBe(12);
  });

  it('builds one palette graph for GIF and pads odd MP4 sizes', () => {
    expect(encodeFilter('gif', { width: 10, height: 10, fps: 10 }, 10, 80)).toBe(
      '[0:v]split[a][b];[a]palettegen=max_colors=206[p];[b][p]paletteuse=dither=sierra2_4a[out]',
    );
    expect(encodeFilter('mp4', { width: 11, height: 10, fps: 10 }, 5, 80)).toMatch(/^\[0:v\]fps=5,pad=ceil\(iw\/2\)\*2/);
    expect(encodeFilter('png', { width: 11, height: 10, fps: 10 }, 10, 80)).toBe('[0:v]null[out]');
  });

  it('scales to a requested size before padding, and not at all to the video\'s own size', () => {
    // The padding follows the scaled size: 21×10 is odd, 22×10 is not.
    expect(encodeFilter('mp4', { width: 22, height: 10, fps: 10 }, 10, 80, { width: 21, height: 10 })).toMatch(
      /^\[0:v\]scale=21:10:flags=bicubic,pad=ceil\(iw\/2\)\*2/,
    );
    expect(encodeFilter('mp4', { width: 11, height: 10, fps: 10 }, 10, 80, { width: 22, height: 10 })).toMatch(
      /^\[0:v\]scale=22:10:flags=bicubic,scale=out_color_matrix/,
    );
    expect(encodeFilter('png', { width: 11, height: 10, fps: 10 }, 5, 80, { width: 11, height: 10 })).toBe('[0:v]fps=5[out]');
    expect(encodeFilter('gif', { width: 10, height: 10, fps: 10 }, 10, 80, { width: 5, height: 5 })).toBe(
      '[0:v]scale=5:5:flags=bicubic,split[a][b];[a]palettegen=max_colors=206[p];[b][p]paletteuse=dither=sierra2_4a[out]',
    );
  });
});
