import { mkdir, readdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import exportNode from './export.ts';
import { sha256File } from '@reelgraph/models';
import { decodeVideo } from './media/decode.ts';
import { AI_DISCLOSURE, MAX_EMBEDDED_PIPELINE_CHARS, readEmbeddedMetadata } from './media/embedded-metadata.ts';
import { probeMedia } from './media/probe.ts';
import { RED, colourDistance, frameAt, meanColour, rampVideo, solidVideo, tempDir, testContext, removeTempDirs } from './testing/node-test-kit.ts';
import { CancelledError } from './sdk/define-node.ts';
import { isFileIntact } from './sdk/file-value.ts';
import { memoryFrameStore } from './sdk/frame-sequence.ts';
import type { VideoValue } from './sdk/values.ts';

afterAll(removeTempDirs);

type Format = 'mp4' | 'webm' | 'gif' | 'png';
const pipeline = { format: 'reelgraph.pipeline', version: 1, name: 'Dinosaurs in Paris — été', nodes: [{ id: 'e', type: 'export' }], edges: [] };
const clip = solidVideo(32, 18, 10, 10, RED);

let dataDir: string;
beforeEach(async () => {
  dataDir = await tempDir('reelgraph-export-');
});

function run(params: Partial<{ format: Format; fps: number; quality: number; filename: string }> = {}, video: VideoValue = clip, ctx = testContext({ dataDir, pipeline })) {
  return exportNode.run({ inputs: { video }, params: { format: 'mp4', fps: 0, quality: 80, filename: 'reelgraph', ...params }, ctx });
}

describe('export node', () => {
  it('declares format, fps, quality and filename with their defaults and a FILE output', () => {
    expect(exportNode).toMatchObject({ type: 'export', category: 'Output', device: 'cpu' });
    expect(exportNode.params.format).toMatchObject({ default: 'mp4', options: ['mp4', 'webm', 'gif', 'png'] });
    expect(exportNode.params.fps).toMatchObject({ default: 0, min: 0, max: 120 });
    expect(exportNode.params.quality).toMatchObject({ kind: 'int', default: 80, min: 1, max: 100 });
    expect(exportNode.params.filename).toMatchObject({ default: 'reelgraph' });
    expect(exportNode.outputs.file.type).toBe('FILE');
  });

  it('writes outputs/<name>_00001.mp4 and describes it as a file value', async () => {
    const ctx = testContext({ dataDir, pipeline });
    const { file } = await run({ filename: 'shot' }, clip, ctx);
    expect(file).toMatchObject({ kind: 'file', path: 'outputs/shot_00001.mp4', mime: 'video/mp4' });
    const absolute = path.join(dataDir, file.path);
    expect(file.sha256).toBe(await sha256File(absolute));
    expect(await isFileIntact(dataDir, file)).toBe(true);
    expect(await probeMedia(absolute)).toMatchObject({ codec: 'h264', width: 32, height: 18, frameCount: 10 });
    expect(ctx.reports.at(-1)).toEqual([10, 10]);
  });

  it('numbers exports of the same name one after another, and leaves no temporary file', async () => {
    const first = await run({ filename: 'take' });
    const second = await run({ filename: 'take', format: 'gif' });
    const third = await run({ filename: 'take' });
    expect([first.file.path, second.file.path, third.file.path]).toEqual(['outputs/take_00001.mp4', 'outputs/take_00002.gif', 'outputs/take_00003.mp4']);
    expect((await readdir(path.join(dataDir, 'outputs'))).sort()).toEqual(['take_00001.mp4', 'take_00002.gif', 'take_00003.mp4']);
  });

  it('gives two exports running side by side different numbers', async () => {
    const [a, b] = await Promise.all([run({ filename: 'twin' }), run({ filename: 'twin' })]);
    expect([a.file.path, b.file.path].sort()).toEqual(['outputs/twin_00001.mp4', 'outputs/twin_00002.mp4']);
  });

  it('keeps a hostile filename inside outputs/', async () => {
    const { file } = await run({ filename: '../../etc/passwd' });
    expect(file.path).toBe('outputs/etc_passwd_00001.mp4');
    expect(await readdir(dataDir)).toEqual(['outputs']);
    expect((await run({ filename: '' })).file.path).toBe('outputs/reelgraph_00001.mp4');
  });

  it('embeds the pipeline and the AI disclosure in every format', async () => {
    for (const format of ['mp4', 'webm', 'gif', 'png'] as const) {
      const { file } = await run({ format, filename: 'meta' });
      const embedded = await readEmbeddedMetadata(path.join(dataDir, file.path));
      expect(embedded.disclosure, format).toBe(AI_DISCLOSURE);
      expect(JSON.parse(embedded.pipeline!), format).toEqual(pipeline);
    }
  });

  it('says so on the file when the pipeline is too long to embed, and still exports', async () => {
    const huge = { ...pipeline, description: 'x'.repeat(MAX_EMBEDDED_PIPELINE_CHARS) };
    const { file } = await run({ filename: 'huge' }, clip, testContext({ dataDir, pipeline: huge }));
    expect(file.note).toMatch(/^The pipeline is not embedded: .* keep the \.reel\.json file\.$/);
    const embedded = await readEmbeddedMetadata(path.join(dataDir, file.path));
    expect(embedded).toEqual({ disclosure: AI_DISCLOSURE });
    expect((await run({ filename: 'small' })).file.note).toBeUndefined();
  });

  it('writes PNG frames into a numbered folder and lists them', async () => {
    const { file } = await run({ format: 'png', filename: 'frames' }, rampVideo(8, 8, 10, 3));
    expect(file).toMatchObject({ path: 'outputs/frames_00001', mime: 'image/png', files: ['frame_00001.png', 'frame_00002.png', 'frame_00003.png'] });
    expect(await isFileIntact(dataDir, file)).toBe(true);
  });

  it('changes the frame rate when fps is set, and keeps colours', async () => {
    const { file } = await run({ format: 'webm', fps: 5 });
    const absolute = path.join(dataDir, file.path);
    expect(await probeMedia(absolute, { countFrames: true })).toMatchObject({ codec: 'vp9', fps: 5, frameCount: 5 });
    const back = await decodeVideo(absolute, { store: memoryFrameStore });
    expect(colourDistance(meanColour(await frameAt(back, 2)), RED)).toBeLessThanOrEqual(6);
  });

  it('skips a number taken by another program', async () => {
    await mkdir(path.join(dataDir, 'outputs'));
    await writeFile(path.join(dataDir, 'outputs', 'mine_00004.txt'), 'someone else');
    expect((await run({ filename: 'mine' })).file.path).toBe('outputs/mine_00005.mp4');
  });

  it('leaves nothing behind when cancelled', async () => {
    const controller = new AbortController();
    // Progress comes a chunk of frames at a time (18 frames of 320×240 here): cancel at the first report past frame 5 of 200.
    const ctx = testContext({ dataDir, pipeline, signal: controller.signal, progress: (done) => done >= 5 && controller.abort() });
    await expect(run({ format: 'webm' }, solidVideo(320, 240, 30, 200, RED), ctx)).rejects.toBeInstanceOf(CancelledError);
    expect(await readdir(path.join(dataDir, 'outputs'))).toEqual([]);
  });
});
