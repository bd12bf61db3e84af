/**
 * A run killed with SIGKILL while it writes a cache entry or an export must
 * leave nothing a later run reads or a person finds: both are written under a
 * temp name and renamed only when whole, and the next engine removes what a
 * killed one left. The tests kill the real CLI the moment a temp file appears.
 */
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ffmpegPath, openEntry } from '@reelgraph/nodes';
import { execFileSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { finalStates, runCli, spawnCli } from '../support/run-cli.ts';

let dir: string;
let pipelineFile: string;
let exportFile: string;

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'reelgraph-kill-'));
  // 72 frames of 1280×720 make a ~200 MB cache entry: long enough to be caught mid-write.
  execFileSync(ffmpegPath(), [
    '-hide_banner', '-loglevel', 'error', '-f', 'lavfi', '-i', 'testsrc2=size=1280x720:rate=24:duration=3',
    '-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p', path.join(dir, 'big.mp4'),
  ]);
  pipelineFile = path.join(dir, 'big.reel.json');
  await writeFile(
    pipelineFile,
    JSON.stringify({ format: 'reelgraph.pipeline', version: 1, nodes: [{ id: 'big', type: 'load-video', params: { video: 'big.mp4' } }] }),
  );
  exportFile = path.join(dir, 'export.reel.json');
  await writeFile(
    exportFile,
    JSON.stringify({
      format: 'reelgraph.pipeline',
      version: 1,
      nodes: [
        { id: 'big', type: 'load-video', params: { video: 'big.mp4' } },
        { id: 'export', type: 'export', params: { format: 'webm', quality: 90, filename: 'killed' } },
      ],
      edges: [{ from: { node: 'big', port: 'video' }, to: { node: 'export', port: 'video' } }],
    }),
  );
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function cacheFiles(cacheDir: string): Promise<string[]> {
  const files: string[] = [];
  for (const shard of await readdir(cacheDir).catch(() => [])) {
    for (const name of await readdir(path.join(cacheDir, shard)).catch(() => [])) files.push(path.join(cacheDir, shard, name));
  }
  return files;
}

/** Starts a run and SIGKILLs it as soon as a cache temp file exists; resolves with what was left. */
async function killDuringCacheWrite(dataDir: string): Promise<string[]> {
  const child = spawnCli(['run', pipelineFile, '--json', '--data-dir', dataDir]);
  const cacheDir = path.join(dataDir, 'cache');
  const exited = new Promise((resolve) => child.on('exit', resolve));
  let killed = false;
  while (!killed && child.exitCode === null) {
    if ((await cacheFiles(cacheDir)).some((f) => f.endsWith('.tmp'))) {
      child.kill('SIGKILL');
      killed = true;
    }
  }
  await exited;
  return killed ? cacheFiles(cacheDir) : [];
}

/** Every name under a folder, recursively. */
async function namesUnder(folder: string): Promise<string[]> {
  const entries = await readdir(folder, { recursive: true }).catch(() => [] as string[]);
  return entries.map((entry) => path.basename(entry));
}

describe('a run killed mid-write', () => {
  it('leaves a hidden .part export that the next start of the engine removes', async () => {
    const dataDir = path.join(dir, 'data-export');
    const outputs = path.join(dataDir, 'outputs');
    const child = spawnCli(['run', exportFile, '--json', '--data-dir', dataDir]);
    const exited = new Promise((resolve) => child.on('exit', resolve));
    while (child.exitCode === null && !(await namesUnder(outputs)).some((name) => name.endsWith('.part'))) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    child.kill('SIGKILL');
    await exited;
    const left = await namesUnder(outputs);
    expect(left.filter((name) => name.endsWith('.part'))).toHaveLength(1);
    expect(left.filter((name) => !name.startsWith('.'))).toEqual([]);

    // A start of the engine (here: `serve`, which sweeps before it listens) removes it without running anything.
    const serve = spawnCli(['serve', '--port', '0', '--data-dir', dataDir]);
    let stdout = '';
    let stderr = '';
    serve.stdout!.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    serve.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    while (!/http:\/\/\S+:\d+/.test(stdout) && serve.exitCode === null) await new Promise((resolve) => setTimeout(resolve, 20));
    serve.kill('SIGTERM');
    await new Promise((resolve) => serve.on('exit', resolve));
    expect(stderr).toContain('Removed 1 half-written file left by a killed engine.');
    expect(await namesUnder(outputs)).toEqual([]);

    const result = await runCli(['run', exportFile, '--json', '--data-dir', dataDir]);
    expect(result.code, result.stderr).toBe(0);
    expect(await namesUnder(outputs)).toEqual(['killed_00001.webm']);
  });

  it('leaves no cache entry that a later run reads, and the next run recovers', async () => {
    let leftovers: string[] = [];
    let dataDir = '';
    // The write takes a fraction of a second; retry in the rare case the kill lands after the rename.
    for (let attempt = 0; attempt < 5 && !leftovers.some((f) => f.endsWith('.tmp')); attempt++) {
      dataDir = path.join(dir, `data-${attempt}`);
      leftovers = await killDuringCacheWrite(dataDir);
    }
    expect(leftovers.some((f) => f.endsWith('.tmp'))).toBe(true);
    expect(leftovers.filter((f) => f.endsWith('.rgc'))).toEqual([]);

    const result = await runCli(['run', pipelineFile, '--json', '--data-dir', dataDir]);
    expect(result.code, result.stderr).toBe(0);
    expect(finalStates(result.lines)).toEqual({ big: 'done' });

    const after = await cacheFiles(path.join(dataDir, 'cache'));
    expect(after.filter((f) => f.endsWith('.tmp'))).toEqual([]);
    const entries = after.filter((f) => f.endsWith('.rgc'));
    expect(entries).toHaveLength(1);
    const outputs = await openEntry(entries[0]!, { verify: true });
    expect(outputs.video).toMatchObject({ kind: 'video', width: 1280, height: 720, frameCount: 72 });

    const cached = await runCli(['run', pipelineFile, '--json', '--data-dir', dataDir]);
    expect(finalStates(cached.lines)).toEqual({ big: 'cached' });
  });
});
