import { produce } from 'immer';
import { describe, expect, it } from 'vitest';
import type { PipelineDocument } from '../document/pipeline-types.ts';
import { expandUse } from './expand-use.ts';
import { makeReusable } from './make-reusable.ts';
import { shotDocument } from './reusable-test-doc.ts';

const wires = (doc: PipelineDocument) => doc.edges.map((edge) => `${edge.from.node}.${edge.from.port}->${edge.to.node}.${edge.to.port}`).sort();

function reusable(): PipelineDocument {
  return produce(shotDocument(), (draft) => void makeReusable(draft, ['prompt', 'camera', 'shot'], { name: 'Shot', exposeParams: [{ node: 'shot', param: 'seed' }] }));
}

describe('expandUse', () => {
  it('puts the inner nodes back with fresh ids, reconnected, and removes the use', () => {
    let ids: string[] | undefined;
    const doc = produce(reusable(), (draft) => void (ids = expandUse(draft, 'shot')));
    // The use "shot" is gone, so the inner "shot" may take its id back.
    expect(ids).toEqual(['prompt', 'camera', 'shot']);
    expect(doc.nodes.map((node) => node.type)).toEqual(['export', 'prompt', 'camera-move', 'generate']);
    expect(wires(doc)).toEqual(wires(shotDocument()));
    expect(doc.definitions?.shot).toBeDefined();
  });

  it('applies the use’s param values and keeps the inner layout around the use', () => {
    const withSeed = produce(reusable(), (draft) => {
      const use = draft.nodes.find((node) => node.id === 'shot')!;
      use.params.seed = 99;
      use.ui = { x: 1000, y: 500 };
    });
    const doc = produce(withSeed, (draft) => void expandUse(draft, 'shot'));
    const generate = doc.nodes.find((node) => node.type === 'generate')!;
    expect(generate.params).toEqual({ seed: 99 });
    expect(generate.ui).toMatchObject({ x: 1150, y: 500 });
    expect(doc.nodes.find((node) => node.type === 'prompt')!.ui).toMatchObject({ x: 850, y: 400 });
  });

  it('numbers inner ids already taken in the pipeline, and feeds every target of an input', () => {
    const doc0 = produce(reusable(), (draft) => {
      draft.nodes.push({ id: 'prompt', type: 'prompt', params: {} }, { id: 'second', type: 'graph:shot', params: {} });
      draft.edges.push({ from: { node: 'second', port: 'video' }, to: { node: 'out', port: 'video' } });
    });
    let ids: string[] | undefined;
    const doc = produce(doc0, (draft) => void (ids = expandUse(draft, 'second')));
    expect(ids).toEqual(['prompt-2', 'camera', 'shot-2']);
    expect(wires(doc)).toContain('shot-2.video->out.video');
    expect(wires(doc)).toContain('prompt-2.prompt->shot-2.prompt');
    expect(produce(doc0, (draft) => void expandUse(draft, 'out'))).toBe(doc0);
  });
});
