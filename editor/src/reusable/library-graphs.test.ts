import { expandReusableGraphs } from '@reelgraph/engine/reusable-graphs';
import { produce } from 'immer';
import { describe, expect, it } from 'vitest';
import { emptyDocument, type PipelineDocument } from '../document/pipeline-types.ts';
import { insertLibraryGraph, libraryPayload } from './library-graphs.ts';

type Definition = NonNullable<PipelineDocument['definitions']>[string];

function clip(name: string, prompt: string): Definition {
  return {
    name,
    nodes: [{ id: 'gen', type: 'generate', params: { seed: 7, prompt } }],
    edges: [],
    inputs: {},
    outputs: { video: { node: 'gen', port: 'video' } },
    params: {},
  };
}

function using(name: string, inner: string): Definition {
  return { name, nodes: [{ id: 'a', type: `graph:${inner}`, params: {} }], edges: [], inputs: {}, outputs: { video: { node: 'a', port: 'video' } }, params: {} };
}

describe('what Save to library sends', () => {
  it('carries the definition and every definition it uses, nested, but not unrelated ones', () => {
    const doc: PipelineDocument = {
      ...emptyDocument('x'),
      definitions: { outer: using('Outer', 'middle'), middle: using('Middle', 'leaf'), leaf: clip('Leaf', 'fox'), other: clip('Other', 'owl') },
    };
    expect(libraryPayload(doc, 'outer')).toEqual({
      definitionId: 'outer',
      definition: doc.definitions!.outer,
      definitions: { middle: doc.definitions!.middle, leaf: doc.definitions!.leaf },
    });
    expect(libraryPayload(doc, 'leaf')).toEqual({ definitionId: 'leaf', definition: doc.definitions!.leaf });
    expect(libraryPayload(doc, 'missing')).toBeUndefined();
  });
});

describe('inserting a library graph', () => {
  it('copies its definitions into a document that has none', () => {
    const doc = emptyDocument('New');
    const next = produce(doc, (draft) => {
      expect(insertLibraryGraph(draft, { definitionId: 'outer', definition: using('Outer', 'leaf'), definitions: { leaf: clip('Leaf', 'fox') } })).toEqual({
        definitionId: 'outer',
        added: ['leaf', 'outer'],
      });
    });
    expect(next.definitions).toEqual({ outer: using('Outer', 'leaf'), leaf: clip('Leaf', 'fox') });
  });

  it('shares a definition the document already holds unchanged, and adds nothing', () => {
    const doc: PipelineDocument = { ...emptyDocument('x'), definitions: { leaf: clip('Leaf', 'fox') } };
    const next = produce(doc, (draft) => {
      expect(insertLibraryGraph(draft, { definitionId: 'leaf', definition: clip('Leaf', 'fox') })).toEqual({ definitionId: 'leaf', added: [] });
    });
    expect(next).toBe(doc);
  });

  it('renames a definition whose id clashes with a different one, and the uses inside follow', () => {
    const doc: PipelineDocument = { ...emptyDocument('x'), definitions: { leaf: clip('Mine', 'owl'), 'leaf-2': clip('Also mine', 'cat') } };
    let result: ReturnType<typeof insertLibraryGraph> | undefined;
    const next = produce(doc, (draft) => {
      result = insertLibraryGraph(draft, { definitionId: 'outer', definition: using('Outer', 'leaf'), definitions: { leaf: clip('Leaf', 'fox') } });
    });
    expect(result).toEqual({ definitionId: 'outer', added: ['leaf-3', 'outer'] });
    // The document's own definitions are untouched.
    expect(next.definitions!.leaf).toEqual(clip('Mine', 'owl'));
    expect(next.definitions!['leaf-2']).toEqual(clip('Also mine', 'cat'));
    expect(next.definitions!['leaf-3']).toEqual(clip('Leaf', 'fox'));
    expect(next.definitions!.outer!.nodes[0]!.type).toBe('graph:leaf-3');
    // And a use of the inserted graph expands to the library's nodes.
    const used = { ...next, nodes: [{ id: 'use', type: 'graph:outer', params: {}, ui: { x: 0, y: 0 } }] };
    const expanded = expandReusableGraphs(used);
    expect(expanded.ok && expanded.document.nodes.map((node) => [node.id, node.params])).toEqual([['use/a/gen', { seed: 7, prompt: 'fox' }]]);
  });

  it('renames the main definition when its id is taken by another graph, and shares an equal inner one', () => {
    const doc: PipelineDocument = { ...emptyDocument('x'), definitions: { outer: clip('Not the same', 'owl'), leaf: clip('Leaf', 'fox') } };
    let result: ReturnType<typeof insertLibraryGraph> | undefined;
    const next = produce(doc, (draft) => {
      result = insertLibraryGraph(draft, { definitionId: 'outer', definition: using('Outer', 'leaf'), definitions: { leaf: clip('Leaf', 'fox') } });
    });
    expect(result).toEqual({ definitionId: 'outer-2', added: ['outer-2'] });
    expect(next.definitions!['outer-2']).toEqual(using('Outer', 'leaf'));
    expect(Object.keys(next.definitions!)).toEqual(['outer', 'leaf', 'outer-2']);
  });
});
