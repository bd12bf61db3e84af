/**
 * Moving a group moves what it frames. When a drag starts, each dragged
 * group takes the items inside its frame (nodes and notes not dragged
 * themselves); every position the canvas reports for the group then moves
 * them by the same offset, and on drop their final places are committed with
 * the group's, as one undo step.
 */
import { parseAnnotationFlowId, type Box } from './canvas-annotations.ts';
import { itemsInFrame } from './group-frame.ts';

type XY = { x: number; y: number };

/** What the canvas knows of an item: its place and drawn size. */
export interface PlacedItem {
  id: string;
  position: XY;
  width: number;
  height: number;
}

export interface GroupDrag {
  /** Per dragged group: where it started, and its members with where they started. */
  groups: ReadonlyMap<string, { start: XY; members: ReadonlyMap<string, XY> }>;
}

/** A position change as React Flow reports it. */
export interface PositionChange {
  type: 'position';
  id: string;
  position?: XY;
  dragging?: boolean;
}

export function startGroupDrag(dragged: readonly PlacedItem[], all: readonly PlacedItem[]): GroupDrag | undefined {
  const draggedIds = new Set(dragged.map((item) => item.id));
  const others = all.filter((item) => !draggedIds.has(item.id) && parseAnnotationFlowId(item.id)?.kind !== 'group');
  const boxes = others.map((item) => ({ id: item.id, ...item.position, width: item.width, height: item.height }));
  const groups = new Map<string, { start: XY; members: ReadonlyMap<string, XY> }>();
  const claimed = new Set<string>();
  for (const item of dragged) {
    if (parseAnnotationFlowId(item.id)?.kind !== 'group') continue;
    const frame: Box = { ...item.position, width: item.width, height: item.height };
    // An item inside two dragged groups follows the first, so it moves once.
    const members = itemsInFrame(frame, boxes).filter((id) => !claimed.has(id));
    for (const id of members) claimed.add(id);
    const starts = new Map(members.map((id) => [id, others.find((other) => other.id === id)!.position]));
    groups.set(item.id, { start: item.position, members: starts });
  }
  return groups.size > 0 ? { groups } : undefined;
}

/** The position changes that carry a group's members along with the changes the canvas made to the group. */
export function followGroup(drag: GroupDrag, changes: readonly PositionChange[]): PositionChange[] {
  const changed = new Set(changes.map((change) => change.id));
  const follow: PositionChange[] = [];
  for (const change of changes) {
    const group = drag.groups.get(change.id);
    if (!group) continue;
    for (const [id, start] of group.members) {
      if (changed.has(id)) continue;
      const position = change.position ? { x: start.x + change.position.x - group.start.x, y: start.y + change.position.y - group.start.y } : undefined;
      // Marked as dragging, so the canvas keeps these places over a document update until the drop.
      follow.push({ type: 'position', id, ...(position ? { position } : {}), ...(change.dragging !== undefined ? { dragging: change.dragging } : {}) });
    }
  }
  return follow;
}

/** Where the members end up once each group has been dropped at its final place. */
export function membersDropped(drag: GroupDrag, dropped: ReadonlyMap<string, XY>): Map<string, XY> {
  const places = new Map<string, XY>();
  for (const [groupId, group] of drag.groups) {
    const end = dropped.get(groupId);
    if (!end) continue;
    for (const [id, start] of group.members) places.set(id, { x: start.x + end.x - group.start.x, y: start.y + end.y - group.start.y });
  }
  return places;
}
