/**
 * A farm worker (`reelgraph worker`): takes node jobs from the queues of the
 * routes it serves and runs them with runFarmJob. BullMQ's manual fetching is
 * used so that the worker decides what to take next:
 *
 * - Accelerator jobs one at a time (one model on the device). The queue of the
 *   model it ran last comes first; another served model's queue is taken only
 *   when nothing is loaded yet, that queue's backlog has reached
 *   `switchBacklog`, or its jobs have waited `switchAfterMs` untaken, so a
 *   worker with a model loaded gets that model's jobs first and no job waits
 *   for good. A worker never looks at the queue of a model it does not serve.
 * - CPU jobs beside them, `cpuSlots` at a time.
 *
 * Locks are extended while a job runs (a long node never looks stalled); a
 * worker killed mid-job stops extending, and another worker's stalled check
 * puts the job back in its queue. Cancels arrive on a Redis channel.
 */
import { hostname } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import { Queue, Worker, type Job } from 'bullmq';
import { Redis } from 'ioredis';
import type { Engine } from '../engine.ts';
import { CANCEL_CHANNEL, CPU_ROUTE, DEVICE_ROUTE, modelRoute, queueName, type FarmJobData, type FarmJobProgress, type FarmJobResult, type Route } from './farm-job.ts';
import { deviceRouteOrder, mayTakeFrom, needsBacklog } from './device-affinity.ts';
import { redisOptions } from './redis-connection.ts';
import { runFarmJob } from './run-farm-job.ts';

export interface FarmWorkerOptions {
  redisUrl: string;
  engine: Engine;
  /** Model ids whose jobs this worker takes. */
  models: readonly string[];
  name?: string;
  cpuSlots?: number;
  /** How long a job's lock lasts without renewal: a killed worker's job is taken again after about this long. */
  lockMs?: number;
  /** How often this worker looks for stalled jobs (any worker's). */
  stalledIntervalMs?: number;
  /** Waiting jobs of another model before this worker switches to it. */
  switchBacklog?: number;
  /** How long another model's jobs may wait untaken before this worker switches to it anyway. */
  switchAfterMs?: number;
  /** Stop after this many jobs (a supervisor starts a fresh process). */
  maxJobs?: number;
  /** Stop after a job that leaves the process above this resident size. */
  maxRssBytes?: number;
  /** How long an idle loop waits before looking again. */
  pollMs?: number;
  log?: (line: string) => void;
}

export type WorkerExit = 'closed' | 'recycle';

export class FarmWorker {
  readonly name: string;
  readonly #options: FarmWorkerOptions;
  readonly #workers = new Map<Route, Worker>();
  readonly #queues = new Map<Route, Queue>();
  readonly #running = new Map<string, AbortController>();
  readonly #subscriber: Redis;
  #loaded: Route | undefined;
  readonly #waitingSince = new Map<Route, number>();
  #jobsDone = 0;
  #stopping = false;
  /** Set when the worker itself is shutting down: its running jobs go back to their queue, not to failed. */
  #handingBack = false;
  #exit: WorkerExit = 'closed';
  #loops: Promise<void>[] = [];
  #token = 0;

  constructor(options: FarmWorkerOptions) {
    this.#options = options;
    this.name = options.name ?? `${hostname()}-${process.pid}`;
    this.#subscriber = new Redis(redisOptions(options.redisUrl));
    this.#subscriber.on('error', () => undefined);
  }

