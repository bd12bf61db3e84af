/**
 * `reelgraph worker --redis URL --shared-cache PLACE`: a farm worker, one
 * per GPU. The command is a small supervisor: the work happens in a child
 * process, which is started again when it stops after --max-jobs jobs or
 * past --max-memory (a fresh process returns what a long-lived one leaks),
 * and stopped with the supervisor on Ctrl-C or SIGTERM.
 */
import { spawn } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { listModels } from '@reelgraph/models';
import { FarmWorker } from '../farm/farm-worker.ts';
import { applyDeviceOption } from './device-option.ts';
import { FARM_OPTIONS, farmFromFlags } from './farm-options.ts';
import { openEngine } from './open-engine.ts';
import { parseCliArgs } from './parse-cli-args.ts';
import { parseSize } from './budget-options.ts';
import { UsageError } from './usage-error.ts';

/** The child's exit code when it stops to be replaced (EX_TEMPFAIL). */
const RECYCLE_EXIT = 75;
const CHILD_ENV = 'REELGRAPH_WORKER_CHILD';

const WORKER_OPTIONS = {
  'data-dir': { type: 'string' },
  device: { type: 'string' },
  models: { type: 'string', multiple: true },
  name: { type: 'string' },
  'cpu-slots': { type: 'string' },
  'max-jobs': { type: 'string' },
  'max-memory': { type: 'string' },
  'lock-ms': { type: 'string' },
  'switch-backlog': { type: 'string' },
  'switch-after-ms': { type: 'string' },
  ...FARM_OPTIONS,
} as const;

export async function workerCommand(args: string[]): Promise<number> {
  const { values } = parseCliArgs(args, WORKER_OPTIONS, 0);
  const count = (flag: string, text: string | undefined, fallback: number | undefined) => {
    if (text === undefined) return fallback;
    const value = Number(text);
    if (!Number.isInteger(value) || value < 1) throw new UsageError(`--${flag} must be a whole number of at least 1, not "${text}".`);
    return value;
  };
  const settings = {
    cpuSlots: count('cpu-slots', values['cpu-slots'], Math.max(1, availableParallelism() - 1))!,
    maxJobs: count('max-jobs', values['max-jobs'], undefined),
    maxRssBytes: values['max-memory'] !== undefined ? parseSize('max-memory', values['max-memory']) : undefined,
    lockMs: count('lock-ms', values['lock-ms'], 30_000)!,
    switchBacklog: count('switch-backlog', values['switch-backlog'], 2)!,
    switchAfterMs: count('switch-after-ms', values['switch-after-ms'], 2000)!,
  };
  if (process.env[CHILD_ENV] !== '1') return supervise(args);

  applyDeviceOption(values.device);
  const farm = await farmFromFlags(values);
  if (!farm) throw new UsageError('worker needs --redis URL (or REELGRAPH_REDIS) and --shared-cache.');
  const engine = await openEngine(values['data-dir'], {}, { sharedCache: farm.shared });
  const known = new Set(listModels().map((model) => model.id));
  const models = values.models ?? [...known];
  const unknown = models.filter((id) => !known.has(id));
  if (unknown.length > 0) throw new UsageError(`This machine has no model ${unknown.map((id) => `"${id}"`).join(', ')}; install it (reelgraph models pull) or leave it out of --models.`);
  const worker = new FarmWorker({
    redisUrl: farm.redisUrl,
    engine,
    models,
    ...(values.name ? { name: values.name } : {}),
    cpuSlots: settings.cpuSlots,
    lockMs: settings.lockMs,
    stalledIntervalMs: Math.max(1000, Math.round(settings.lockMs / 2)),
    switchBacklog: settings.switchBacklog,
    switchAfterMs: settings.switchAfterMs,
    ...(settings.maxJobs !== undefined ? { maxJobs: settings.maxJobs } : {}),
    ...(settings.maxRssBytes !== undefined ? { maxRssBytes: settings.maxRssBytes } : {}),
    log: (line) => console.log(line),
  });
  await worker.start();
  console.log(`Reelgraph worker ${worker.name} is running: data dir ${engine.dataDir}, shared cache ${farm.shared.description}`);
  const stop = () => void worker.close({ cancel: true });
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  // A supervisor killed outright (SIGKILL) cannot pass the word on; its channel closing is the word.
  process.once('disconnect', stop);
  const exit = await worker.finished();
  await worker.close();
  await farm.shared.close();
  process.off('SIGINT', stop);
  process.off('SIGTERM', stop);
  process.off('disconnect', stop);
  // An open channel would keep this process alive.
  if (process.connected) process.disconnect();
  if (exit === 'recycle') console.log(`Worker ${worker.name} stops to be replaced by a fresh process.`);
  return exit === 'recycle' ? RECYCLE_EXIT : 0;
}

/** Runs the worker in a child process, again each time it stops to be replaced; forwards Ctrl-C and SIGTERM. */
async function supervise(args: string[]): Promise<number> {
  let stopping = false;
  let child: ReturnType<typeof spawn> | undefined;
  const forward = (signal: NodeJS.Signals) => () => {
    stopping = true;
    child?.kill(signal);
  };
  const onInt = forward('SIGINT');
  const onTerm = forward('SIGTERM');
  process.on('SIGINT', onInt);
  process.on('SIGTERM', onTerm);
  try {
    for (;;) {
      child = spawn(process.execPath, [...process.execArgv, process.argv[1]!, 'worker', ...args], {
        // The IPC channel only tells the child when this process is gone.
        stdio: ['inherit', 'inherit', 'inherit', 'ipc'],
        env: { ...process.env, [CHILD_ENV]: '1' },
      });
      const code = await new Promise<number>((resolve) => child!.once('exit', (exitCode, signal) => resolve(exitCode ?? (signal ? 128 : 1))));
      if (stopping || code !== RECYCLE_EXIT) return stopping ? 0 : code;
    }
  } finally {
    process.off('SIGINT', onInt);
    process.off('SIGTERM', onTerm);
  }
}
