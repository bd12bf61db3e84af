/**
 * Copy, paste and duplicate. A fragment is itself a pipeline document (the
 * chosen nodes, the wires between them and the assets they use), so the
 * clipboard carries plain pipeline JSON that any tab, or a text editor, reads.
 * The wires that came into the chosen nodes from outside ride along in the
 * fragment's `ui` (editor state, which never affects results), so a paste
 * can keep them (Ctrl+Shift+V, as in ComfyUI) where their source nodes exist.
 */
import { definitionIdOf, isGraphUse } from '@reelgraph/engine/reusable-graphs';
import type { Draft } from 'immer';
import { uniqueNodeId } from './node-ids.ts';
import { emptyDocument, nodePosition, type PipelineDocument, type PipelineEdge } from './pipeline-types.ts';

const INCOMING = 'incomingWires';

export function copyFragment(doc: PipelineDocument, ids: Iterable<string>): PipelineDocument {
  const chosen = new Set(ids);
  const nodes = doc.nodes.filter((node) => chosen.has(node.id));
  const edges = doc.edges.filter((edge) => chosen.has(edge.from.node) && chosen.has(edge.to.node));
  const incoming = doc.edges.filter((edge) => !chosen.has(edge.from.node) && chosen.has(edge.to.node));
  // Uses of reusable graphs travel with their definitions (and those they use), so a paste in another tab works.
  const definitions = usedDefinitions(doc, nodes);
  const everyNode = [...nodes, ...Object.values(definitions ?? {}).flatMap((definition) => definition.nodes)];
  const refs = new Set(everyNode.flatMap((node) => Object.values(node.params).filter((value): value is string => typeof value === 'string')));
  const assets = Object.fromEntries(Object.entries(doc.assets).filter(([ref]) => refs.has(ref)));
  return { ...emptyDocument(doc.name), nodes, edges, assets, ...(definitions ? { definitions } : {}), ...(incoming.length > 0 ? { ui: { [INCOMING]: incoming } } : {}) };
}

function usedDefinitions(doc: PipelineDocument, nodes: readonly PipelineDocument['nodes'][number][]): PipelineDocument['definitions'] {
  const found: NonNullable<PipelineDocument['definitions']> = {};
  const visit = (type: string) => {
    const id = isGraphUse(type) ? definitionIdOf(type) : undefined;
    const definition = id === undefined ? undefined : doc.definitions?.[id];
    if (id === undefined || !definition || Object.hasOwn(found, id)) return;
    found[id] = definition;
    for (const inner of definition.nodes) visit(inner.type);
  };
  for (const node of nodes) visit(node.type);
  return Object.keys(found).length > 0 ? found : undefined;
}

/** The wires from outside a fragment into it that a paste into `doc` can keep: their source node is there. */
export function keepableIncoming(doc: PipelineDocument, fragment: PipelineDocument): PipelineEdge[] {
  const listed = fragment.ui?.[INCOMING];
  if (!Array.isArray(listed)) return [];
  const present = new Set(doc.nodes.map((node) => node.id));
  const pasted = new Set(fragment.nodes.map((node) => node.id));
  return listed.filter(
    (edge): edge is PipelineEdge =>
      typeof edge?.from?.node === 'string' && typeof edge.from.port === 'string' && typeof edge.to?.node === 'string' && typeof edge.to.port === 'string' && present.has(edge.from.node) && pasted.has(edge.to.node),
  );
}

export interface PasteOptions {
  /** Where the fragment's top-left node lands; without it the fragment moves by `offset`. */
  at?: { x: number; y: number };
  offset?: { x: number; y: number };
  /** Also rewire the pasted nodes' inputs from the nodes outside the fragment that fed the originals (keepableIncoming). */
  keepIncoming?: boolean;
}

/** Adds the fragment's nodes under fresh ids (keeping an id where it is free) and returns the new ids. */
export function pasteFragment(doc: Draft<PipelineDocument>, fragment: PipelineDocument, options: PasteOptions = {}): string[] {
  const incoming = options.keepIncoming ? keepableIncoming(doc, fragment) : [];
  const taken = new Set(doc.nodes.map((node) => node.id));
  const renamed = new Map<string, string>();
  for (const node of fragment.nodes) {
    const id = uniqueNodeId(taken, node.id);
    taken.add(id);
    renamed.set(node.id, id);
  }
  const shift = pasteShift(fragment, options);
  for (const node of fragment.nodes) {
    const { x, y } = nodePosition(node);
    doc.nodes.push({ ...structuredClone(node), id: renamed.get(node.id)!, ui: { ...node.ui, x: x + shift.x, y: y + shift.y } });
  }
  for (const edge of fragment.edges) {
    const from = renamed.get(edge.from.node);
    const to = renamed.get(edge.to.node);
    if (from === undefined || to === undefined) continue;
    doc.edges.push({ from: { node: from, port: edge.from.port }, to: { node: to, port: edge.to.port } });
  }
  for (const edge of incoming) {
    const to = renamed.get(edge.to.node)!;
    // An input takes one wire: one already made inside the fragment wins.
    if (doc.edges.some((existing) => existing.to.node === to && existing.to.port === edge.to.port)) continue;
    doc.edges.push({ from: { ...edge.from }, to: { node: to, port: edge.to.port } });
  }
  for (const [ref, asset] of Object.entries(fragment.assets)) doc.assets[ref] ??= structuredClone(asset);
  // A definition already here by that id is kept: within a tab it is the same one.
  for (const [id, definition] of Object.entries(fragment.definitions ?? {})) {
    doc.definitions ??= {};
    doc.definitions[id] ??= structuredClone(definition);
  }
  return [...renamed.values()];
}

function pasteShift(fragment: PipelineDocument, { at, offset }: PasteOptions): { x: number; y: number } {
  if (!at) return offset ?? { x: 0, y: 0 };
  const positions = fragment.nodes.map(nodePosition);
  const left = Math.min(...positions.map((p) => p.x));
  const top = Math.min(...positions.map((p) => p.y));
  return positions.length === 0 ? { x: 0, y: 0 } : { x: Math.round(at.x - left), y: Math.round(at.y - top) };
}
