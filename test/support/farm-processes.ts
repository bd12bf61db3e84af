/**
 * Farm processes for tests: real `reelgraph worker` processes (the worker
 * itself, not its supervisor, unless asked, so that SIGKILL reaches the
 * process running the job) against a real redis-server and a shared folder.
 */
import type { ChildProcess } from 'node:child_process';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { spawnCli } from './run-cli.ts';

export interface TestWorker {
  name: string;
  child: ChildProcess;
  /** Everything it printed so far. */
  log(): string;
  /** Resolves when its log has a line matching `pattern`. */
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<string>;
  /** Stops it (a supervised worker always with SIGTERM, which it passes on: SIGKILL would leave its child running). */
  stop(signal?: NodeJS.Signals): Promise<void>;
}

export async function startWorker(
  name: string,
  /** `sharedDir`: a folder, or any --shared-cache value (s3://…). */
  farm: { redisUrl: string; sharedDir: string },
  extraArgs: string[] = [],
  options: { supervised?: boolean; env?: NodeJS.ProcessEnv } = {},
): Promise<TestWorker> {
  const dataDir = await mkdtemp(path.join(tmpdir(), `reelgraph-worker-${name}-`));
  const child = spawnCli(
    ['worker', '--redis', farm.redisUrl, '--shared-cache', farm.sharedDir, '--data-dir', dataDir, '--name', name, '--lock-ms', '2000', '--cpu-slots', '1', ...extraArgs],
    // Unsupervised by default: the process that runs jobs is the one a test kills.
    { env: { REELGRAPH_WORKER_CHILD: options.supervised ? '' : '1', REELGRAPH_DEVICE: 'cpu', ...options.env } },
  );
  let text = '';
  const listeners = new Set<() => void>();
  const collect = (chunk: Buffer) => {
    text += chunk.toString();
    for (const listener of listeners) listener();
  };
  child.stdout!.on('data', collect);
  child.stderr!.on('data', collect);
  // 'close', not 'exit': its last lines are read by then.
  const exited = new Promise<void>((resolve) => child.once('close', () => resolve()));
  const worker: TestWorker = {
    name,
    child,
    log: () => text,
    waitFor(pattern, timeoutMs = 60_000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const match = pattern.exec(text);
          if (!match) return;
          listeners.delete(check);
          clearTimeout(timer);
          resolve(match[0]);
        };
        const timer = setTimeout(() => {
          listeners.delete(check);
          reject(new Error(`worker ${name} did not print ${pattern} in ${timeoutMs} ms; it printed:\n${text}`));
        }, timeoutMs);
        listeners.add(check);
        check();
      });
    },
    async stop(signal = 'SIGTERM') {
      if (child.exitCode === null && child.signalCode === null) child.kill(options.supervised ? 'SIGTERM' : signal);
      await exited;
    },
  };
  await worker.waitFor(/is running/);
  return worker;
}
