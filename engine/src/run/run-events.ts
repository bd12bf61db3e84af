import type { ImageValue } from '@reelgraph/nodes';

export type NodeState = 'queued' | 'cached' | 'running' | 'done' | 'error' | 'cancelled' | 'skipped';
export type RunStatus = 'succeeded' | 'failed' | 'cancelled';

export interface RunStats {
  executed: number;
  cached: number;
  ms: number;
}

/** Everything a run reports, in the order it happens (engine/PROTOCOL.md, "Order within a run"). */
export type RunEvent =
  /** `worker`: on a farm, the worker that runs or ran the node. */
  | { type: 'node.status'; runId: string; nodeId: string; state: NodeState; key: string; error?: string; worker?: string }
  | { type: 'node.progress'; runId: string; nodeId: string; done: number; total: number; preview?: ImageValue }
  | { type: 'node.output'; runId: string; nodeId: string; key: string; outputs: Record<string, Record<string, unknown>> }
  | { type: 'run.finished'; runId: string; status: RunStatus; stats: RunStats };
