/**
 * The coordinator's side of a farm (what `serve --redis` and `run --redis`
 * use): it queues each node the farm takes as a job named by its cache key,
 * relays the worker's progress, and resolves once the result is in the
 * shared tier. Two runs waiting for one key wait for one job. Cancelling a
 * run removes its waiting jobs and asks the worker running one to stop,
 * unless another run here still waits for it.
 */
import { setMaxListeners } from 'node:events';
import { Queue, QueueEvents } from 'bullmq';
import { Redis } from 'ioredis';
import type { AnyNodeDefinition } from '@reelgraph/nodes';
import type { RemoteNodeRequest, RemoteNodes } from '../run/remote-nodes.ts';
import {
  CANCEL_CHANNEL,
  modelContent,
  modelIdOf,
  queueName,
  routeOf,
  runsOnCoordinator,
  type FarmJobData,
  type FarmJobProgress,
  type FarmJobResult,
  type Route,
} from './farm-job.ts';
import { redisOptions } from './redis-connection.ts';
import type { SharedStore } from './shared-store/shared-store.ts';

export interface FarmClientOptions {
  redisUrl: string;
  shared: SharedStore;
  /** Tries per job for errors that may pass (a lost connection); errors that would repeat are not retried. */
  attempts?: number;
  /** How often a waiting run checks its job's state besides listening for events (an event can be missed). */
  pollMs?: number;
}

/** Times a job may vanish unfinished (its failure unheard) and be queued again before the node fails. */
const MAX_REQUEUES = 3;

interface Waiter {
  onRunning: (worker: string) => void;
  onProgress: (done: number, total: number) => void;
  settle: (outcome: { result: FarmJobResult } | { error: string }) => void;
}

export class FarmClient implements RemoteNodes {
  readonly #options: Required<Omit<FarmClientOptions, 'shared'>> & { shared: SharedStore };
  readonly #queues = new Map<Route, { queue: Queue; events: Promise<QueueEvents> }>();
  readonly #waiters = new Map<string, Set<Waiter>>();
  readonly #publisher: Redis;
  /** Cancels on their way to Redis: closing waits for them, or a Ctrl-C'd run would exit before its worker hears. */
  readonly #cancelling = new Set<Promise<void>>();
  readonly #requeued = new Map<string, number>();

  constructor(options: FarmClientOptions) {
    this.#options = { attempts: 3, pollMs: 2000, ...options };
    this.#publisher = new Redis(redisOptions(options.redisUrl));
    this.#publisher.on('error', () => undefined);
  }

  takes(definition: AnyNodeDefinition): boolean {
    return !runsOnCoordinator(definition);
  }

