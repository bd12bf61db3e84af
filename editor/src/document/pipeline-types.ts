/** The pipeline document (the root README's "Pipeline files") as the editor edits it: the engine's own types. */
import type { PipelineDocument, PipelineEdge, PipelineIssue, PipelineNode } from '@reelgraph/engine';

export type { PipelineDocument, PipelineEdge, PipelineIssue, PipelineNode };
export type PipelineAsset = PipelineDocument['assets'][string];

export const PIPELINE_FORMAT = 'reelgraph.pipeline';
export const PIPELINE_VERSION = 1;

export function emptyDocument(name = 'Untitled'): PipelineDocument {
  return { format: PIPELINE_FORMAT, version: PIPELINE_VERSION, name, nodes: [], edges: [], assets: {} };
}

export function findNode(doc: PipelineDocument, id: string): PipelineNode | undefined {
  return doc.nodes.find((node) => node.id === id);
}

export function nodePosition(node: PipelineNode): { x: number; y: number } {
  return { x: node.ui?.x ?? 0, y: node.ui?.y ?? 0 };
}
