/**
 * The document as React Flow nodes and edges. Flow nodes also carry what only
 * the canvas knows (selection, measured size, a drag in progress); syncing
 * keeps those and reuses every node object whose inputs did not change, so
 * memoised node components skip the render.
 */
import { outermostUse } from '@reelgraph/engine/reusable-graphs';
import { hasGrowingInputs } from '../nodes/shown-inputs.ts';
import type { Edge, Node } from '@xyflow/react';
import type { Catalog, CatalogEntry } from '../catalog/catalog-types.ts';
import { edgeId } from '../document/node-operations.ts';
import { nodePosition, type PipelineDocument, type PipelineIssue, type PipelineNode } from '../document/pipeline-types.ts';
import { displayTitle } from './connection-check.ts';
import { portColor } from './port-colors.ts';

export interface PipelineNodeData extends Record<string, unknown> {
  node: PipelineNode;
  entry: CatalogEntry | undefined;
  issues: readonly PipelineIssue[];
  /** For a type the catalog lacks (or before it arrives): the ports its wires use, so they stay attached. */
  wiredPorts?: WiredPorts;
}

export interface WiredPorts {
  inputs: readonly string[];
  outputs: readonly string[];
  /** Where each wired input comes from (node id and output port). */
  sources: Readonly<Record<string, { node: string; port: string }>>;
}

export type FlowNode = Node<PipelineNodeData, 'pipeline'>;
export type FlowEdge = Edge<{ portType: string }>;

const NO_ISSUES: readonly PipelineIssue[] = Object.freeze([]);

export interface SyncOptions {
  issues: ReadonlyMap<string, readonly PipelineIssue[]>;
  /** Replaces the selection (after a paste, to select what was pasted). */
  select?: ReadonlySet<string>;
}

export function syncFlowNodes(previous: readonly FlowNode[], doc: PipelineDocument, catalog: Catalog, options: SyncOptions): FlowNode[] {
  const byId = new Map(previous.map((node) => [node.id, node]));
  return doc.nodes.map((node) => {
    const entry = catalog.get(node.type);
    const issues = options.issues.get(node.id) ?? NO_ISSUES;
    const old = byId.get(node.id);
    // Unknown nodes keep their wired ports as handles; known ones need them only for params a wire makes unused.
    // Only nodes that show something by their wires get them: unused params, growing inputs.
    const wired = !entry || hasGrowingInputs(entry.inputs) || Object.values(entry.params).some((spec) => 'unusedWhenWired' in spec && spec.unusedWhenWired) ? wiredPorts(doc, node.id) : undefined;
    const oldWired = old?.data.wiredPorts;
    const wiredPortsSame = wired === undefined ? oldWired === undefined : oldWired !== undefined && JSON.stringify(oldWired) === JSON.stringify(wired);
    // While a node is dragged the canvas owns its position; the document learns it on drop.
    const position = old?.dragging ? old.position : nodePosition(node);
    const selected = options.select ? options.select.has(node.id) : (old?.selected ?? false);
    const sameData = old !== undefined && old.data.node === node && old.data.entry === entry && old.data.issues === issues && wiredPortsSame;
    const samePosition = old !== undefined && old.position.x === position.x && old.position.y === position.y;
    if (old && sameData && samePosition && (old.selected ?? false) === selected) return old;
    return {
      ...old,
      id: node.id,
      type: 'pipeline',
      position,
      selected,
      data: sameData ? old.data : { node, entry, issues, ...(wired ? { wiredPorts: wired } : {}) },
      ariaLabel: nodeAccessibleName(node, entry),
    };
  });
}

function wiredPorts(doc: PipelineDocument, nodeId: string): WiredPorts {
  const unique = (ports: string[]) => [...new Set(ports)];
  const incoming = doc.edges.filter((edge) => edge.to.node === nodeId);
  return {
    inputs: unique(incoming.map((edge) => edge.to.port)),
    outputs: unique(doc.edges.filter((edge) => edge.from.node === nodeId).map((edge) => edge.from.port)),
    sources: Object.fromEntries(incoming.map((edge) => [edge.to.port, { node: edge.from.node, port: edge.from.port }])),
  };
}

/** The node's accessible name, which tests select by: `Generate (g1)`. */
export function nodeAccessibleName(node: PipelineNode, entry: CatalogEntry | undefined): string {
  return `${displayTitle(node, entry)} (${node.id})`;
}

export function toFlowEdges(doc: PipelineDocument, catalog: Catalog, selected: ReadonlySet<string>): FlowEdge[] {
  const types = new Map(doc.nodes.map((node) => [node.id, catalog.get(node.type)]));
  return doc.edges.map((edge) => {
    const id = edgeId(edge);
    const portType = types.get(edge.from.node)?.outputs[edge.from.port]?.type ?? '';
    return {
      id,
      source: edge.from.node,
      sourceHandle: edge.from.port,
      target: edge.to.node,
      targetHandle: edge.to.port,
      selected: selected.has(id),
      data: { portType },
      style: { stroke: portColor(portType) },
      ariaLabel: `wire from ${edge.from.node}.${edge.from.port} to ${edge.to.node}.${edge.to.port}`,
    };
  });
}

/**
 * Issues per node id; a node whose issues read the same as before keeps its array, so it does not re-render.
 * A problem inside a reusable graph (`use/inner`) belongs to the use, the node the pipeline shows.
 */
export function issuesByNode(
  issues: readonly PipelineIssue[],
  previous: ReadonlyMap<string, readonly PipelineIssue[]> = new Map(),
): Map<string, readonly PipelineIssue[]> {
  const grouped = new Map<string, PipelineIssue[]>();
  for (const issue of issues) {
    if (issue.nodeId === undefined) continue;
    const id = outermostUse(issue.nodeId) ?? issue.nodeId;
    grouped.set(id, [...(grouped.get(id) ?? []), issue]);
  }
  return new Map(
    [...grouped].map(([id, list]) => {
      const old = previous.get(id);
      return [id, old && JSON.stringify(old) === JSON.stringify(list) ? old : list];
    }),
  );
}