  async run(request: RemoteNodeRequest): Promise<{ worker: string }> {
    const route = routeOf(request.definition, request.params);
    const { queue, events } = this.#queueFor(route);
    await events;
    const modelId = modelIdOf(request.definition, request.params);
    const data: FarmJobData = {
      key: request.key,
      nodeId: request.nodeId,
      runId: request.runId,
      type: request.definition.type,
      params: request.params,
      inputs: request.inputs,
      pipeline: request.pipeline,
      ...(modelId !== undefined ? { model: { id: modelId, content: modelContent(modelId) } } : {}),
    };
    return new Promise((resolve, reject) => {
      const waiters = this.#waitersOf(request.key);
      let poll: NodeJS.Timeout | undefined;
      const waiter: Waiter = {
        onRunning: request.onRunning,
        onProgress: request.onProgress,
        settle: (outcome) => {
          clearInterval(poll);
          request.signal.removeEventListener('abort', onAbort);
          waiters.delete(waiter);
          if (waiters.size === 0) {
            this.#waiters.delete(request.key);
            this.#requeued.delete(request.key);
          }
          if ('result' in outcome) resolve({ worker: outcome.result.worker });
          else reject(new Error(outcome.error));
        },
      };
      const onAbort = () => {
        waiter.settle({ error: 'Cancelled.' });
        if (this.#waiters.has(request.key)) return;
        const cancelling = this.#cancel(queue, request.key).finally(() => this.#cancelling.delete(cancelling));
        this.#cancelling.add(cancelling);
      };
      waiters.add(waiter);
      // One listener per farmed node of the run: a big graph has hundreds, which is not a leak.
      setMaxListeners(0, request.signal);
      request.signal.addEventListener('abort', onAbort, { once: true });
      const add = () =>
        queue.add(request.definition.type, data, {
          jobId: request.key,
          attempts: this.#options.attempts,
          backoff: { type: 'exponential', delay: 1000 },
          // Gone once finished: the shared tier is the record of a result, and a later run may need the key again.
          removeOnComplete: true,
          removeOnFail: true,
        });
      add()
        .then(() => {
          // Events can be missed (a reconnect); the job's state and the shared tier are the truth.
          // A failed check (Redis or the store briefly away) is only a missed look; the next one follows.
          poll = setInterval(() => void this.#check(queue, request.key, add).catch(() => undefined), this.#options.pollMs);
          return this.#check(queue, request.key, add);
        })
        .catch((error: Error) => waiter.settle({ error: `Could not queue the node on the farm: ${error.message}` }));
    });
  }

  /** Closes the queues and connections; waiting runs fail. */
  async close(): Promise<void> {
    await Promise.all(this.#cancelling);
    for (const waiters of this.#waiters.values()) for (const waiter of [...waiters]) waiter.settle({ error: 'The farm connection was closed.' });
    await Promise.all(
      [...this.#queues.values()].map(async ({ queue, events }) => {
        await (await events).close();
        await queue.close();
      }),
    );
    this.#publisher.disconnect();
  }

  #waitersOf(key: string): Set<Waiter> {
    let waiters = this.#waiters.get(key);
    if (!waiters) this.#waiters.set(key, (waiters = new Set()));
    return waiters;
  }

  #each(key: string, call: (waiter: Waiter) => void): void {
    for (const waiter of [...(this.#waiters.get(key) ?? [])]) call(waiter);
  }

  /** Settles the waiters of a job that finished without our hearing of it, or queues it again if it vanished unfinished. */
  async #check(queue: Queue, key: string, add: () => Promise<unknown>): Promise<void> {
    if (!this.#waiters.has(key)) return;
    const state = await queue.getJobState(key).catch(() => 'unknown');
    if (state !== 'unknown') return;
    if (await this.#options.shared.has(key)) {
      this.#each(key, (waiter) => waiter.settle({ result: { worker: 'a farm worker', executed: false } }));
      return;
    }
    if (!this.#waiters.has(key)) return;
    const requeued = (this.#requeued.get(key) ?? 0) + 1;
    this.#requeued.set(key, requeued);
    if (requeued > MAX_REQUEUES) {
      this.#requeued.delete(key);
      this.#each(key, (waiter) => waiter.settle({ error: `The node's job left the farm's queue ${MAX_REQUEUES} times without a result; see the workers' logs.` }));
      return;
    }
    await add();
  }

  #queueFor(route: Route): { queue: Queue; events: Promise<QueueEvents> } {
    let entry = this.#queues.get(route);
    if (entry) return entry;
    const name = queueName(route);
    const connection = redisOptions(this.#options.redisUrl);
    const queue = new Queue(name, { connection });
    queue.on('error', () => undefined);
    const events = new QueueEvents(name, { connection });
    events.on('error', () => undefined);
    events.on('progress', ({ jobId, data }) => {
      const progress = data as Partial<FarmJobProgress>;
      if (typeof progress !== 'object' || typeof progress.worker !== 'string') return;
      this.#each(jobId, (waiter) => {
        if (progress.done === -1) waiter.onRunning(progress.worker!);
        else waiter.onProgress(Number(progress.done) || 0, Number(progress.total) || 0);
      });
    });
    events.on('completed', ({ jobId, returnvalue }) => {
      const result = (typeof returnvalue === 'string' ? safeParse(returnvalue) : returnvalue) as FarmJobResult | undefined;
      this.#each(jobId, (waiter) => waiter.settle({ result: { worker: result?.worker ?? 'a farm worker', executed: result?.executed ?? true } }));
    });
    events.on('failed', ({ jobId, failedReason }) => {
      this.#each(jobId, (waiter) => waiter.settle({ error: failedReason || 'The node failed on the farm.' }));
    });
    entry = { queue, events: events.waitUntilReady().then(() => events) };
    this.#queues.set(route, entry);
    return entry;
  }

  async #cancel(queue: Queue, key: string): Promise<void> {
    const job = await queue.getJob(key).catch(() => undefined);
    // A waiting job is simply taken away; a running one is stopped by its worker.
    const removed = job ? await job.remove().then(() => true, () => false) : false;
    if (!removed) await this.#publisher.publish(CANCEL_CHANNEL, key).catch(() => undefined);
  }
}

function safeParse(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
