/**
 * Runs the real `reelgraph` CLI in a child process, as a person or a script
 * would, and collects what it printed.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { cp, mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const CLI = path.join(REPO_ROOT, 'engine/src/cli/main.ts');

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
  /** stdout parsed as JSON lines (for --json). */
  lines: Record<string, unknown>[];
}

export function spawnCli(args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): ChildProcess {
  return spawn(process.execPath, ['--import', 'tsx', CLI, ...args], {
    cwd: options.cwd ?? REPO_ROOT,
    env: { ...process.env, ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

export function runCli(args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): Promise<CliResult> {
  const child = spawnCli(args, options);
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => {
      const lines = stdout
        .split('\n')
        .filter((line) => line.startsWith('{'))
        .map((line) => JSON.parse(line) as Record<string, unknown>);
      resolve({ code, stdout, stderr, lines });
    });
  });
}

/** A scratch folder with a copy of an example, so tests can edit the pipeline. */
export async function copyExample(name: string): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), `reelgraph-${name}-`));
  await cp(path.join(REPO_ROOT, 'examples', name), dir, { recursive: true });
  return dir;
}

/** The final state of every node, from a run's JSON lines. */
export function finalStates(lines: Record<string, unknown>[]): Record<string, string> {
  const states: Record<string, string> = {};
  for (const line of lines) if (line.type === 'node.status') states[line.nodeId as string] = line.state as string;
  return states;
}

export function nodesIn(states: Record<string, string>, state: string): string[] {
  return Object.entries(states)
    .filter(([, s]) => s === state)
    .map(([id]) => id)
    .sort();
}
