/**
 * What a use node shows of a run: the engine reports the expanded nodes
 * (`use/inner`), so a use's state, progress and preview are derived from
 * those of its inner nodes. Running while any inner node runs, error when
 * one failed, otherwise the state of the node behind its first output.
 */
import { definitionIdOf, isGraphUse, MAX_NESTING, PATH_SEPARATOR } from '@reelgraph/engine/reusable-graphs';
import type { PipelineDocument } from '../document/pipeline-types.ts';
import type { NodeRunView } from '../run/run-store.ts';

/** Each exposed output of a use, as the expanded node and port it comes from (nested uses followed). */
export type UseOutputs = ReadonlyMap<string, Readonly<Record<string, { node: string; port: string }>>>;

/**
 * The expanded output ends of every use node: those of the pipeline by their
 * ids, and those inside definitions by their expanded paths (`use/inner`),
 * whose state shows while their definition is open.
 */
export function useOutputPaths(doc: PipelineDocument): UseOutputs {
  const definitions = doc.definitions ?? {};
  const resolve = (path: string, type: string, port: string, depth: number): { node: string; port: string } | undefined => {
    const definition = definitions[definitionIdOf(type)];
    const target = definition?.outputs[port];
    if (!definition || !target || depth > MAX_NESTING) return undefined;
    const inner = definition.nodes.find((node) => node.id === target.node);
    const innerPath = `${path}${PATH_SEPARATOR}${target.node}`;
    if (!inner) return undefined;
    return isGraphUse(inner.type) ? resolve(innerPath, inner.type, target.port, depth + 1) : { node: innerPath, port: target.port };
  };
  const result = new Map<string, Record<string, { node: string; port: string }>>();
  const addUse = (path: string, type: string, depth: number) => {
    const definition = definitions[definitionIdOf(type)];
    if (depth > MAX_NESTING || result.has(path)) return;
    const ports: Record<string, { node: string; port: string }> = {};
    for (const port of Object.keys(definition?.outputs ?? {})) {
      const end = resolve(path, type, port, 0);
      if (end) ports[port] = end;
    }
    result.set(path, ports);
    for (const inner of definition?.nodes ?? []) if (isGraphUse(inner.type)) addUse(`${path}${PATH_SEPARATOR}${inner.id}`, inner.type, depth + 1);
  };
  for (const node of doc.nodes) if (isGraphUse(node.type)) addUse(node.id, node.type, 0);
  return result;
}

const EMPTY: NodeRunView = { stale: false };

/**
 * A use's view from its inner nodes' views (`members`, by expanded id) and its outputs' ends.
 * Outputs are renamed to the use's ports, so previews and downloads read as the use's own.
 */
export function useRunView(members: ReadonlyMap<string, NodeRunView>, outputs: Readonly<Record<string, { node: string; port: string }>>): NodeRunView {
  const views = [...members.values()];
  const running = views.find((view) => view.state === 'running');
  const failed = views.find((view) => view.state === 'error');
  const ends = Object.entries(outputs);
  const first = ends[0] ? (members.get(ends[0][1].node) ?? EMPTY) : EMPTY;
  const collected = Object.fromEntries(
    ends.flatMap(([port, end]) => {
      const summary = members.get(end.node)?.outputs?.[end.port];
      return summary ? [[port, summary]] : [];
    }),
  );
  const view: NodeRunView = { stale: ends.some(([, end]) => members.get(end.node)?.stale ?? false) };
  if (Object.keys(collected).length > 0) view.outputs = collected;
  if (running) {
    view.state = 'running';
    if (running.progress) view.progress = running.progress;
    if (running.preview) view.preview = running.preview;
  } else if (failed) {
    view.state = 'error';
    if (failed.error !== undefined) view.error = failed.error;
  } else if (views.some((member) => member.state === 'queued')) {
    view.state = 'queued';
  } else if (first.state !== undefined) {
    view.state = first.state;
  } else if (views.some((member) => member.state === 'cancelled')) {
    view.state = 'cancelled';
  }
  return view;
}
