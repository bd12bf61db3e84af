/**
 * Memory that does not grow with video length: the peak RSS of a real
 * `reelgraph run` (a child process) of a three-shot 1920×1080 storyboard,
 * generate ×3 → concat (crossfades) → export MP4, 60 s long against the same
 * storyboard 10 s long, each on an empty cache. The goal of the
 * bounded-memory issue: ratio ≤ 1.3 and the 60 s run under 1.5 GB. This is
 * the slowest case (minutes per run on a laptop CPU), so it runs once and
 * without a warm-up round; ffmpeg's own processes are not counted.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { PipelineDocument } from '@reelgraph/engine';
import { REPO_ROOT } from '../support/run-cli.ts';
import type { BenchCase } from './bench-harness.ts';

const CLI = path.join(REPO_ROOT, 'engine/src/cli/main.ts');
const PRELOAD = path.join(REPO_ROOT, 'test/bench/report-peak-rss.ts');

function storyboard(seconds: number): PipelineDocument {
  const shots = [1, 2, 3];
  return {
    format: 'reelgraph.pipeline',
    version: 1,
    name: `storyboard, ${seconds} s`,
    assets: {},
    nodes: [
      ...shots.flatMap((i) => [
        { id: `prompt-${i}`, type: 'prompt', params: { text: ['a misty forest at dawn', 'a bright desert at noon', 'a neon city at night'][i - 1]! } },
        { id: `camera-${i}`, type: 'camera-move', params: { preset: ['pan-right', 'push-in', 'orbit-left'][i - 1]!, intensity: 0.6 } },
        { id: `shot-${i}`, type: 'generate', params: { width: 1920, height: 1080, fps: 24, duration: seconds / 3, seed: i } },
      ]),
      { id: 'join', type: 'concat', params: { transition: 'crossfade', duration: 0.5 } },
      { id: 'export', type: 'export', params: { format: 'mp4', quality: 80, filename: 'storyboard' } },
    ],
    edges: [
      ...shots.flatMap((i) => [
        { from: { node: `prompt-${i}`, port: 'prompt' }, to: { node: `shot-${i}`, port: 'prompt' } },
        { from: { node: `camera-${i}`, port: 'camera' }, to: { node: `shot-${i}`, port: 'camera' } },
        { from: { node: `shot-${i}`, port: 'video' }, to: { node: 'join', port: `clip${i}` } },
      ]),
      { from: { node: 'join', port: 'video' }, to: { node: 'export', port: 'video' } },
    ],
  };
}

/** Runs the CLI on `file` with a fresh data folder; resolves with its peak RSS in bytes. */
async function peakRssOfRun(dir: string, file: string): Promise<number> {
  const dataDir = await mkdtemp(path.join(dir, 'data-'));
  const rssFile = path.join(dataDir, 'peak-rss');
  try {
    const child = spawn(process.execPath, ['--import', 'tsx', '--import', PRELOAD, CLI, 'run', file, '--data-dir', dataDir, '--out', path.join(dataDir, 'out')], {
      cwd: REPO_ROOT,
      env: { ...process.env, REELGRAPH_PEAK_RSS_FILE: rssFile },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const code = await new Promise<number | null>((resolve, reject) => {
      child.on('error', reject);
      child.on('close', resolve);
    });
    if (code !== 0) throw new Error(`reelgraph run ${path.basename(file)} exited with ${code}: ${stderr.slice(-2000)}`);
    return Number(await readFile(rssFile, 'utf8'));
  } finally {
    await rm(dataDir, { recursive: true, force: true });
  }
}

export function storyboardMemoryCase(longSeconds = 60, shortSeconds = 10): BenchCase {
  let dir = '';
  const files = { long: '', short: '' };
  return {
    name: `peak RSS, 3-shot 1920×1080 storyboard, ${longSeconds} s`,
    baselineName: `the same, ${shortSeconds} s`,
    measure: 'peak RSS',
    runs: 1,
    warmUp: false,
    async setup() {
      dir = await mkdtemp(path.join(tmpdir(), 'reelgraph-bench-storyboard-'));
      files.long = path.join(dir, 'long.reel.json');
      files.short = path.join(dir, 'short.reel.json');
      await writeFile(files.long, JSON.stringify(storyboard(longSeconds)));
      await writeFile(files.short, JSON.stringify(storyboard(shortSeconds)));
    },
    async teardown() {
      await rm(dir, { recursive: true, force: true });
    },
    subject: () => peakRssOfRun(dir, files.long),
    baseline: () => peakRssOfRun(dir, files.short),
    detail: (long) => `${(long / 1e9).toFixed(2)} GB at ${longSeconds} s (goal: ratio ≤ 1.3, under 1.5 GB)`,
  };
}
