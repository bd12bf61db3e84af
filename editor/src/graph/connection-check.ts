/**
 * Whether a wire may be drawn, and if not, a sentence that says why. A wire
 * into an input that already has one replaces it (as in Blender and ComfyUI),
 * so an input never holds two wires.
 */
import { outputType, inputType, type Catalog, type CatalogEntry } from '../catalog/catalog-types.ts';
import { findNode, type PipelineDocument, type PipelineEdge, type PipelineNode } from '../document/pipeline-types.ts';
import { downstreamOf } from './graph-walk.ts';

export interface WireRequest {
  source: string;
  sourceHandle?: string | null | undefined;
  target: string;
  targetHandle?: string | null | undefined;
}

export type WireVerdict = { ok: true; replaces?: PipelineEdge } | { ok: false; reason: string };

export function checkConnection(doc: PipelineDocument, catalog: Catalog, wire: WireRequest): WireVerdict {
  const from = findNode(doc, wire.source);
  const to = findNode(doc, wire.target);
  if (!from || !to) return { ok: false, reason: 'That node is no longer in the pipeline.' };
  if (from.id === to.id) return { ok: false, reason: 'A node cannot feed itself.' };
  const fromEntry = catalog.get(from.type);
  const toEntry = catalog.get(to.type);
  const fromPort = wire.sourceHandle ?? '';
  const toPort = wire.targetHandle ?? '';
  const fromType = outputType(fromEntry, fromPort);
  const toType = inputType(toEntry, toPort);
  if (!fromType) return { ok: false, reason: `${nodeLabel(from, fromEntry)} has no output "${fromPort}".` };
  if (!toType) return { ok: false, reason: `${nodeLabel(to, toEntry)} has no input "${toPort}".` };
  if (fromType !== toType) {
    return {
      ok: false,
      reason: `"${toPort}" on ${nodeLabel(to, toEntry)} takes ${toType}, but "${fromPort}" gives ${fromType}; wires join equal types only.`,
    };
  }
  if (downstreamOf(doc, to.id).has(from.id)) {
    return { ok: false, reason: `That wire would make a loop: ${nodeLabel(to, toEntry)} already feeds ${nodeLabel(from, fromEntry)}.` };
  }
  const existing = doc.edges.find((edge) => edge.to.node === to.id && edge.to.port === toPort);
  if (!existing) return { ok: true };
  if (existing.from.node === from.id && existing.from.port === fromPort) return { ok: false, reason: 'Those ports are already wired.' };
  return { ok: true, replaces: existing };
}

export function nodeLabel(node: PipelineNode, entry: CatalogEntry | undefined): string {
  return `"${displayTitle(node, entry)}"`;
}

export function displayTitle(node: PipelineNode, entry: CatalogEntry | undefined): string {
  return node.title ?? entry?.title ?? node.type;
}