  /** The routes this worker serves, device routes first in the order tried when nothing is loaded. */
  get routes(): Route[] {
    return [DEVICE_ROUTE, ...this.#options.models.map(modelRoute), CPU_ROUTE];
  }

  async start(): Promise<void> {
    const connection = redisOptions(this.#options.redisUrl);
    for (const route of this.routes) {
      const worker = new Worker(queueName(route), null, {
        connection,
        autorun: false,
        lockDuration: this.#options.lockMs ?? 30_000,
        stalledInterval: this.#options.stalledIntervalMs ?? 30_000,
        // A job whose worker died twice is probably what kills it: it fails rather than taking a third worker down.
        maxStalledCount: 2,
        name: this.name,
      });
      worker.on('error', (error) => this.#log(`queue ${route}: ${error.message}`));
      await worker.waitUntilReady();
      void worker.startStalledCheckTimer();
      this.#workers.set(route, worker);
      this.#queues.set(route, new Queue(queueName(route), { connection }));
    }
    await this.#subscriber.subscribe(CANCEL_CHANNEL);
    this.#subscriber.on('message', (_channel, key: string) => this.#running.get(key)?.abort());
    this.#loops = [this.#deviceLoop(), ...Array.from({ length: this.#options.cpuSlots ?? 1 }, () => this.#cpuLoop())];
    this.#log(`worker ${this.name} takes ${this.routes.join(', ')}`);
  }

  /** Resolves when the worker has stopped: closed, or recycling after its job or memory limit. */
  async finished(): Promise<WorkerExit> {
    await Promise.all(this.#loops);
    return this.#exit;
  }

  /** Stops taking jobs, lets the running ones finish (or, with `cancel`, stops them and puts them back in their queues), and disconnects. */
  async close(options: { cancel?: boolean } = {}): Promise<void> {
    this.#stopping = true;
    if (options.cancel) {
      this.#handingBack = true;
      for (const controller of this.#running.values()) controller.abort();
    }
    await Promise.all(this.#loops);
    await Promise.all([...this.#workers.values()].map((worker) => worker.close(true)));
    await Promise.all([...this.#queues.values()].map((queue) => queue.close()));
    this.#subscriber.disconnect();
  }

  async #deviceLoop(): Promise<void> {
    while (!this.#stopping) {
      const taken = await this.#takeDeviceJob();
      if (!taken) {
        await sleep(this.#options.pollMs ?? 100);
        continue;
      }
      if (taken.route !== DEVICE_ROUTE) this.#loaded = taken.route;
      await this.#process(taken.job, taken.token);
    }
  }

  async #cpuLoop(): Promise<void> {
    const worker = this.#workers.get(CPU_ROUTE)!;
    while (!this.#stopping) {
      const token = this.#nextToken();
      const job = await this.#take(worker, token);
      if (!job) {
        await sleep(this.#options.pollMs ?? 100);
        continue;
      }
      await this.#process(job, token);
    }
  }

  /** The next accelerator job by model affinity (device-affinity.ts), or undefined. */
  async #takeDeviceJob(): Promise<{ job: Job<FarmJobData>; token: string; route: Route } | undefined> {
    const rule = { backlog: this.#options.switchBacklog ?? 2, afterMs: this.#options.switchAfterMs ?? 2000 };
    for (const route of deviceRouteOrder(this.#loaded, this.#options.models.map(modelRoute))) {
      let waitedMs = 0;
      let waiting = 0;
      if (needsBacklog(route, this.#loaded)) {
        waiting = await this.#queues.get(route)!.getWaitingCount();
        // Since when this worker has seen that queue's jobs wait untaken.
        if (waiting === 0) this.#waitingSince.delete(route);
        else if (!this.#waitingSince.has(route)) this.#waitingSince.set(route, performance.now());
        waitedMs = waiting > 0 ? performance.now() - this.#waitingSince.get(route)! : 0;
      }
      if (!mayTakeFrom(route, this.#loaded, waiting, waitedMs, rule)) continue;
      const token = this.#nextToken();
      const job = await this.#take(this.#workers.get(route)!, token);
      if (job) {
        this.#waitingSince.delete(route);
        return { job, token, route };
      }
    }
    return undefined;
  }

  async #take(worker: Worker, token: string): Promise<Job<FarmJobData> | undefined> {
    if (this.#stopping) return undefined;
    try {
      return ((await worker.getNextJob(token, { block: false })) as Job<FarmJobData> | undefined) ?? undefined;
    } catch (error) {
      this.#log(`could not take a job: ${(error as Error).message}`);
      return undefined;
    }
  }

  async #process(job: Job<FarmJobData>, token: string): Promise<void> {
    const lockMs = this.#options.lockMs ?? 30_000;
    const controller = new AbortController();
    const key = job.data.key;
    this.#running.set(key, controller);
    const renew = setInterval(() => void job.extendLock(token, lockMs).catch(() => undefined), lockMs / 3);
    let lastProgress = 0;
    const report = (progress: FarmJobProgress) => void job.updateProgress(progress as unknown as object).catch(() => undefined);
    report({ worker: this.name, done: -1, total: 0 });
    this.#log(`runs ${job.data.type} "${job.data.nodeId}" (${key.slice(0, 12)})`);
    try {
      const outcome = await runFarmJob(this.#options.engine, job.data, controller.signal, (done, total) => {
        const now = performance.now();
        if (now - lastProgress < 200 && done < total) return;
        lastProgress = now;
        report({ worker: this.name, done, total });
      });
      const result: FarmJobResult = { worker: this.name, executed: outcome.executed };
      await job.moveToCompleted(result, token, false);
      this.#log(`${job.data.type} "${job.data.nodeId}" ${outcome.executed ? 'done' : 'was in the shared cache already'}`);
    } catch (error) {
      if (this.#handingBack) {
        // Stopped by its own shutdown, not by the run: another worker takes it now rather than after the lock runs out.
        this.#log(`${job.data.type} "${job.data.nodeId}" goes back to its queue: this worker is stopping.`);
        await job.moveToWait(token).catch((moveError: Error) => this.#log(`could not hand the job back: ${moveError.message}`));
      } else {
        this.#log(`${job.data.type} "${job.data.nodeId}" failed: ${(error as Error).message}`);
        await job.moveToFailed(error as Error, token, false).catch((moveError: Error) => this.#log(`could not report the failure: ${moveError.message}`));
      }
    } finally {
      clearInterval(renew);
      this.#running.delete(key);
    }
    this.#jobsDone++;
    const { maxJobs, maxRssBytes } = this.#options;
    if ((maxJobs !== undefined && this.#jobsDone >= maxJobs) || (maxRssBytes !== undefined && process.memoryUsage.rss() > maxRssBytes)) {
      this.#exit = 'recycle';
      this.#stopping = true;
    }
  }

  #nextToken(): string {
    return `${this.name}:${++this.#token}`;
  }

  #log(line: string): void {
    this.#options.log?.(`${new Date().toISOString()} ${line}`);
  }
}
