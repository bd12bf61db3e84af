import { describe, expect, it } from 'vitest';
import { readDefinitions } from './read-definitions.ts';

describe('readDefinitions', () => {
  it('keeps well-formed definitions and fills in their optional lists', () => {
    const read = readDefinitions({ shot: { name: 'Shot', nodes: [{ id: 'p', type: 'prompt' }], outputs: { prompt: { node: 'p', port: 'prompt' } } } });
    expect(read).toEqual({ shot: { name: 'Shot', nodes: [{ id: 'p', type: 'prompt', params: {} }], edges: [], inputs: {}, outputs: { prompt: { node: 'p', port: 'prompt' } }, params: {} } });
  });

  it('leaves out definitions of the wrong shape, and reads nothing from a non-object', () => {
    const read = readDefinitions({
      good: { name: 'Good', nodes: [] },
      noName: { nodes: [] },
      nodesNotAList: { name: 'X', nodes: 'many' },
      badEdge: { name: 'X', nodes: [], edges: [{ from: 'a' }] },
      badInput: { name: 'X', nodes: [], inputs: { prompt: { targets: 'p' } } },
      badParam: { name: 'X', nodes: [], params: { seed: { targets: [{ node: 'g' }] } } },
    });
    expect(Object.keys(read ?? {})).toEqual(['good']);
    expect(readDefinitions([1, 2])).toBeUndefined();
    expect(readDefinitions({ bad: null })).toBeUndefined();
  });
});
