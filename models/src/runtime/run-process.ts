import { spawn } from 'node:child_process';

export interface ProcessOutcome {
  stdout: string;
  stderr: string;
  code: number | null;
  signal: NodeJS.Signals | null;
  timedOut: boolean;
  /** Set when the process could not be started at all. */
  spawnError?: string;
}

/** Runs a command with `input` on stdin, killing it (SIGKILL) after `timeoutMs`. Never rejects. */
export function runProcess(command: string, args: readonly string[], input: string, timeoutMs: number): Promise<ProcessOutcome> {
  return new Promise((resolve) => {
    const child = spawn(command, args, { stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let timedOut = false;
    let spawnError: string | undefined;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, timeoutMs);
    child.stdout.setEncoding('utf8').on('data', (s: string) => (stdout += s));
    child.stderr.setEncoding('utf8').on('data', (s: string) => (stderr += s));
    // A child that dies before reading its input closes the pipe; the exit status says why.
    child.stdin.on('error', () => {});
    child.on('error', (error) => (spawnError = error.message));
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ stdout, stderr, code, signal, timedOut, ...(spawnError === undefined ? {} : { spawnError }) });
    });
    child.stdin.end(input);
  });
}
