/** Binds group-drag.ts to the canvas: dragging a group carries what is inside its frame. */
import type { Node, NodeChange, NodePositionChange } from '@xyflow/react';
import { useCallback, useRef } from 'react';
import { followGroup, membersDropped, startGroupDrag, type GroupDrag, type PlacedItem } from './group-drag.ts';

type XY = { x: number; y: number };

function placed(node: Node): PlacedItem {
  return { id: node.id, position: node.position, width: node.measured?.width ?? node.width ?? 0, height: node.measured?.height ?? node.height ?? 0 };
}

export function useGroupDrag<N extends Node>(allNodes: () => N[]) {
  const drag = useRef<GroupDrag | undefined>(undefined);
  return {
    /** For onNodeDragStart and onSelectionDragStart. */
    start: useCallback((dragged: N[]) => void (drag.current = startGroupDrag(dragged.map(placed), allNodes().map(placed))), [allNodes]),
    /** The position changes that carry the dragged groups' members along with the canvas's changes. */
    follow: useCallback((changes: readonly NodeChange<N>[]): NodePositionChange[] => {
      if (!drag.current) return [];
      return followGroup(drag.current, changes.filter((change) => change.type === 'position'));
    }, []),
    /** On drop: the dropped nodes' places with the members' places, for one commit; ends the drag. */
    drop: useCallback((moved: N[]): Map<string, XY> => {
      const places = new Map(moved.map((node) => [node.id, node.position]));
      const members = drag.current ? membersDropped(drag.current, places) : new Map<string, XY>();
      drag.current = undefined;
      return new Map([...places, ...members]);
    }, []),
  };
}
