import { describe, expect, it } from 'vitest';
import { contextMenuItems } from './context-menu-items.ts';

describe('contextMenuItems', () => {
  it('offers run to here for one node only, and names a selection by its size', () => {
    expect(contextMenuItems({ kind: 'nodes', ids: ['a'] }).map((item) => [item.label, item.disabledBecause])).toEqual([
      ['Run to here', undefined],
      ['Duplicate node', undefined],
      ['Copy node', undefined],
      ['Group selection', undefined],
      ['Make reusable…', undefined],
      ['Delete node', undefined],
    ]);
    const several = contextMenuItems({ kind: 'nodes', ids: ['a', 'b', 'c'] });
    expect(several[0]).toMatchObject({ action: 'runToHere', disabledBecause: 'Run to here needs exactly one node.' });
    expect(several.map((item) => item.label).slice(1)).toEqual(['Duplicate 3 nodes', 'Copy 3 nodes', 'Group selection', 'Make reusable…', 'Delete 3 nodes']);
  });

  it('offers comparing for exactly two nodes, and says why when it cannot', () => {
    expect(contextMenuItems({ kind: 'nodes', ids: ['a', 'b'] })[1]).toEqual({ action: 'compare', label: 'Compare outputs', keys: 'Shift+C' });
    const cannot = contextMenuItems({ kind: 'nodes', ids: ['a', 'b'] }, { cannotCompare: '"a" has no rendered video yet; run it first.' });
    expect(cannot[1]).toMatchObject({ action: 'compare', disabledBecause: '"a" has no rendered video yet; run it first.' });
    for (const ids of [['a'], ['a', 'b', 'c']]) expect(contextMenuItems({ kind: 'nodes', ids }).map((item) => item.action)).not.toContain('compare');
  });

  it('offers editing and expanding a use of a reusable graph, for that one node only', () => {
    const labels = (ids: string[]) => contextMenuItems({ kind: 'nodes', ids }, { isUse: true }).map((item) => item.label);
    expect(labels(['use'])).toEqual(['Run to here', 'Duplicate node', 'Copy node', 'Group selection', 'Make reusable…', 'Edit definition', 'Expand into nodes', 'Save to library', 'Delete node']);
    expect(labels(['use', 'b', 'c'])).not.toContain('Edit definition');
    expect(contextMenuItems({ kind: 'nodes', ids: ['a'] }).map((item) => item.action)).not.toContain('expandUse');
  });

  it('offers deleting a note, and renaming or ungrouping a group', () => {
    expect(contextMenuItems({ kind: 'note', id: 'note:n1' }).map((item) => item.action)).toEqual(['deleteNote']);
    expect(contextMenuItems({ kind: 'group', id: 'group:g1' }).map((item) => item.label)).toEqual(['Rename group', 'Ungroup (keeps the nodes)']);
  });

  it('offers deleting a wire, and adding, pasting and arranging on the canvas', () => {
    expect(contextMenuItems({ kind: 'wire', id: 'e1' }).map((item) => item.action)).toEqual(['deleteWire']);
    expect(contextMenuItems({ kind: 'canvas' }).map((item) => item.action)).toEqual(['addNode', 'addNote', 'paste', 'selectAll', 'layout', 'fitView']);
  });
});
