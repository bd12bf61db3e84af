import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import loadVideo from './load-video.ts';
import { allFrames, frameAt, meanColour, rampVideo, tempDir, testContext, testPatternClip, writeWithFfmpeg, removeTempDirs } from './testing/node-test-kit.ts';
import { NodeError } from './sdk/define-node.ts';
import type { ResolvedFile } from './sdk/param.ts';

afterAll(removeTempDirs);

let ramp: ResolvedFile;
let pattern: ResolvedFile;

beforeAll(async () => {
  const dir = await tempDir();
  const rampClip = rampVideo(16, 16, 20, 30);
  const rampFrames = { width: rampClip.width, height: rampClip.height, fps: rampClip.fps, frames: await allFrames(rampClip) };
  const rampFile = await writeWithFfmpeg(path.join(dir, 'ramp.mp4'), rampFrames, ['-c:v', 'libx264', '-crf', '1', '-pix_fmt', 'yuv444p']);
  ramp = { path: rampFile, name: 'ramp.mp4', sha256: '', bytes: 0 };
  const patternFile = await testPatternClip(path.join(dir, 'pattern.mp4'), 96, 54, 24, 1);
  pattern = { path: patternFile, name: 'pattern.mp4', sha256: '', bytes: 0 };
});

const run = (video: ResolvedFile, start = 0, end = 0, ctx = testContext()) => loadVideo.run({ inputs: {}, params: { video, start, end }, ctx });

describe('load-video node', () => {
  it('declares a video file, start and end params and a VIDEO output', () => {
    expect(loadVideo).toMatchObject({ type: 'load-video', category: 'Input' });
    expect(loadVideo.params.video).toMatchObject({ kind: 'file', accept: ['video'] });
    expect(loadVideo.params.start).toMatchObject({ default: 0, min: 0 });
    expect(loadVideo.params.end).toMatchObject({ default: 0, min: 0 });
    expect(loadVideo.outputs.video.type).toBe('VIDEO');
  });

  it('checks that end comes after start, with 0 meaning the end of the file', () => {
    expect(loadVideo.checkParams!({ video: 'a.mp4', start: 2, end: 0 })).toEqual([]);
    expect(loadVideo.checkParams!({ video: 'a.mp4', start: 2, end: 3 })).toEqual([]);
    expect(loadVideo.checkParams!({ video: 'a.mp4', start: 2, end: 2 })).toEqual([
      { param: 'end', message: 'must come after start (2 s), or be 0 to play to the end of the file' },
    ]);
  });

  it('takes size, rate and frame count from the file and reports progress', async () => {
    const ctx = testContext();
    const { video } = await run(pattern, 0, 0, ctx);
    expect(video).toMatchObject({ kind: 'video', width: 96, height: 54, fps: 24, frameCount: 24 });
    expect(ctx.reports.length).toBeGreaterThan(0);
    expect(ctx.reports.at(-1)).toEqual([24, 24]);
  });

  it('trims to start and end', async () => {
    const { video } = await run(ramp, 0.5, 1);
    expect(video.frameCount).toBe(10);
    expect(Math.round(meanColour(await frameAt(video, 0))[0] / 8)).toBe(10);
    expect(Math.round(meanColour(await frameAt(video, 9))[0] / 8)).toBe(19);
  });

  it('explains a start past the end of the file', async () => {
    const failure = run(ramp, 9);
    await expect(failure).rejects.toBeInstanceOf(NodeError);
    await expect(failure).rejects.toThrow(/^Could not load the video "ramp.mp4": The start \(9 s\) is at or past the end of the clip \(1.50 s\)/);
  });
});
