/** Draws a wire after checking it; a wire into a taken input replaces the old one. */
import type { Draft } from 'immer';
import type { Catalog } from '../catalog/catalog-types.ts';
import { checkConnection, type WireRequest, type WireVerdict } from '../graph/connection-check.ts';
import type { PipelineDocument } from './pipeline-types.ts';

export function connectNodes(doc: Draft<PipelineDocument>, catalog: Catalog, wire: WireRequest): WireVerdict {
  const verdict = checkConnection(doc as PipelineDocument, catalog, wire);
  if (!verdict.ok) return verdict;
  const toPort = wire.targetHandle ?? '';
  doc.edges = doc.edges.filter((edge) => !(edge.to.node === wire.target && edge.to.port === toPort));
  doc.edges.push({ from: { node: wire.source, port: wire.sourceHandle ?? '' }, to: { node: wire.target, port: toPort } });
  return verdict;
}
