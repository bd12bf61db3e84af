import { describe, expect, it } from 'vitest';
import { syncAnnotationNodes } from './annotation-flow.ts';

const note = { id: 'n1', x: 10, y: 20, width: 200, height: 100, text: 'Rain here' };
const group = { id: 'g1', x: 0, y: 0, width: 600, height: 400, title: 'Ending B' };

describe('syncAnnotationNodes', () => {
  it('draws groups under notes, both under pipeline nodes even when selected, with names unlike a node’s', () => {
    const [g, n] = syncAnnotationNodes([], { notes: [note], groups: [group] });
    expect(g).toMatchObject({ id: 'group:g1', type: 'canvas-group', position: { x: 0, y: 0 }, width: 600, height: 400, ariaLabel: 'group “Ending B”', dragHandle: '.rg-group-title' });
    expect(n).toMatchObject({ id: 'note:n1', type: 'note', position: { x: 10, y: 20 }, width: 200, height: 100, ariaLabel: 'note “Rain here”' });
    // React Flow lifts a selected node by 1000.
    expect(g!.zIndex! + 1000).toBeLessThan(n!.zIndex!);
    expect(n!.zIndex! + 1000).toBeLessThan(0);
  });

  it('reuses unchanged nodes, keeps selection, and keeps the place of one being dragged', () => {
    const first = syncAnnotationNodes([], { notes: [note], groups: [] });
    expect(syncAnnotationNodes(first, { notes: [note], groups: [] })[0]).toBe(first[0]);
    const dragged = [{ ...first[0]!, selected: true, dragging: true, position: { x: 99, y: 99 } }];
    const moved = syncAnnotationNodes(dragged, { notes: [{ ...note, text: 'Rain, then sun' }], groups: [] })[0]!;
    expect(moved).toMatchObject({ selected: true, position: { x: 99, y: 99 }, ariaLabel: 'note “Rain, then sun”' });
  });
});
