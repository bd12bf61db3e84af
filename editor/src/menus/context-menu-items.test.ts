import { describe, expect, it } from 'vitest';
import { contextMenuItems } from './context-menu-items.ts';

describe('contextMenuItems', () => {
  it('offers run to here for one node only, and names a selection by its size', () => {
    expect(contextMenuItems({ kind: 'nodes', ids: ['a'] }).map((item) => [item.label, item.disabledBecause])).toEqual([
      ['Run to here', undefined],
      ['Duplicate node', undefined],
      ['Copy node', undefined],
      ['Delete node', undefined],
    ]);
    const several = contextMenuItems({ kind: 'nodes', ids: ['a', 'b', 'c'] });
    expect(several[0]).toMatchObject({ action: 'runToHere', disabledBecause: 'Run to here needs exactly one node.' });
    expect(several.map((item) => item.label).slice(1)).toEqual(['Duplicate 3 nodes', 'Copy 3 nodes', 'Delete 3 nodes']);
  });

  it('offers deleting a wire, and adding, pasting and arranging on the canvas', () => {
    expect(contextMenuItems({ kind: 'wire', id: 'e1' }).map((item) => item.action)).toEqual(['deleteWire']);
    expect(contextMenuItems({ kind: 'canvas' }).map((item) => item.action)).toEqual(['addNode', 'paste', 'selectAll', 'layout', 'fitView']);
  });
});
