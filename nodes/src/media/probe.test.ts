import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chooseFrameRate, parseFrameRate, parseProbe, probeMedia, readFormatTags } from './probe.ts';
import { FfmpegError, runFfmpeg } from './ffmpeg-process.ts';
import { fill, tempDir, testPatternClip, writeWithFfmpeg, removeTempDirs } from '../testing/node-test-kit.ts';

afterAll(removeTempDirs);

let dir: string;
beforeAll(async () => {
  dir = await tempDir();
});

/** An RLE TGA declaring width×height of one colour: about 4 bytes per 128 pixels, a format no header reader here knows. */
function tgaBomb(width: number, height: number): Buffer {
  const header = Buffer.alloc(18);
  header[2] = 10; // RLE true-colour
  header.writeUInt16LE(width, 12);
  header.writeUInt16LE(height, 14);
  header[16] = 24;
  const packets = Math.ceil((width * height) / 128);
  const body = Buffer.alloc(packets * 4);
  for (let i = 0; i < packets; i++) body[i * 4] = 0xff;
  return Buffer.concat([header, body]);
}

describe('probeMedia', () => {
  it('lets the decoder refuse a picture past the pixel limit, in a format only ffmpeg reads', async () => {
    const file = path.join(dir, 'bomb.tga');
    await writeFile(file, tgaBomb(12_000, 12_000));
    // Unguarded, ffprobe decodes it whole (0.4 GB) to report 12000×12000; guarded, it stops at the header.
    expect(await probeMedia(file)).toMatchObject({ width: 0, height: 0 });
    const small = path.join(dir, 'small.tga');
    await writeFile(small, tgaBomb(64, 48));
    expect(await probeMedia(small)).toMatchObject({ width: 64, height: 48 });
  });

  it('reads size, rate, frame count, duration and codec of an MP4', async () => {
    const file = await testPatternClip(path.join(dir, 'clip.mp4'), 64, 48, 30, 1);
    expect(await probeMedia(file)).toEqual({
      hasVideo: true,
      width: 64,
      height: 48,
      fps: 30,
      frameRate: '30/1',
      frameCount: 30,
      frameCountExact: true,
      duration: 1,
      codec: 'h264',
      pixelFormat: 'yuv420p',
    });
  });

  it('estimates the frame count of a WebM from its duration, or counts it on request', async () => {
    const file = await writeWithFfmpeg(path.join(dir, 'clip.webm'), { width: 32, height: 32, fps: 24, frames: fill(32, 32, 12, () => [9, 9, 9]) }, [
      ...['-c:v', 'libvpx-vp9', '-deadline', 'realtime', '-cpu-used', '8'],
    ]);
    const estimated = await probeMedia(file);
    expect(estimated).toMatchObject({ codec: 'vp9', fps: 24, frameCount: 12, frameCountExact: false });
    expect(await probeMedia(file, { countFrames: true })).toMatchObject({ frameCount: 12, frameCountExact: true });
  });

  it('describes a still image and a file without video', async () => {
    const png = await writeWithFfmpeg(path.join(dir, 'still.png'), { width: 5, height: 3, fps: 1, frames: fill(5, 3, 1, () => [1, 2, 3]) });
    expect(await probeMedia(png)).toMatchObject({ hasVideo: true, width: 5, height: 3, codec: 'png', duration: 0 });
    const wav = path.join(dir, 'tone.wav');
    await runFfmpeg(['-f', 'lavfi', '-i', 'sine=duration=0.2', '-y', wav]);
    expect(await probeMedia(wav)).toMatchObject({ hasVideo: false, width: 0, codec: '' });
  });

  it('fails with ffprobe\'s reason for a file that is not media', async () => {
    const junk = path.join(dir, 'junk.mp4');
    await writeFile(junk, 'not a video at all');
    const failure = probeMedia(junk);
    await expect(failure).rejects.toBeInstanceOf(FfmpegError);
    await expect(failure).rejects.toThrow(/Invalid data found when processing input/);
  });
});

describe('readFormatTags', () => {
  it('returns container tags with lower-case keys', async () => {
    const file = await writeWithFfmpeg(path.join(dir, 'tagged.mkv'), { width: 8, height: 8, fps: 5, frames: new Uint8Array(8 * 8 * 3) }, [
      ...['-c:v', 'ffv1', '-metadata', 'comment={"a":1}', '-metadata', 'Title=T'],
    ]);
    expect(await readFormatTags(file)).toMatchObject({ comment: '{"a":1}', title: 'T' });
  });
});

describe('parseProbe', () => {
  const stream = { codec_type: 'video', codec_name: 'h264', width: 1920, height: 1080, r_frame_rate: '30/1', avg_frame_rate: '30/1', pix_fmt: 'yuv420p' };

  it('swaps width and height for video rotated by a quarter turn', () => {
    const rotated = parseProbe({ streams: [{ ...stream, side_data_list: [{ rotation: -90 }] }] });
    expect([rotated.width, rotated.height]).toEqual([1080, 1920]);
    const tagged = parseProbe({ streams: [{ ...stream, tags: { rotate: '180' } }] });
    expect([tagged.width, tagged.height]).toEqual([1920, 1080]);
  });

  it('skips cover art and estimates frames from the format duration', () => {
    const info = parseProbe({
      streams: [{ codec_type: 'video', codec_name: 'mjpeg', width: 500, height: 500, disposition: { attached_pic: 1 } }, stream],
      format: { duration: '2.5' },
    });
    expect(info).toMatchObject({ codec: 'h264', frameCount: 75, frameCountExact: false, duration: 2.5 });
  });
});

describe('frame rates', () => {
  it('parses ffmpeg rationals and rejects non-rates', () => {
    expect(parseFrameRate('30000/1001')?.fps).toBeCloseTo(29.97, 2);
    expect(parseFrameRate('25')).toEqual({ fps: 25, text: '25' });
    expect(parseFrameRate('0/0')).toBeUndefined();
  });

  it('prefers the exact rate for constant-rate video and the average for variable rate', () => {
    expect(chooseFrameRate('30000/1001', '2997/100').text).toBe('30000/1001');
    expect(chooseFrameRate('90000/1', '29/1').text).toBe('29/1');
    expect(chooseFrameRate('0/0', '0/0').fps).toBe(25);
  });
});
