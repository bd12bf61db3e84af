/**
 * The real `reelgraph serve` in a child process, on a port the system picks:
 * what a person starts, so a crash is a crash of that process, not of a test.
 */
import type { ChildProcess } from 'node:child_process';
import { spawnCli } from './run-cli.ts';

export interface ServeProcess {
  port: number;
  child: ChildProcess;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  output(): { stdout: string; stderr: string };
  /** Sends the signal; resolves with the exit. */
  stop(signal: NodeJS.Signals): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Whether the process is still running. */
  alive(): boolean;
}

/** Starts `serve`, on a port the system picks unless one is given, and resolves once it listens. */
export async function startServeProcess(dataDir: string, options: { port?: number; args?: string[] } = {}): Promise<ServeProcess> {
  const child = spawnCli(['serve', '--port', String(options.port ?? 0), '--data-dir', dataDir, ...(options.args ?? [])], {
    env: { REELGRAPH_TOKEN: undefined },
  });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal })),
  );
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`serve did not start within 30 s:\n${stdout}\n${stderr}`)), 30_000);
    child.stdout!.on('data', () => {
      // The startup line names the URL to open; its wording may change, the URL is what matters.
      const listening = /http:\/\/[^\s/]+:(\d+)/.exec(stdout);
      if (listening) {
        clearTimeout(timer);
        resolve(Number(listening[1]));
      }
    });
    void exited.then(({ code }) => reject(new Error(`serve exited with ${code} before listening:\n${stdout}\n${stderr}`)));
  });
  return {
    port,
    child,
    exited,
    output: () => ({ stdout, stderr }),
    async stop(signal) {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return exited;
    },
    alive: () => child.exitCode === null && child.signalCode === null,
  };
}
