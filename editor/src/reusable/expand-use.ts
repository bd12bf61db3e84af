/**
 * Expand into nodes: a use becomes the plain nodes of its definition again,
 * with fresh ids in the pipeline, the use's param values applied and its
 * wires reconnected to the inner ports they stood for. Nested uses inside
 * stay uses (one level per expand). The definition stays: other uses and the
 * palette may still need it.
 */
import { definitionIdOf, isGraphUse } from '@reelgraph/engine/reusable-graphs';
import type { Draft } from 'immer';
import { uniqueNodeId } from '../document/node-ids.ts';
import { nodePosition, type PipelineDocument, type PipelineEdge } from '../document/pipeline-types.ts';
import { centreOf, plainCopy } from './make-reusable.ts';

/** Applies the expansion to the draft; returns the new nodes' ids, or undefined when `useId` is not a use of a known definition. */
export function expandUse(doc: Draft<PipelineDocument>, useId: string): string[] | undefined {
  const use = doc.nodes.find((node) => node.id === useId);
  if (!use || !isGraphUse(use.type)) return undefined;
  const definition = doc.definitions?.[definitionIdOf(use.type)];
  if (!definition) return undefined;

  const taken = new Set(doc.nodes.filter((node) => node.id !== useId).map((node) => node.id));
  const fresh = new Map<string, string>();
  for (const inner of definition.nodes) {
    const id = uniqueNodeId(taken, inner.id);
    taken.add(id);
    fresh.set(inner.id, id);
  }
  const overrides = new Map<string, Record<string, unknown>>();
  for (const [name, exposed] of Object.entries(definition.params)) {
    if (!Object.hasOwn(use.params, name)) continue;
    for (const target of exposed.targets) overrides.set(target.node, { ...overrides.get(target.node), [target.param]: plainCopy(use.params[name]) });
  }
  // The inner nodes keep their layout, centred where the use was.
  const from = centreOf(definition.nodes.map(nodePosition));
  const to = nodePosition(use);
  const nodes = definition.nodes.map((inner) => {
    const { x, y } = nodePosition(inner);
    return {
      ...plainCopy(inner),
      id: fresh.get(inner.id)!,
      params: { ...plainCopy(inner.params), ...overrides.get(inner.id) },
      ui: { ...inner.ui, x: Math.round(x - from.x + to.x), y: Math.round(y - from.y + to.y) },
    };
  });
  const rename = (end: { node: string; port: string }) => ({ node: fresh.get(end.node) ?? end.node, port: end.port });
  const edges: PipelineEdge[] = definition.edges.map((edge) => ({ from: rename(edge.from), to: rename(edge.to) }));
  for (const edge of doc.edges) {
    if (edge.to.node === useId) {
      for (const target of definition.inputs[edge.to.port]?.targets ?? []) edges.push({ from: { ...edge.from }, to: rename(target) });
    } else if (edge.from.node === useId) {
      const source = definition.outputs[edge.from.port];
      if (source) edges.push({ from: rename(source), to: { ...edge.to } });
    }
  }
  doc.nodes = [...doc.nodes.filter((node) => node.id !== useId), ...nodes];
  doc.edges = [...doc.edges.filter((edge) => edge.from.node !== useId && edge.to.node !== useId), ...edges];
  return nodes.map((node) => node.id);
}
