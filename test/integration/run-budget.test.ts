/**
 * Amplification through the real CLI: one clip feeding many exports. Exports
 * with the same inputs and params are one file, written once; distinct ones
 * past the run's file budget are refused before anything runs, in words; a
 * node whose frames would pass the run's byte budget stops mid-write and
 * leaves nothing in the cache.
 */
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testPatternClip } from '../../nodes/src/testing/node-test-kit.ts';
import { finalStates, nodesIn, runCli } from '../support/run-cli.ts';

let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'reelgraph-budget-'));
  await testPatternClip(path.join(dir, 'tiny.mp4'), 32, 32, 8, 0.5);
  await testPatternClip(path.join(dir, 'wide.mp4'), 320, 180, 24, 2);
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** A clip feeding `count` exports; `filename(i)` names each one's file. */
async function fanOut(name: string, count: number, filename: (i: number) => string): Promise<string> {
  const exports = Array.from({ length: count }, (_, i) => ({ id: `export${i}`, type: 'export', params: { format: 'gif', filename: filename(i) } }));
  const file = path.join(dir, `${name}.reel.json`);
  await writeFile(
    file,
    JSON.stringify({
      format: 'reelgraph.pipeline',
      version: 1,
      nodes: [{ id: 'clip', type: 'load-video', params: { video: 'tiny.mp4' } }, ...exports],
      edges: exports.map((e) => ({ from: { node: 'clip', port: 'video' }, to: { node: e.id, port: 'video' } })),
    }),
  );
  return file;
}

describe('a run\'s budget', () => {
  it('writes 300 identical exports as one file', async () => {
    const dataDir = path.join(dir, 'data-same');
    const result = await runCli(['run', await fanOut('same', 300, () => 'same'), '--json', '--data-dir', dataDir]);
    expect(result.code, result.stderr).toBe(0);
    expect(await readdir(path.join(dataDir, 'outputs'))).toEqual(['same_00001.gif']);
    const states = finalStates(result.lines);
    expect(nodesIn(states, 'done')).toEqual(['clip', 'export0']);
    expect(nodesIn(states, 'cached')).toHaveLength(299);
    const finished = result.lines.at(-1) as { stats: { executed: number; cached: number } };
    expect(finished.stats).toMatchObject({ executed: 2, cached: 299 });
  });

  it('refuses more distinct files than the budget before anything runs, and takes a higher budget', async () => {
    const dataDir = path.join(dir, 'data-many');
    const many = await fanOut('many', 101, (i) => `take-${i}`);
    const refused = await runCli(['run', many, '--data-dir', dataDir]);
    expect(refused.code).toBe(2);
    expect(refused.stderr + refused.stdout).toContain(
      'This run would write 101 files; a run may write at most 100. Remove exports or raise the budget (--max-files).',
    );
    expect(await readdir(dataDir).catch(() => [])).not.toContain('outputs');

    const three = await fanOut('three', 3, (i) => `take-${i}`);
    expect((await runCli(['run', three, '--max-files', '2', '--data-dir', dataDir])).code).toBe(2);
    const allowed = await runCli(['run', three, '--max-files', '3', '--data-dir', dataDir]);
    expect(allowed.code, allowed.stderr).toBe(0);
    expect((await readdir(path.join(dataDir, 'outputs'))).sort()).toEqual(['take-0_00001.gif', 'take-1_00001.gif', 'take-2_00001.gif']);
    const bad = await runCli(['run', three, '--max-files', 'lots', '--data-dir', dataDir]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--max-files must be a whole number of at least 1, not "lots".');
  });

  it('stops a node whose frames would pass the bytes budget, mid-write, and caches nothing of it', async () => {
    const dataDir = path.join(dir, 'data-bytes');
    const file = path.join(dir, 'wide.reel.json');
    await writeFile(file, JSON.stringify({ format: 'reelgraph.pipeline', version: 1, nodes: [{ id: 'clip', type: 'load-video', params: { video: 'wide.mp4' } }] }));
    // 48 frames of 320×180: about 2 MB as a cache entry, so 1M runs out part way.
    const refused = await runCli(['run', file, '--json', '--max-written', '1M', '--data-dir', dataDir]);
    expect(refused.code).toBe(1);
    expect(finalStates(refused.lines)).toEqual({ clip: 'error' });
    expect(refused.stdout).toContain('This node would take the run past its budget of 1 MiB written');
    expect(refused.stdout).toContain('Raise the budget (--max-written) if this is meant.');
    const cacheFiles = await readdir(path.join(dataDir, 'cache'), { recursive: true }).catch(() => []);
    expect(cacheFiles.filter((f) => /\.(rgc|tmp)$/.test(String(f)))).toEqual([]);

    const allowed = await runCli(['run', file, '--json', '--max-written', '64M', '--data-dir', dataDir]);
    expect(allowed.code, allowed.stderr).toBe(0);
    expect(finalStates(allowed.lines)).toEqual({ clip: 'done' });
  });
});
