import { expandReusableGraphs } from '@reelgraph/engine/reusable-graphs';
import { produce } from 'immer';
import { describe, expect, it } from 'vitest';
import type { PipelineDocument, PipelineEdge } from '../document/pipeline-types.ts';
import { makeReusable, type MadeReusable } from './make-reusable.ts';
import { shotDocument } from './reusable-test-doc.ts';

function made(doc: PipelineDocument, ids: string[], exposeParams: { node: string; param: string }[] = []): { doc: PipelineDocument; result: MadeReusable } {
  let result: MadeReusable | undefined;
  const next = produce(doc, (draft) => void (result = makeReusable(draft, ids, { name: 'Shot', exposeParams })));
  return { doc: next, result: result! };
}

const wireText = (edge: PipelineEdge) => `${edge.from.node}.${edge.from.port}->${edge.to.node}.${edge.to.port}`;
const stripUse = (id: string, use: string) => (id.startsWith(`${use}/`) ? id.slice(use.length + 1) : id);

describe('makeReusable', () => {
  it('moves the chosen nodes into a definition and puts one use, wired as before, at their centre', () => {
    const { doc, result } = made(shotDocument(), ['prompt', 'camera', 'shot'], [{ node: 'shot', param: 'seed' }]);
    expect(result).toEqual({ definitionId: 'shot', useId: 'shot' });
    expect(doc.nodes.map((node) => node.id)).toEqual(['out', 'shot']);
    expect(doc.nodes[1]).toEqual({ id: 'shot', type: 'graph:shot', params: {}, ui: { x: 150, y: 100 } });
    const definition = doc.definitions!.shot!;
    expect(definition.nodes.map((node) => node.id)).toEqual(['prompt', 'camera', 'shot']);
    expect(definition.edges).toHaveLength(2);
    expect(definition.outputs).toEqual({ video: { node: 'shot', port: 'video' } });
    expect(definition.inputs).toEqual({});
    expect(definition.params).toEqual({ seed: { targets: [{ node: 'shot', param: 'seed' }] } });
    expect(doc.edges.map(wireText)).toEqual(['shot.video->out.video']);
  });

  it('turns wires from outside into inputs, one per outside output, feeding every inner input it fed', () => {
    const base = shotDocument();
    const doc = { ...base, nodes: [...base.nodes, { id: 'g2', type: 'generate', params: {} }], edges: [...base.edges, { from: { node: 'prompt', port: 'prompt' }, to: { node: 'g2', port: 'prompt' } }] };
    const { doc: next, result } = made(doc, ['shot', 'g2', 'out']);
    const definition = next.definitions![result.definitionId]!;
    expect(definition.inputs).toEqual({
      prompt: { targets: [{ node: 'shot', port: 'prompt' }, { node: 'g2', port: 'prompt' }] },
      camera: { targets: [{ node: 'shot', port: 'camera' }] },
    });
    expect(definition.outputs).toEqual({});
    expect(next.edges.map(wireText).sort()).toEqual([`camera.camera->${result.useId}.camera`, `prompt.prompt->${result.useId}.prompt`]);
  });

  it('names two exposed outputs of one port apart', () => {
    const base = shotDocument();
    const doc = {
      ...base,
      nodes: [...base.nodes, { id: 'g2', type: 'generate', params: {} }, { id: 'out2', type: 'export', params: {} }],
      edges: [...base.edges, { from: { node: 'g2', port: 'video' }, to: { node: 'out2', port: 'video' } }],
    };
    const { doc: next, result } = made(doc, ['shot', 'g2']);
    expect(next.definitions![result.definitionId]!.outputs).toEqual({ video: { node: 'shot', port: 'video' }, 'video-2': { node: 'g2', port: 'video' } });
  });

  it('expands (in the engine) into the same nodes and wires as before, under the use id', () => {
    const before = shotDocument();
    const { doc, result } = made(before, ['prompt', 'camera', 'shot'], [{ node: 'shot', param: 'seed' }]);
    const expanded = expandReusableGraphs(doc);
    expect(expanded.ok).toBe(true);
    if (!expanded.ok) return;
    const shape = (d: PipelineDocument, use?: string) => ({
      nodes: d.nodes.map((node) => ({ id: use ? stripUse(node.id, use) : node.id, type: node.type, params: node.params })).sort((a, b) => a.id.localeCompare(b.id)),
      edges: d.edges.map((edge) => wireText({ from: { ...edge.from, node: use ? stripUse(edge.from.node, use) : edge.from.node }, to: { ...edge.to, node: use ? stripUse(edge.to.node, use) : edge.to.node } })).sort(),
    });
    expect(shape(expanded.document, result.useId)).toEqual(shape(before));
  });

  it('gives the use a fresh id when a remaining node holds the definition id, and changes nothing for unknown ids', () => {
    const { doc, result } = made(shotDocument(), ['prompt', 'camera']);
    expect(result.definitionId).toBe('shot');
    expect(result.useId).toBe('shot-2');
    expect(doc.nodes.map((node) => node.id)).toEqual(['shot', 'out', 'shot-2']);
    expect(doc.edges.map(wireText).sort()).toEqual(['shot-2.camera->shot.camera', 'shot-2.prompt->shot.prompt', 'shot.video->out.video']);
    let nothing: MadeReusable | undefined;
    const same = produce(shotDocument(), (draft) => void (nothing = makeReusable(draft, ['ghost'], { name: 'X' })));
    expect(nothing).toBeUndefined();
    expect(same).toEqual(shotDocument());
  });
});
