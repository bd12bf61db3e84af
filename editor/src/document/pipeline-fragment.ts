/**
 * Copy, paste and duplicate. A fragment is itself a pipeline document (the
 * chosen nodes, the wires between them and the assets they use), so the
 * clipboard carries plain pipeline JSON that any tab, or a text editor, reads.
 */
import type { Draft } from 'immer';
import { uniqueNodeId } from './node-ids.ts';
import { emptyDocument, nodePosition, type PipelineDocument } from './pipeline-types.ts';

export function copyFragment(doc: PipelineDocument, ids: Iterable<string>): PipelineDocument {
  const chosen = new Set(ids);
  const nodes = doc.nodes.filter((node) => chosen.has(node.id));
  const edges = doc.edges.filter((edge) => chosen.has(edge.from.node) && chosen.has(edge.to.node));
  const refs = new Set(nodes.flatMap((node) => Object.values(node.params).filter((value): value is string => typeof value === 'string')));
  const assets = Object.fromEntries(Object.entries(doc.assets).filter(([ref]) => refs.has(ref)));
  return { ...emptyDocument(doc.name), nodes, edges, assets };
}

export interface PasteOptions {
  /** Where the fragment's top-left node lands; without it the fragment moves by `offset`. */
  at?: { x: number; y: number };
  offset?: { x: number; y: number };
}

/** Adds the fragment's nodes under fresh ids (keeping an id where it is free) and returns the new ids. */
export function pasteFragment(doc: Draft<PipelineDocument>, fragment: PipelineDocument, options: PasteOptions = {}): string[] {
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
  for (const [ref, asset] of Object.entries(fragment.assets)) doc.assets[ref] ??= structuredClone(asset);
  return [...renamed.values()];
}

function pasteShift(fragment: PipelineDocument, { at, offset }: PasteOptions): { x: number; y: number } {
  if (!at) return offset ?? { x: 0, y: 0 };
  const positions = fragment.nodes.map(nodePosition);
  const left = Math.min(...positions.map((p) => p.x));
  const top = Math.min(...positions.map((p) => p.y));
  return positions.length === 0 ? { x: 0, y: 0 } : { x: Math.round(at.x - left), y: Math.round(at.y - top) };
}
