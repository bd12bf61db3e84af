import { produce } from 'immer';
import { describe, expect, it } from 'vitest';
import { testCatalog, testDocument } from '../testing/test-catalog.ts';
import { connectNodes } from './connect-nodes.ts';
import { uniqueNodeId } from './node-ids.ts';
import { addNode, edgeId, removeEdges, removeNodes, setNodeTitle } from './node-operations.ts';

describe('node operations', () => {
  it('adds a node with every param at its default and a readable unique id', () => {
    let id = '';
    const doc = produce(testDocument(), (draft) => {
      id = addNode(draft, testCatalog.get('generate')!, { x: 10.4, y: 20.6 });
    });
    expect(id).toBe('generate');
    expect(doc.nodes.at(-1)).toEqual({ id: 'generate', type: 'generate', params: { width: 512, seed: 0 }, ui: { x: 10, y: 21 } });
    const again = produce(doc, (draft) => void addNode(draft, testCatalog.get('generate')!, { x: 0, y: 0 }));
    expect(again.nodes.at(-1)!.id).toBe('generate-2');
  });

  it('gives default params that are copies, not shared objects', () => {
    const doc = produce(testDocument(), (draft) => {
      addNode(draft, testCatalog.get('camera-move')!, { x: 0, y: 0 });
      addNode(draft, testCatalog.get('camera-move')!, { x: 0, y: 0 });
    });
    const [a, b] = doc.nodes.slice(-2);
    expect(a!.params.keyframes).toEqual([]);
    expect(a!.params.keyframes).not.toBe(b!.params.keyframes);
  });

  it('removes nodes with every wire that touches them', () => {
    const doc = produce(testDocument(), (draft) => removeNodes(draft, ['g1']));
    expect(doc.nodes.map((node) => node.id)).toEqual(['p1', 'g2', 'out']);
    expect(doc.edges).toEqual([]);
  });

  it('removes wires by id', () => {
    const before = testDocument();
    const doc = produce(before, (draft) => removeEdges(draft, [edgeId(before.edges[0]!)]));
    expect(doc.edges).toEqual([before.edges[1]]);
  });

  it('clears a node title set to blank, so the catalog title shows again', () => {
    const doc = produce(testDocument(), (draft) => {
      setNodeTitle(draft, 'g1', 'Hero shot');
      setNodeTitle(draft, 'g2', '  ');
    });
    expect(doc.nodes[1]!.title).toBe('Hero shot');
    expect('title' in doc.nodes[2]!).toBe(false);
  });

  it('replaces the wire of a taken input instead of adding a second one', () => {
    const doc = produce(testDocument(), (draft) => {
      const verdict = connectNodes(draft, testCatalog, { source: 'g2', sourceHandle: 'video', target: 'out', targetHandle: 'video' });
      expect(verdict.ok).toBe(true);
    });
    expect(doc.edges.filter((edge) => edge.to.node === 'out')).toEqual([{ from: { node: 'g2', port: 'video' }, to: { node: 'out', port: 'video' } }]);
  });

  it('leaves the document alone when a wire is refused', () => {
    const before = testDocument();
    const doc = produce(before, (draft) => {
      const verdict = connectNodes(draft, testCatalog, { source: 'p1', sourceHandle: 'prompt', target: 'out', targetHandle: 'video' });
      expect(verdict.ok).toBe(false);
    });
    expect(doc).toBe(before);
  });
});

describe('uniqueNodeId', () => {
  it('keeps a free id, numbers a taken one, and cleans characters a pipeline file refuses', () => {
    expect(uniqueNodeId(new Set(), 'export')).toBe('export');
    expect(uniqueNodeId(new Set(['export', 'export-2']), 'export')).toBe('export-3');
    expect(uniqueNodeId(new Set(['g-2']), 'g-2')).toBe('g-3');
    expect(uniqueNodeId(new Set(), 'my node!')).toBe('my-node-');
    expect(uniqueNodeId(new Set(), '---')).toBe('node');
  });
});
