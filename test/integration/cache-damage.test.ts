/**
 * Cached video is stored in compressed, checksummed chunks: flip one byte of
 * a cached entry on disk and the next real `reelgraph run` says which node's
 * result was damaged, computes it again, and stores it whole.
 */
import { mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testPatternClip } from '../../nodes/src/testing/node-test-kit.ts';
import { finalStates, runCli } from '../support/run-cli.ts';

let dir: string;
let pipelineFile: string;

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'reelgraph-damage-'));
  await testPatternClip(path.join(dir, 'clip.mp4'), 320, 180, 24, 2);
  pipelineFile = path.join(dir, 'clip.reel.json');
  await writeFile(pipelineFile, JSON.stringify({ format: 'reelgraph.pipeline', version: 1, nodes: [{ id: 'clip', type: 'load-video', params: { video: 'clip.mp4' } }] }));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function entries(dataDir: string): Promise<string[]> {
  const cache = path.join(dataDir, 'cache');
  const files = await readdir(cache, { recursive: true });
  return files.filter((f) => f.endsWith('.rgc')).map((f) => path.join(cache, f));
}

describe('a damaged cache entry', () => {
  it('is found by its chunk checksum, reported, and computed again', async () => {
    const dataDir = path.join(dir, 'data');
    expect((await runCli(['run', pipelineFile, '--json', '--data-dir', dataDir])).code).toBe(0);
    const [entry] = await entries(dataDir);
    const whole = await readFile(entry!);
    // 48 frames of 320×180 RGB are 8.3 MB raw; the entry keeps a fraction of that.
    expect(whole.length).toBeLessThan(0.35 * 48 * 320 * 180 * 3);

    // Byte 100 lies in the first chunk of frames (the header is at the end).
    const damaged = Buffer.from(whole);
    damaged[100] = damaged[100]! ^ 0x10;
    await writeFile(entry!, damaged);
    const rerun = await runCli(['run', pipelineFile, '--json', '--data-dir', dataDir]);
    expect(rerun.code, rerun.stderr).toBe(0);
    expect(finalStates(rerun.lines)).toEqual({ clip: 'done' });
    expect(rerun.stderr).toMatch(/The cached result of node "clip" was damaged \(the chunk at byte 4 fails its checksum\); it is computed again\./);
    expect((await stat(entry!)).size).toBe(whole.length);

    const cached = await runCli(['run', pipelineFile, '--json', '--data-dir', dataDir]);
    expect(finalStates(cached.lines)).toEqual({ clip: 'cached' });
  });
});
