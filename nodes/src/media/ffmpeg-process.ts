/**
 * Runs ffmpeg or ffprobe as a child process. Raw frames go in through stdin
 * and come out through stdout, never through image files on disk. Writing
 * waits whenever the pipe is full, so a large video never piles up in memory;
 * an aborted signal kills the process at once.
 */
import { spawn } from 'node:child_process';
import type { Writable } from 'node:stream';
import { CancelledError } from '../sdk/define-node.ts';
import { ffmpegPath, ffprobePath } from './ffmpeg-binary.ts';

export interface ProcessOptions {
  /**
   * Chunks written to the process's stdin, in order; the arguments must read
   * `pipe:0`. Without it the process gets no stdin at all.
   */
  input?: Iterable<Uint8Array> | AsyncIterable<Uint8Array>;
  /**
   * Receives stdout as it arrives; an exception thrown here kills the process
   * and becomes the result. While a returned promise is pending, stdout is
   * paused (the process waits on the full pipe), so a slow consumer bounds
   * what is held in memory.
   */
  onStdout?: (chunk: Buffer) => void | Promise<void>;
  signal?: AbortSignal;
}

/** ffmpeg or ffprobe failed; the message ends with the last lines it wrote to stderr. */
export class FfmpegError extends Error {
  override name = 'FfmpegError';
  constructor(
    message: string,
    readonly exitCode: number | null,
    readonly stderrTail: string,
  ) {
    super(message);
  }
}

/**
 * Names a file for ffmpeg: the `file:` protocol, so that a name can never
 * select another protocol (`concat:`, `http:`, `subfile,,…`).
 */
export function fileUrl(file: string): string {
  return `file:${file}`;
}

const STDERR_KEEP_CHARS = 16_384;
const STDERR_LINES_IN_MESSAGE = 8;

/** Runs ffmpeg with `args` after `-hide_banner -loglevel error` (and `-nostdin` when it gets no input). */
export async function runFfmpeg(args: readonly string[], options: ProcessOptions = {}): Promise<void> {
  const quiet = ['-hide_banner', '-loglevel', 'error', ...(options.input ? [] : ['-nostdin'])];
  return runProcess('ffmpeg', ffmpegPath(), [...quiet, ...args], options);
}

/** Runs ffprobe with `args` and returns what it printed. */
export async function runFfprobe(args: readonly string[], options: Omit<ProcessOptions, 'onStdout'> = {}): Promise<string> {
  const chunks: Buffer[] = [];
  await runProcess('ffprobe', ffprobePath(), ['-hide_banner', '-loglevel', 'error', ...args], {
    ...options,
    onStdout: (chunk) => void chunks.push(chunk),
  });
  return Buffer.concat(chunks).toString('utf8');
}

type Exit = { code: number | null; signal: NodeJS.Signals | null } | { spawnError: Error };

export async function runProcess(tool: string, binary: string, args: readonly string[], options: ProcessOptions): Promise<void> {
  const { signal, input, onStdout } = options;
  if (signal?.aborted) throw new CancelledError();

  const child = spawn(binary, args, {
    stdio: [input ? 'pipe' : 'ignore', onStdout ? 'pipe' : 'ignore', 'pipe'],
    windowsHide: true,
  });
  let failure: unknown;
  const fail = (error: unknown) => {
    failure ??= error;
    child.kill('SIGKILL');
  };

  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString('utf8')).slice(-STDERR_KEEP_CHARS);
  });
  // onStdout runs one call at a time, in order. Pausing stdout is not enough to
  // ensure it: Node resumes the stream itself when the child exits, so data
  // can arrive while a call is still pending; each call queues behind the last.
  let consuming: Promise<void> = Promise.resolve();
  let queued = 0;
  child.stdout?.on('data', (chunk: Buffer) => {
    if (failure !== undefined || !onStdout) return;
    queued++;
    child.stdout?.pause();
    consuming = consuming
      .then(() => (failure === undefined ? onStdout(chunk) : undefined))
      .then(
        () => {
          if (--queued === 0) child.stdout?.resume();
        },
        fail,
      );
  });

  const exit = new Promise<Exit>((resolve) => {
    child.once('error', (error) => {
      if (child.pid === undefined) resolve({ spawnError: error });
    });
    child.once('close', (code, exitSignal) => resolve({ code, signal: exitSignal }));
  });
  const onAbort = () => fail(new CancelledError());
  signal?.addEventListener('abort', onAbort, { once: true });

  const feeding = input && child.stdin ? feed(child.stdin, input, () => failure !== undefined).catch(fail) : undefined;
  try {
    const result = await exit;
    await feeding;
    await consuming;
    if (failure !== undefined) throw failure;
    if ('spawnError' in result) {
      throw new FfmpegError(
        `Could not start ${tool} at "${binary}": ${result.spawnError.message}. Reinstall the dependencies or set ${tool.toUpperCase()}_PATH.`,
        null,
        '',
      );
    }
    if (result.code !== 0) {
      const how = result.code === null ? `was killed by ${result.signal ?? 'a signal'}` : `exited with code ${result.code}`;
      const tail = lastLines(stderr, STDERR_LINES_IN_MESSAGE);
      throw new FfmpegError(`${tool} ${how}${tail ? `:\n${tail}` : ' without saying why.'}`, result.code, tail);
    }
  } finally {
    signal?.removeEventListener('abort', onAbort);
  }
}

async function feed(
  stdin: Writable,
  input: Iterable<Uint8Array> | AsyncIterable<Uint8Array>,
  stopped: () => boolean,
): Promise<void> {
  // A process that exits early breaks the pipe (EPIPE); its exit status tells the real cause.
  stdin.on('error', () => {});
  try {
    for await (const chunk of input) {
      if (stopped() || stdin.destroyed) return;
      if (!stdin.write(chunk)) await drained(stdin);
    }
  } finally {
    if (!stdin.destroyed) stdin.end();
  }
}

/** Resolves once the stream can take more, or can take nothing any more. */
function drained(stream: Writable): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      stream.off('drain', done);
      stream.off('close', done);
      stream.off('error', done);
      resolve();
    };
    stream.on('drain', done);
    stream.on('close', done);
    stream.on('error', done);
  });
}

export function lastLines(text: string, count: number): string {
  return text
    .split(/\r?\n|\r/)
    .map((line) => line.trim())
    .filter((line) => line !== '')
    .slice(-count)
    .join('\n');
}
