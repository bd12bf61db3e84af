/**
 * Decides what a run executes: keys are computed bottom-up, then the graph is
 * walked from the targets upstream, stopping at every node whose result is
 * cached. Only the nodes left over run.
 */
import { randomUUID } from 'node:crypto';
import { findModel } from '@reelgraph/models';
import type { Outputs, ParamSpec, PortSpec } from '@reelgraph/nodes';
import type { Catalog } from '../catalog.ts';
import { keyedParams, type ResolvedParams } from '../pipeline/resolve-params.ts';
import { cacheKey } from './cache-key.ts';
import type { PipelineGraph } from './pipeline-graph.ts';

export interface RunPlan {
  /** Every node the run touches, in dependency order. */
  nodes: string[];
  /** Nodes to execute, in dependency order. */
  execute: string[];
  /** Nodes served from cache, with their outputs. */
  cached: Map<string, Outputs>;
  /**
   * Nodes upstream of cached ones whose results are cached too: nothing needs
   * them, but a client shows their results. Outputs are shapes (pixels unread).
   */
  reported: Map<string, Outputs>;
  keys: Map<string, string>;
  /**
   * Nodes to execute whose key another node to execute has already (the same
   * kind, params and inputs): each maps to that first node, and takes its
   * result instead of executing again.
   */
  sameAs: Map<string, string>;
  /** What the run was asked to produce; their outputs are kept to the end. */
  targets: readonly string[];
}

export function computeKeys(graph: PipelineGraph, catalog: Catalog, params: ResolvedParams): Map<string, string> {
  const keys = new Map<string, string>();
  const runNonce = randomUUID();
  for (const id of graph.order) {
    const node = graph.nodes.get(id);
    const definition = node && catalog.get(node.type);
    if (!node || !definition) throw new Error(`node "${id}" is not in the catalog; validate first`);
    const wires = graph.inputs.get(id)!;
    const inputs = Object.keys(definition.inputs as Record<string, PortSpec>).map((port): [string, string | null] => {
      const upstream = wires.get(port);
      return [port, upstream ? `${keys.get(upstream.node)}#${upstream.port}` : null];
    });
    const deterministic = definition.deterministic !== false;
    keys.set(
      id,
      cacheKey({
        type: definition.type,
        version: definition.version,
        params: keyedParams(usedParams(params.get(id) ?? {}, definition.params as Record<string, ParamSpec>, wires), definition.params as Record<string, ParamSpec>),
        inputs,
        // Per node, so two identical non-deterministic nodes are not taken for one.
        ...(deterministic ? {} : { nonce: `${runNonce}:${id}` }),
      }),
    );
  }
  return keys;
}

/**
 * Params without those a wired input makes unused (`unusedWhenWired`) or that
 * only another model family uses (`forFamily`): changing them must not cost a
 * re-render.
 */
function usedParams(values: Record<string, unknown>, specs: Record<string, ParamSpec>, wires: ReadonlyMap<string, unknown>): Record<string, unknown> {
  const model = typeof values.model === 'string' ? findModel(values.model) : undefined;
  const used = ([name]: [string, unknown]) => {
    const { unusedWhenWired, forFamily } = specs[name] ?? {};
    if (forFamily !== undefined && model?.family !== forFamily) return false;
    return unusedWhenWired === undefined || !wires.has(unusedWhenWired);
  };
  return Object.fromEntries(Object.entries(values).filter(used));
}

export async function planRun(
  graph: PipelineGraph,
  targets: readonly string[],
  keys: Map<string, string>,
  lookup: (key: string) => Promise<Outputs | undefined>,
  peek: (key: string) => Promise<Outputs | undefined> = async () => undefined,
): Promise<RunPlan> {
  const cached = new Map<string, Outputs>();
  const execute = new Set<string>();
  const visited = new Set<string>();
  const stack = [...targets];
  while (stack.length > 0) {
    const id = stack.pop()!;
    if (visited.has(id)) continue;
    visited.add(id);
    const outputs = await lookup(keys.get(id)!);
    if (outputs) {
      cached.set(id, outputs);
      continue;
    }
    execute.add(id);
    stack.push(...graph.upstreamIds(id));
  }
  const reported = new Map<string, Outputs>();
  const upstreamOfCached = [...cached.keys()].flatMap((id) => graph.upstreamIds(id));
  while (upstreamOfCached.length > 0) {
    const id = upstreamOfCached.pop()!;
    if (visited.has(id)) continue;
    visited.add(id);
    const shape = await peek(keys.get(id)!);
    if (!shape) continue;
    reported.set(id, shape);
    upstreamOfCached.push(...graph.upstreamIds(id));
  }
  const nodes = graph.order.filter((id) => cached.has(id) || execute.has(id) || reported.has(id));
  const toExecute = nodes.filter((id) => execute.has(id));
  const firstWithKey = new Map<string, string>();
  const sameAs = new Map<string, string>();
  for (const id of toExecute) {
    const key = keys.get(id)!;
    const first = firstWithKey.get(key);
    if (first === undefined) firstWithKey.set(key, id);
    else sameAs.set(id, first);
  }
  return { nodes, execute: toExecute, cached, reported, keys, sameAs, targets };
}
