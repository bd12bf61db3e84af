/** Edits of nodes and wires, as immer recipes over the document draft: pure, and testable without a DOM. */
import { definitionIdOf, isGraphUse } from '@reelgraph/engine/reusable-graphs';
import type { Draft } from 'immer';
import { defaultParams, type CatalogEntry } from '../catalog/catalog-types.ts';
import { uniqueNodeId } from './node-ids.ts';
import type { PipelineDocument, PipelineEdge } from './pipeline-types.ts';

type DocDraft = Draft<PipelineDocument>;

export interface XY {
  x: number;
  y: number;
}

/** Adds a node of `entry`'s kind with every param at its default; returns its id. */
export function addNode(doc: DocDraft, entry: CatalogEntry, position: XY): string {
  // A use is named after its definition (`shot-2`), as a node is after its kind.
  const id = uniqueNodeId(new Set(doc.nodes.map((node) => node.id)), isGraphUse(entry.type) ? definitionIdOf(entry.type) : entry.type);
  doc.nodes.push({ id, type: entry.type, params: defaultParams(entry), ui: { x: Math.round(position.x), y: Math.round(position.y) } });
  return id;
}

/** Removes the nodes and every wire that touches them. */
export function removeNodes(doc: DocDraft, ids: Iterable<string>): void {
  const gone = new Set(ids);
  if (gone.size === 0) return;
  doc.nodes = doc.nodes.filter((node) => !gone.has(node.id));
  doc.edges = doc.edges.filter((edge) => !gone.has(edge.from.node) && !gone.has(edge.to.node));
}

export function removeEdges(doc: DocDraft, edgeIds: Iterable<string>): void {
  const gone = new Set(edgeIds);
  if (gone.size === 0) return;
  doc.edges = doc.edges.filter((edge) => !gone.has(edgeId(edge)));
}

export function setParam(doc: DocDraft, nodeId: string, name: string, value: unknown): void {
  const node = doc.nodes.find((candidate) => candidate.id === nodeId);
  if (node) node.params[name] = value;
}

export function setNodeTitle(doc: DocDraft, nodeId: string, title: string): void {
  const node = doc.nodes.find((candidate) => candidate.id === nodeId);
  if (!node) return;
  if (title.trim() === '') delete node.title;
  else node.title = title;
}

export function moveNodes(doc: DocDraft, positions: ReadonlyMap<string, XY>): void {
  for (const node of doc.nodes) {
    const position = positions.get(node.id);
    if (!position) continue;
    const x = Math.round(position.x);
    const y = Math.round(position.y);
    if (node.ui?.x === x && node.ui.y === y) continue;
    node.ui = { ...node.ui, x, y };
  }
}

/** The id React Flow and the editor use for a wire: unique, since an input takes one wire. */
export function edgeId(edge: PipelineEdge): string {
  return `${edge.from.node}.${edge.from.port}->${edge.to.node}.${edge.to.port}`;
}
