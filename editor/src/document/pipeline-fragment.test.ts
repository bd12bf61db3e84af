import { produce } from 'immer';
import { describe, expect, it } from 'vitest';
import { testDocument } from '../testing/test-catalog.ts';
import { copyFragment, keepableIncoming, pasteFragment } from './pipeline-fragment.ts';
import { emptyDocument, type PipelineDocument } from './pipeline-types.ts';
import { makeReusable } from '../reusable/make-reusable.ts';

const REF = `sha256:${'a'.repeat(64)}`;

function withAsset(): PipelineDocument {
  const doc = testDocument();
  return {
    ...doc,
    nodes: [...doc.nodes, { id: 'img', type: 'reference-image', params: { image: REF }, ui: { x: 0, y: 200 } }],
    assets: { [REF]: { name: 'hero.png', mime: 'image/png' }, [`sha256:${'b'.repeat(64)}`]: { name: 'unused.png', mime: 'image/png' } },
  };
}

describe('copyFragment', () => {
  it('keeps the chosen nodes, the wires between them, and only the assets they use', () => {
    const fragment = copyFragment(withAsset(), ['p1', 'g1', 'img']);
    expect(fragment.format).toBe('reelgraph.pipeline');
    expect(fragment.nodes.map((node) => node.id)).toEqual(['p1', 'g1', 'img']);
    expect(fragment.edges).toEqual([{ from: { node: 'p1', port: 'prompt' }, to: { node: 'g1', port: 'prompt' } }]);
    expect(Object.keys(fragment.assets)).toEqual([REF]);
  });
});

describe('pasteFragment', () => {
  it('gives pasted nodes fresh ids where theirs are taken and rewires them to each other', () => {
    const source = testDocument();
    const fragment = copyFragment(source, ['p1', 'g1']);
    let ids: string[] = [];
    const doc = produce(source, (draft) => {
      ids = pasteFragment(draft, fragment, { offset: { x: 40, y: 40 } });
    });
    expect(ids).toEqual(['p1-2', 'g1-2']);
    expect(doc.nodes.slice(-2).map((node) => [node.id, node.ui])).toEqual([
      ['p1-2', { x: 40, y: 40 }],
      ['g1-2', { x: 340, y: 40 }],
    ]);
    expect(doc.edges.at(-1)).toEqual({ from: { node: 'p1-2', port: 'prompt' }, to: { node: 'g1-2', port: 'prompt' } });
    expect(doc.edges).toHaveLength(3);
  });

  it('keeps ids that are free, e.g. when pasting into another pipeline', () => {
    const fragment = copyFragment(withAsset(), ['img']);
    const empty: PipelineDocument = { ...testDocument(), nodes: [], edges: [] };
    const doc = produce(empty, (draft) => void pasteFragment(draft, fragment));
    expect(doc.nodes.map((node) => node.id)).toEqual(['img']);
    expect(doc.assets[REF]).toEqual({ name: 'hero.png', mime: 'image/png' });
  });

  it('places the fragment with its top-left node at the given point', () => {
    const fragment = copyFragment(testDocument(), ['g1', 'out']);
    const doc = produce(testDocument(), (draft) => void pasteFragment(draft, fragment, { at: { x: 1000, y: 500 } }));
    expect(doc.nodes.slice(-2).map((node) => node.ui)).toEqual([
      { x: 1000, y: 500 },
      { x: 1300, y: 500 },
    ]);
  });

  it('drops wires to nodes outside the fragment', () => {
    const fragment = { ...copyFragment(testDocument(), ['g1']), edges: testDocument().edges };
    const doc = produce(testDocument(), (draft) => void pasteFragment(draft, fragment));
    expect(doc.edges).toHaveLength(2);
  });
});

describe('wires coming into a copied node', () => {
  it('travel with the fragment and are kept on a paste that asks, where their sources exist', () => {
    const source = testDocument();
    // g1 is fed by p1; copy g1 alone.
    const fragment = copyFragment(source, ['g1']);
    expect(fragment.edges).toEqual([]);
    expect(keepableIncoming(source, fragment)).toEqual([{ from: { node: 'p1', port: 'prompt' }, to: { node: 'g1', port: 'prompt' } }]);
    const plain = produce(source, (draft) => void pasteFragment(draft, fragment, { offset: { x: 40, y: 40 } }));
    expect(plain.edges.filter((edge) => edge.to.node === 'g1-2')).toEqual([]);
    const kept = produce(source, (draft) => void pasteFragment(draft, fragment, { offset: { x: 40, y: 40 }, keepIncoming: true }));
    expect(kept.edges.filter((edge) => edge.to.node === 'g1-2')).toEqual([{ from: { node: 'p1', port: 'prompt' }, to: { node: 'g1-2', port: 'prompt' } }]);
    // The originals keep their own wires.
    expect(kept.edges.filter((edge) => edge.to.node === 'g1')).toEqual(source.edges.filter((edge) => edge.to.node === 'g1'));
  });

  it('are not kept where the source node is missing (another pipeline), and never double an input', () => {
    const source = testDocument();
    const fragment = copyFragment(source, ['g1']);
    const elsewhere = { ...source, nodes: source.nodes.filter((node) => node.id !== 'p1'), edges: [] };
    expect(keepableIncoming(elsewhere, fragment)).toEqual([]);
    // Copying both ends: the wire inside the fragment is the one the pasted input takes.
    const both = copyFragment(source, ['p1', 'g1']);
    const pasted = produce(source, (draft) => void pasteFragment(draft, both, { offset: { x: 40, y: 40 }, keepIncoming: true }));
    expect(pasted.edges.filter((edge) => edge.to.node === 'g1-2')).toEqual([{ from: { node: 'p1-2', port: 'prompt' }, to: { node: 'g1-2', port: 'prompt' } }]);
  });

  it('carry the definitions of copied uses, so a paste into another pipeline has them', () => {
    const source = produce(testDocument(), (draft) => void makeReusable(draft, ['p1', 'g1'], { name: 'Shot' }));
    const fragment = copyFragment(source, ['shot']);
    expect(Object.keys(fragment.definitions ?? {})).toEqual(['shot']);
    expect(copyFragment(source, ['out']).definitions).toBeUndefined();
    const pasted = produce(emptyDocument(), (draft) => void pasteFragment(draft, fragment));
    expect(pasted.definitions?.shot).toEqual(source.definitions?.shot);
    expect(pasted.nodes.map((node) => node.type)).toEqual(['graph:shot']);
  });
});
