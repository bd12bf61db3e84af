import { describe, expect, it } from 'vitest';
import { testCatalog, testDocument } from '../testing/test-catalog.ts';
import { canonicalJson, contentHashes } from './content-hash.ts';

describe('contentHashes', () => {
  it('changes a node and everything downstream when a param changes, and nothing else', () => {
    const doc = testDocument();
    const before = contentHashes(doc, testCatalog);
    const edited = { ...doc, nodes: doc.nodes.map((node) => (node.id === 'p1' ? { ...node, params: { text: 'mammoths' } } : node)) };
    const after = contentHashes(edited, testCatalog);
    expect(after.get('p1')).not.toBe(before.get('p1'));
    expect(after.get('g1')).not.toBe(before.get('g1'));
    expect(after.get('out')).not.toBe(before.get('out'));
    expect(after.get('g2')).toBe(before.get('g2'));
  });

  it('ignores positions, titles and ids, as the engine cache key does', () => {
    const doc = testDocument();
    const before = contentHashes(doc, testCatalog);
    const moved = { ...doc, nodes: doc.nodes.map((node) => ({ ...node, ui: { x: 999, y: 999 }, title: 'Renamed' })) };
    expect(contentHashes(moved, testCatalog)).toEqual(before);
    // g2 has no params and no inputs wired; an identical unwired generate elsewhere hashes the same.
    const twin = { ...doc, nodes: [...doc.nodes, { id: 'zz', type: 'generate', params: {} }] };
    expect(contentHashes(twin, testCatalog).get('zz')).toBe(before.get('g2'));
  });

  it('treats a param left at its default like the default written out', () => {
    const doc = testDocument();
    const explicit = { ...doc, nodes: doc.nodes.map((node) => (node.id === 'g2' ? { ...node, params: { width: 512, seed: 0 } } : node)) };
    expect(contentHashes(explicit, testCatalog).get('g2')).toBe(contentHashes(doc, testCatalog).get('g2'));
  });

  it('changes downstream when a wire is re-routed', () => {
    const doc = testDocument();
    const rewired = { ...doc, edges: [doc.edges[0]!, { from: { node: 'g2', port: 'video' }, to: { node: 'out', port: 'video' } }] };
    expect(contentHashes(rewired, testCatalog).get('out')).not.toBe(contentHashes(doc, testCatalog).get('out'));
  });

  it('survives a loop in an invalid document', () => {
    const doc = testDocument();
    const looped = { ...doc, edges: [...doc.edges, { from: { node: 'g1', port: 'video' }, to: { node: 'g1', port: 'camera' } }] };
    expect(contentHashes(looped, testCatalog).size).toBe(4);
  });
});

describe('canonicalJson', () => {
  it('sorts keys at every depth and leaves out undefined', () => {
    expect(canonicalJson({ b: 1, a: { d: [1, { z: 1, y: 2 }], c: undefined } })).toBe('{"a":{"d":[1,{"y":2,"z":1}]},"b":1}');
  });
});
