import { PIPELINE_FORMAT, PIPELINE_VERSION } from '../pipeline/pipeline-document.ts';

interface NodeSketch {
  id: string;
  type: string;
  params?: Record<string, unknown>;
  ui?: { x: number; y: number };
  title?: string;
}

/** A pipeline document from a node list and `from.port -> to.port` wire strings. */
export function pipelineOf(nodes: NodeSketch[], wires: string[] = [], extra: Record<string, unknown> = {}) {
  return {
    format: PIPELINE_FORMAT,
    version: PIPELINE_VERSION,
    name: 'test',
    nodes: nodes.map((n) => ({ params: {}, ...n })),
    edges: wires.map((wire) => {
      const [from, to] = wire.split('->').map((s) => s.trim());
      const [fromNode, fromPort] = from!.split('.');
      const [toNode, toPort] = to!.split('.');
      return { from: { node: fromNode!, port: fromPort! }, to: { node: toNode!, port: toPort! } };
    }),
    ...extra,
  };
}
