import type { ParamRunValue, ParamSpec } from './param.ts';
import type { PortSpec, PortValue, PortValueOf } from './port.ts';
import type { FrameStore } from './frame-sequence.ts';
import type { ImageValue } from './values.ts';

export type PortMap = Record<string, PortSpec>;
export type ParamMap = Record<string, ParamSpec>;

export type InputValues<I extends PortMap> = { [K in keyof I]: PortValue<I[K]> };
export type OutputValues<O extends PortMap> = { [K in keyof O]: PortValueOf[O[K]['type']] };
export type ParamValues<P extends ParamMap> = { [K in keyof P]: ParamRunValue<P[K]> };

/** What the engine hands a running node besides its inputs and params. */
export interface RunContext {
  nodeId: string;
  /** Aborted when the run is cancelled: stop at the next frame or step. */
  signal: AbortSignal;
  /** Reports progress (`done` may be fractional: part of a frame made); `preview` is a small frame the editor may show. */
  progress(done: number, total: number, preview?: ImageValue): void;
  /**
   * Where the node's video and mask outputs go: append frames as they are
   * made (the engine's store writes them into the node's cache entry), and
   * never build a whole clip in memory.
   */
  frames: FrameStore;
  /** For intermediate frames a node reads itself (a clip resized before joining): removed when the node finishes. */
  scratchFrames: FrameStore;
  /** The data dir: exports go under `outputs/` in it. */
  dataDir: string;
  /** The pipeline document being run, embedded into exports. */
  pipeline: unknown;
}

export interface RunArgs<I extends PortMap, P extends ParamMap> {
  inputs: InputValues<I>;
  params: ParamValues<P>;
  ctx: RunContext;
}

export interface NodeDefinition<I extends PortMap = PortMap, O extends PortMap = PortMap, P extends ParamMap = ParamMap> {
  /** Stable identifier used in pipeline files, e.g. `camera-move`. */
  type: string;
  /** Bump when the same inputs and params would now give a different result: it invalidates cached results. */
  version: number;
  title: string;
  category: string;
  description: string;
  inputs: I;
  outputs: O;
  params: P;
  /** `accelerator` nodes run one at a time through the device queue; `cpu` nodes run beside them. */
  device: 'accelerator' | 'cpu';
  /** A node that cannot reproduce its result from its inputs and params is never served from cache. */
  deterministic?: boolean;
  /** Cross-param checks that a single param's `check` cannot see. */
  checkParams?(params: { [K in keyof P]: unknown }): { param: string; message: string }[];
  run(args: RunArgs<I, P>): Promise<OutputValues<O>>;
}

// The catalog holds definitions of many shapes; the engine treats them uniformly.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyNodeDefinition = NodeDefinition<any, any, any>;

export function defineNode<I extends PortMap, O extends PortMap, P extends ParamMap>(
  definition: NodeDefinition<I, O, P>,
): NodeDefinition<I, O, P> {
  return definition;
}

export function throwIfAborted(signal: AbortSignal): void {
  if (signal.aborted) throw new CancelledError();
}

export class CancelledError extends Error {
  override name = 'CancelledError';
  constructor() {
    super('Cancelled.');
  }
}

/** An error in a node the person can fix (a bad file, a clip too short), shown on the node. */
export class NodeError extends Error {
  override name = 'NodeError';
}
