/**
 * The "done when", end to end through the real CLI, real ffmpeg and a
 * real data dir: two clips → concat (crossfade) → export MP4 runs, re-runs
 * fully cached, and re-executes only concat and export after the transition
 * changes. Outputs are checked with ffprobe and by pixels.
 */
import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { MAX_EMBEDDED_PIPELINE_CHARS, probeMedia, readEmbeddedMetadata, readFormatTags } from '@reelgraph/nodes';
import { decodeWhole } from '../support/decoded-video.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { copyExample, finalStates, nodesIn, runCli } from '../support/run-cli.ts';
import { embeddedExample } from '../support/test-server.ts';

let work: string;
let dataDir: string;
let pipelineFile: string;

beforeAll(async () => {
  work = await copyExample('two-clips');
  dataDir = await mkdtemp(path.join(tmpdir(), 'reelgraph-data-'));
  pipelineFile = path.join(work, 'two-clips.reel.json');
});
afterAll(async () => {
  await rm(work, { recursive: true, force: true });
  await rm(dataDir, { recursive: true, force: true });
});

const run = (...args: string[]) => runCli(['run', pipelineFile, '--data-dir', dataDir, '--json', ...args]);

function exportedPath(lines: Record<string, unknown>[]): string {
  const output = lines.find((l) => l.type === 'node.output' && l.nodeId === 'export') as { outputs: { file: { path: string } } };
  return path.join(dataDir, output.outputs.file.path);
}

function meanAbsoluteDifference(a: Uint8Array, b: Uint8Array): number {
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += Math.abs(a[i]! - b[i]!);
  return sum / a.length;
}

