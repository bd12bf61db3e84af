/**
 * The document as an ELK graph: layered, left to right, each node with its
 * input ports on the west side and outputs on the east, in catalog order, so
 * wires leave and enter where the handles are.
 */
import type { ElkNode } from 'elkjs/lib/elk-api.js';
import type { Catalog } from '../catalog/catalog-types.ts';
import type { PipelineDocument } from '../document/pipeline-types.ts';

export interface Size {
  width: number;
  height: number;
}

const DEFAULT_SIZE: Size = { width: 260, height: 200 };

export const LAYOUT_OPTIONS: Record<string, string> = {
  'elk.algorithm': 'layered',
  'elk.direction': 'RIGHT',
  'elk.layered.spacing.nodeNodeBetweenLayers': '90',
  'elk.spacing.nodeNode': '36',
  // SIMPLE centres each layer: compact, where the edge-straightening strategies stair-step tall nodes.
  'elk.layered.nodePlacement.strategy': 'SIMPLE',
  'elk.layered.crossingMinimization.semiInteractive': 'true',
};

export function portId(nodeId: string, side: 'in' | 'out', port: string): string {
  return `${nodeId}\u0000${side}\u0000${port}`;
}

export function elkGraph(doc: PipelineDocument, catalog: Catalog, sizes: ReadonlyMap<string, Size>): ElkNode {
  return {
    id: 'root',
    layoutOptions: LAYOUT_OPTIONS,
    children: doc.nodes.map((node) => {
      const entry = catalog.get(node.type);
      const size = sizes.get(node.id) ?? DEFAULT_SIZE;
      const inputs = Object.keys(entry?.inputs ?? {});
      const outputs = Object.keys(entry?.outputs ?? {});
      return {
        id: node.id,
        width: size.width,
        height: size.height,
        layoutOptions: { 'elk.portConstraints': 'FIXED_ORDER' },
        // ELK numbers fixed-order ports clockwise from the top-left: down the east side, then up the west side.
        // So the first input (a concat's clip1) takes the highest index, to sit at the top like its handle.
        ports: [
          ...inputs.map((port, index) => ({
            id: portId(node.id, 'in', port),
            width: 8,
            height: 8,
            layoutOptions: { 'elk.port.side': 'WEST', 'elk.port.index': String(outputs.length + inputs.length - 1 - index) },
          })),
          ...outputs.map((port, index) => ({
            id: portId(node.id, 'out', port),
            width: 8,
            height: 8,
            layoutOptions: { 'elk.port.side': 'EAST', 'elk.port.index': String(index) },
          })),
        ],
      };
    }),
    edges: doc.edges.map((edge, index) => ({
      id: `e${index}`,
      sources: [portId(edge.from.node, 'out', edge.from.port)],
      targets: [portId(edge.to.node, 'in', edge.to.port)],
    })),
  };
}

/** Node positions from a laid-out graph. */
export function positionsOf(layout: ElkNode): Map<string, { x: number; y: number }> {
  return new Map((layout.children ?? []).map((child) => [child.id, { x: child.x ?? 0, y: child.y ?? 0 }]));
}

/** Sizes of the nodes the canvas has measured. */
export function measuredSizes(nodes: readonly { id: string; measured?: { width?: number; height?: number } }[]): Map<string, Size> {
  const sizes = new Map<string, Size>();
  for (const node of nodes) {
    if (node.measured?.width && node.measured.height) sizes.set(node.id, { width: node.measured.width, height: node.measured.height });
  }
  return sizes;
}
