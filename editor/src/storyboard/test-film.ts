/** A film shaped like the Storyboard example, built in code for the unit tests (the editor's tests have no file system). */
import { emptyDocument, type PipelineDocument, type PipelineEdge, type PipelineNode } from '../document/pipeline-types.ts';

export const PROMPTS = ['a misty forest at dawn, calm', 'a bright desert at noon, vast dunes', 'a neon city at night, vivid'];

const wire = (from: string, fromPort: string, to: string, toPort: string): PipelineEdge => ({ from: { node: from, port: fromPort }, to: { node: to, port: toPort } });

export function storyboardDocument(prompts: readonly string[] = PROMPTS): PipelineDocument {
  const nodes: PipelineNode[] = [];
  const edges: PipelineEdge[] = [];
  for (const [index, text] of prompts.entries()) {
    const n = index + 1;
    const y = index * 340;
    nodes.push(
      { id: `prompt-${n}`, type: 'prompt', params: { text }, ui: { x: 0, y } },
      { id: `camera-${n}`, type: 'camera-move', params: { preset: 'pan-right' }, ui: { x: 0, y: y + 160 } },
      { id: `shot-${n}`, type: 'generate', params: { duration: 2, seed: 10 + n }, ui: { x: 320, y: y + 60 } },
    );
    edges.push(wire(`prompt-${n}`, 'prompt', `shot-${n}`, 'prompt'), wire(`camera-${n}`, 'camera', `shot-${n}`, 'camera'), wire(`shot-${n}`, 'video', 'join', `clip${n}`));
  }
  nodes.push(
    { id: 'join', type: 'concat', params: { transition: 'crossfade', duration: 0.5 }, ui: { x: 640, y: 400 } },
    { id: 'export', type: 'export', params: { format: 'mp4', filename: 'storyboard' }, ui: { x: 940, y: 400 } },
  );
  edges.push(wire('join', 'video', 'export', 'video'));
  return { ...emptyDocument('Storyboard'), nodes, edges };
}

/** The concat's clip wiring as "clipN ← node", in slot order. */
export function clipWiring(doc: PipelineDocument, concatId = 'join'): string[] {
  return doc.edges
    .filter((edge) => edge.to.node === concatId && edge.to.port.startsWith('clip'))
    .sort((a, b) => Number(a.to.port.slice(4)) - Number(b.to.port.slice(4)))
    .map((edge) => `${edge.to.port} ← ${edge.from.node}`);
}
