import { describe, expect, it } from 'vitest';
import { testCatalog, testDocument } from '../testing/test-catalog.ts';
import { checkConnection } from './connection-check.ts';

const doc = testDocument();
const wire = (source: string, sourceHandle: string, target: string, targetHandle: string) => ({ source, sourceHandle, target, targetHandle });

describe('checkConnection', () => {
  it('accepts a wire between equal port types', () => {
    expect(checkConnection(doc, testCatalog, wire('p1', 'prompt', 'g2', 'prompt'))).toEqual({ ok: true });
  });

  it('refuses a type mismatch and names both types', () => {
    const verdict = checkConnection(doc, testCatalog, wire('p1', 'prompt', 'out', 'video'));
    expect(verdict).toEqual({
      ok: false,
      reason: '"video" on "Export" takes VIDEO, but "prompt" gives PROMPT; wires join equal types only.',
    });
  });

  it('refuses a wire from a node to itself', () => {
    expect(checkConnection(doc, testCatalog, wire('g1', 'video', 'g1', 'prompt'))).toEqual({ ok: false, reason: 'A node cannot feed itself.' });
  });

  it('refuses a wire that would close a loop', () => {
    const chain = {
      ...doc,
      nodes: [...doc.nodes, { id: 'c1', type: 'concat', params: {} }, { id: 'c2', type: 'concat', params: {}, title: 'Join' }],
      edges: [
        { from: { node: 'g1', port: 'video' }, to: { node: 'c1', port: 'clip1' } },
        { from: { node: 'c1', port: 'video' }, to: { node: 'c2', port: 'clip1' } },
      ],
    };
    expect(checkConnection(chain, testCatalog, wire('c2', 'video', 'c1', 'clip2'))).toEqual({
      ok: false,
      reason: 'That wire would make a loop: "Concat" already feeds "Join".',
    });
  });

  it('accepts a wire into a taken input and says which wire it replaces', () => {
    const verdict = checkConnection(doc, testCatalog, wire('g2', 'video', 'out', 'video'));
    expect(verdict).toEqual({ ok: true, replaces: doc.edges[1] });
  });

  it('refuses drawing the same wire twice', () => {
    expect(checkConnection(doc, testCatalog, wire('g1', 'video', 'out', 'video'))).toEqual({ ok: false, reason: 'Those ports are already wired.' });
  });

  it('refuses unknown ports and missing nodes with a sentence', () => {
    expect(checkConnection(doc, testCatalog, wire('p1', 'nope', 'g2', 'prompt'))).toEqual({ ok: false, reason: '"Prompt" has no output "nope".' });
    expect(checkConnection(doc, testCatalog, wire('p1', 'prompt', 'g2', 'nope'))).toEqual({ ok: false, reason: '"Generate" has no input "nope".' });
    expect(checkConnection(doc, testCatalog, wire('ghost', 'prompt', 'g2', 'prompt'))).toEqual({ ok: false, reason: 'That node is no longer in the pipeline.' });
  });
});
