/**
 * Which accelerator queue a worker looks at next: model affinity as two
 * small rules, kept apart from the worker's I/O so they can be tested.
 * A model's weights take seconds to load onto a device, so a worker keeps to
 * the model it ran last and leaves other models' jobs to workers that have
 * them loaded, unless those jobs pile up.
 */
import { DEVICE_ROUTE, type Route } from './farm-job.ts';

/** The order to try queues in: the loaded model's first, then jobs that need no model, then the other served models. */
export function deviceRouteOrder(loaded: Route | undefined, servedModels: readonly Route[]): Route[] {
  if (loaded === undefined) return [DEVICE_ROUTE, ...servedModels];
  return [loaded, DEVICE_ROUTE, ...servedModels.filter((route) => route !== loaded)];
}

export interface SwitchRule {
  /** Waiting jobs of another model that make a worker switch to it at once. */
  backlog: number;
  /** How long another model's jobs may wait untaken (no worker with it loaded is free) before this worker switches anyway. */
  afterMs: number;
}

/**
 * Whether to take a job from `route` now: always from the loaded model's
 * queue and from the no-model queue, and from any queue while nothing is
 * loaded; from another model's once its `waiting` jobs reach the backlog, or
 * once they have waited `waitedMs` past `afterMs` (so a lone job of a model
 * no free worker has loaded is never left waiting for good).
 */
export function mayTakeFrom(route: Route, loaded: Route | undefined, waiting: number, waitedMs: number, rule: SwitchRule): boolean {
  if (loaded === undefined || route === loaded || route === DEVICE_ROUTE) return true;
  return waiting > 0 && (waiting >= rule.backlog || waitedMs >= rule.afterMs);
}

/** Whether mayTakeFrom needs the queue's waiting count (a Redis call) to decide. */
export function needsBacklog(route: Route, loaded: Route | undefined): boolean {
  return loaded !== undefined && route !== loaded && route !== DEVICE_ROUTE;
}
