import { describe, expect, it } from 'vitest';
import { followGroup, membersDropped, startGroupDrag, type PlacedItem } from './group-drag.ts';

const group: PlacedItem = { id: 'group:g', position: { x: 0, y: 0 }, width: 600, height: 400 };
const inside: PlacedItem = { id: 'shot', position: { x: 50, y: 60 }, width: 250, height: 200 };
const note: PlacedItem = { id: 'note:n', position: { x: 350, y: 60 }, width: 200, height: 100 };
const outside: PlacedItem = { id: 'export', position: { x: 900, y: 60 }, width: 250, height: 200 };
const all = [group, inside, note, outside];

describe('group drag', () => {
  it('takes the nodes and notes inside a dragged group, and none for a plain node drag', () => {
    const drag = startGroupDrag([group], all)!;
    expect([...drag.groups.get('group:g')!.members.keys()]).toEqual(['shot', 'note:n']);
    expect(startGroupDrag([inside], all)).toBeUndefined();
  });

  it('moves the members by the offset the group moved, marked as dragging, until the drop', () => {
    const drag = startGroupDrag([group], all)!;
    expect(followGroup(drag, [{ type: 'position', id: 'group:g', position: { x: 30, y: -20 }, dragging: true }])).toEqual([
      { type: 'position', id: 'shot', position: { x: 80, y: 40 }, dragging: true },
      { type: 'position', id: 'note:n', position: { x: 380, y: 40 }, dragging: true },
    ]);
    expect(followGroup(drag, [{ type: 'position', id: 'group:g', dragging: false }])).toEqual([
      { type: 'position', id: 'shot', dragging: false },
      { type: 'position', id: 'note:n', dragging: false },
    ]);
    expect(membersDropped(drag, new Map([['group:g', { x: 100, y: 10 }]]))).toEqual(
      new Map([
        ['shot', { x: 150, y: 70 }],
        ['note:n', { x: 450, y: 70 }],
      ]),
    );
  });

  it('leaves a member that is dragged itself (a selection with the group) to the canvas', () => {
    const drag = startGroupDrag([group, inside], all)!;
    expect([...drag.groups.get('group:g')!.members.keys()]).toEqual(['note:n']);
    const changes = [
      { type: 'position' as const, id: 'group:g', position: { x: 10, y: 0 } },
      { type: 'position' as const, id: 'shot', position: { x: 60, y: 60 } },
    ];
    expect(followGroup(drag, changes).map((change) => change.id)).toEqual(['note:n']);
  });
});
