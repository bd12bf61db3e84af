/**
 * Make reusable: the chosen nodes move into a new definition (their ids kept
 * inside it) and one use node takes their place, at their centre, wired as
 * they were. Wires from outside become exposed inputs (one per outside
 * output, feeding every inner input it fed); wires to outside become exposed
 * outputs (one per distinct inner output). The use sets no params, so the
 * inner values hold: the engine expands it into the same nodes, with the
 * same cache keys, as before.
 */
import type { Draft } from 'immer';
import { uniqueNodeId } from '../document/node-ids.ts';
import { nodePosition, type PipelineDocument, type PipelineEdge } from '../document/pipeline-types.ts';
import { useType, type Definition } from './use-node-spec.ts';

export interface MakeReusableOptions {
  name: string;
  /** Inner params to expose on the use (each under its own name, numbered when two share one). */
  exposeParams?: readonly { node: string; param: string }[];
}

export interface MadeReusable {
  definitionId: string;
  useId: string;
}

const key = (end: { node: string; port: string }) => `${end.node}\u0000${end.port}`;

/** Applies the change to the draft; undefined when no chosen node is in the pipeline. */
export function makeReusable(doc: Draft<PipelineDocument>, ids: Iterable<string>, options: MakeReusableOptions): MadeReusable | undefined {
  const chosen = new Set(ids);
  const nodes = doc.nodes.filter((node) => chosen.has(node.id));
  if (nodes.length === 0) return undefined;
  const definitionId = uniqueNodeId(new Set(Object.keys(doc.definitions ?? {})), options.name.toLowerCase() || 'graph');
  const useId = uniqueNodeId(new Set(doc.nodes.filter((node) => !chosen.has(node.id)).map((node) => node.id)), definitionId);
  const inside = (edge: PipelineEdge) => chosen.has(edge.from.node) && chosen.has(edge.to.node);
  const incoming = doc.edges.filter((edge) => !chosen.has(edge.from.node) && chosen.has(edge.to.node));
  const outgoing = doc.edges.filter((edge) => chosen.has(edge.from.node) && !chosen.has(edge.to.node));

  const definition: Definition = { name: options.name, nodes: plainCopy(nodes), edges: plainCopy(doc.edges.filter(inside)), inputs: {}, outputs: {}, params: {} };
  const newEdges: PipelineEdge[] = [];

  const inputNames = new Set<string>();
  const inputBySource = new Map<string, string>();
  for (const edge of incoming) {
    let port = inputBySource.get(key(edge.from));
    if (port === undefined) {
      port = uniqueNodeId(inputNames, edge.to.port);
      inputNames.add(port);
      inputBySource.set(key(edge.from), port);
      definition.inputs[port] = { targets: [] };
      newEdges.push({ from: { ...edge.from }, to: { node: useId, port } });
    }
    definition.inputs[port]!.targets.push({ ...edge.to });
  }

  const outputNames = new Set<string>();
  const outputByInner = new Map<string, string>();
  for (const edge of outgoing) {
    let port = outputByInner.get(key(edge.from));
    if (port === undefined) {
      port = uniqueNodeId(outputNames, edge.from.port);
      outputNames.add(port);
      outputByInner.set(key(edge.from), port);
      definition.outputs[port] = { ...edge.from };
    }
    newEdges.push({ from: { node: useId, port }, to: { ...edge.to } });
  }

  const paramNames = new Set<string>();
  for (const target of options.exposeParams ?? []) {
    if (!chosen.has(target.node)) continue;
    const name = uniqueNodeId(paramNames, target.param);
    paramNames.add(name);
    definition.params[name] = { targets: [{ node: target.node, param: target.param }] };
  }

  const centre = centreOf(nodes.map(nodePosition));
  doc.definitions = { ...doc.definitions, [definitionId]: definition };
  doc.nodes = doc.nodes.filter((node) => !chosen.has(node.id));
  doc.nodes.push({ id: useId, type: useType(definitionId), params: {}, ui: { x: Math.round(centre.x), y: Math.round(centre.y) } });
  doc.edges = [...doc.edges.filter((edge) => !chosen.has(edge.from.node) && !chosen.has(edge.to.node)), ...newEdges];
  return { definitionId, useId };
}

export function centreOf(points: readonly { x: number; y: number }[]): { x: number; y: number } {
  if (points.length === 0) return { x: 0, y: 0 };
  const xs = points.map((point) => point.x);
  const ys = points.map((point) => point.y);
  return { x: (Math.min(...xs) + Math.max(...xs)) / 2, y: (Math.min(...ys) + Math.max(...ys)) / 2 };
}

/** A deep copy that also reads immer drafts (structuredClone refuses proxies); document values are JSON. */
export function plainCopy<T>(value: T): T {
  return value === undefined ? value : (JSON.parse(JSON.stringify(value)) as T);
}