describe('reelgraph run: two clips → crossfade → MP4', () => {
  let firstExport: string;

  it('runs every node and writes an MP4 of the right length, size and codec', async () => {
    const result = await run('--out', path.join(work, 'out'));
    expect(result.code, result.stderr).toBe(0);
    const finished = result.lines.at(-1)!;
    expect(finished).toMatchObject({ type: 'run.finished', status: 'succeeded', stats: { executed: 4, cached: 0 } });
    expect(typeof (finished.stats as { ms: number }).ms).toBe('number');
    expect(nodesIn(finalStates(result.lines), 'done')).toEqual(['clip-a', 'clip-b', 'export', 'join']);

    firstExport = exportedPath(result.lines);
    expect(path.relative(dataDir, firstExport)).toBe(path.join('outputs', 'two-clips_00001.mp4'));
    const info = await probeMedia(firstExport);
    // 48 + 48 frames at 24 fps, overlapping by 0.5 s (12 frames).
    expect(info).toMatchObject({ codec: 'h264', width: 320, height: 180, frameCount: 84 });
    expect(info.fps).toBeCloseTo(24, 5);
    expect(info.duration).toBeCloseTo(3.5, 1);
    expect(await readdir(path.join(work, 'out'))).toEqual(['two-clips_00001.mp4']);
  });

  it('starts like clip A, ends like clip B, and blends them in the crossfade', async () => {
    const [output, a, b] = await Promise.all([
      decodeWhole(firstExport),
      decodeWhole(path.join(work, 'media/clip-a.mp4')),
      decodeWhole(path.join(work, 'media/clip-b.mp4')),
    ]);
    expect(meanAbsoluteDifference(output.frame(0), a.frame(0))).toBeLessThan(6);
    expect(meanAbsoluteDifference(output.frame(83), b.frame(47))).toBeLessThan(6);
    // Midway through the overlap (output frame 42 = A frame 42 and B frame 6), the picture is
    // the average of both sources, and far from either one.
    const mid = output.frame(42);
    const fromA = a.frame(42);
    const fromB = b.frame(6);
    const average = fromA.map((v, i) => Math.round((v + fromB[i]!) / 2));
    expect(meanAbsoluteDifference(mid, average)).toBeLessThan(8);
    expect(meanAbsoluteDifference(mid, fromA)).toBeGreaterThan(15);
    expect(meanAbsoluteDifference(mid, fromB)).toBeGreaterThan(15);
  });

  it('embeds the pipeline and an AI-generated disclosure in the MP4', async () => {
    const tags = await readFormatTags(firstExport);
    const text = Object.values(tags).join('\n');
    expect(text).toMatch(/AI-generated/);
    const embedded = Object.values(tags).find((value) => value.includes('"reelgraph.pipeline"'));
    expect(JSON.parse(embedded!)).toMatchObject({ name: 'Two clips, crossfaded', nodes: expect.any(Array) });
  });

  it('re-runs fully cached: nothing executes', async () => {
    const result = await run();
    expect(result.code, result.stderr).toBe(0);
    expect(result.lines.at(-1)).toMatchObject({ status: 'succeeded', stats: { executed: 0, cached: 4 } });
    expect(nodesIn(finalStates(result.lines), 'cached')).toEqual(['clip-a', 'clip-b', 'export', 'join']);
    expect(exportedPath(result.lines)).toBe(firstExport);
  });

  it('after the transition changes, re-executes only concat and export', async () => {
    const document = JSON.parse(await readFile(pipelineFile, 'utf8'));
    document.nodes.find((n: { id: string }) => n.id === 'join').params.transition = 'fade-black';
    await writeFile(pipelineFile, JSON.stringify(document, null, 2));

    const result = await run();
    expect(result.code, result.stderr).toBe(0);
    const states = finalStates(result.lines);
    expect(nodesIn(states, 'done')).toEqual(['export', 'join']);
    expect(nodesIn(states, 'cached')).toEqual(['clip-a', 'clip-b']);
    expect(result.lines.at(-1)).toMatchObject({ stats: { executed: 2, cached: 2 } });

    const second = exportedPath(result.lines);
    expect(path.basename(second)).toBe('two-clips_00002.mp4');
    // Fade through black: no overlap, so 96 frames, and the cut point is black.
    const output = await decodeWhole(second);
    expect(output.frameCount).toBe(96);
    const cut = output.frame(47);
    expect(cut.reduce((sum, v) => sum + v, 0) / cut.length).toBeLessThan(20);
  });

  it('runs again when the export on disk was deleted', async () => {
    await rm(path.join(dataDir, 'outputs', 'two-clips_00002.mp4'));
    const result = await run();
    expect(result.code, result.stderr).toBe(0);
    expect(nodesIn(finalStates(result.lines), 'done')).toEqual(['export']);
  });

  it('prints a progress display for a person', async () => {
    const result = await runCli(['run', pipelineFile, '--data-dir', dataDir]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/= export \[export\] cached/);
    expect(result.stdout).toMatch(/Run succeeded: 0 executed, 4 cached/);
  });
});

describe('reelgraph run: a pipeline too long to embed whole', () => {
  it('still exports, embeds it without its media, and tells the person where', async () => {
    const document = await embeddedExample('two-clips');
    const text = JSON.stringify(document);
    // Both clips inline make it too long to embed whole: that is the case under test.
    expect(text.length).toBeGreaterThan(MAX_EMBEDDED_PIPELINE_CHARS);
    const file = path.join(work, 'embedded.reel.json');
    await writeFile(file, text);
    const out = path.join(work, 'out-embedded');

    // A data dir of its own: with the shared one, the export would come from the cache, made by the pipeline that fit.
    const freshDataDir = path.join(work, 'data-embedded');
    const result = await runCli(['run', file, '--data-dir', freshDataDir, '--out', out]);
    expect(result.code, result.stderr).toBe(0);
    const [exported] = await readdir(out);
    expect(result.stdout).toContain(`${path.join(out, exported!)}: The embedded pipeline leaves out its images and videos`);

    const embedded = JSON.parse((await readEmbeddedMetadata(path.join(out, exported!))).pipeline!) as { assets: Record<string, object> };
    expect(Object.values(embedded.assets)).toEqual([
      { name: 'clip-a.mp4', mime: 'video/mp4' },
      { name: 'clip-b.mp4', mime: 'video/mp4' },
    ]);
  });
});
