import { availableParallelism } from 'node:os';
import { Semaphore } from './semaphore.ts';

/**
 * Where nodes wait for their turn. Accelerator nodes share one device queue
 * (one model on the device at a time); CPU nodes (decode, encode) run beside
 * it, as many as there are cores. A server shares one scheduler across runs.
 */
export interface Scheduler {
  accelerator: Semaphore;
  cpu: Semaphore;
}

export function createScheduler(cpuSlots = Math.max(1, availableParallelism())): Scheduler {
  return { accelerator: new Semaphore(1), cpu: new Semaphore(cpuSlots) };
}
