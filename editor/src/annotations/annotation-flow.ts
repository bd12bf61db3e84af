/**
 * Notes and groups as React Flow nodes, drawn under the pipeline's nodes:
 * React Flow adds 1000 to a selected node's z-index, so groups sit at -3000
 * (-2000 selected) and notes at -1500 (-500 selected), both below any node
 * and groups below notes. Like `syncFlowNodes`, syncing keeps what only the
 * canvas knows (selection, a drag or resize in progress) and reuses objects
 * that did not change.
 */
import type { Node } from '@xyflow/react';
import { annotationFlowId, type CanvasAnnotations, type CanvasGroup, type CanvasNote } from './canvas-annotations.ts';

export const GROUP_Z = -3000;
export const NOTE_Z = -1500;

export type NoteFlowNode = Node<{ note: CanvasNote }, 'note'>;
export type GroupFlowNode = Node<{ group: CanvasGroup }, 'canvas-group'>;
export type AnnotationFlowNode = NoteFlowNode | GroupFlowNode;

export function syncAnnotationNodes(previous: readonly Node[], annotations: CanvasAnnotations): AnnotationFlowNode[] {
  const byId = new Map(previous.map((node) => [node.id, node]));
  const groups = annotations.groups.map((group) => sync(byId.get(annotationFlowId({ kind: 'group', id: group.id })), group, 'canvas-group', { group }, groupLabel(group)));
  const notes = annotations.notes.map((note) => sync(byId.get(annotationFlowId({ kind: 'note', id: note.id })), note, 'note', { note }, noteLabel(note)));
  return [...(groups as GroupFlowNode[]), ...(notes as NoteFlowNode[])];
}

function sync(
  old: Node | undefined,
  item: CanvasNote | CanvasGroup,
  type: 'note' | 'canvas-group',
  data: { note: CanvasNote } | { group: CanvasGroup },
  ariaLabel: string,
): AnnotationFlowNode {
  const id = annotationFlowId({ kind: type === 'note' ? 'note' : 'group', id: item.id });
  const oldData = old?.data as { note?: CanvasNote; group?: CanvasGroup } | undefined;
  const previousItem = oldData?.note ?? oldData?.group;
  // While dragged or resized the canvas owns place and size; the document learns them on drop.
  const busy = old?.dragging === true || old?.resizing === true;
  if (old && previousItem === item && !busy) return old as AnnotationFlowNode;
  const position = busy ? old!.position : { x: item.x, y: item.y };
  return {
    ...(old as AnnotationFlowNode | undefined),
    id,
    type,
    position,
    width: busy ? old!.width : item.width,
    height: busy ? old!.height : item.height,
    zIndex: type === 'note' ? NOTE_Z : GROUP_Z,
    selected: old?.selected ?? false,
    data,
    ariaLabel,
    // A group is dragged by its title bar, so its empty inside still pans and box-selects the canvas.
    ...(type === 'canvas-group' ? { dragHandle: '.rg-group-title' } : {}),
  } as AnnotationFlowNode;
}

/** Accessible names never end in "(…)", which is how the canvas's pipeline nodes are named. */
function noteLabel(note: CanvasNote): string {
  const text = note.text.trim().replace(/\s+/g, ' ');
  return text ? `note “${text.length > 40 ? `${text.slice(0, 40)}…` : text}”` : 'note, empty';
}

function groupLabel(group: CanvasGroup): string {
  return `group “${group.title}”`;
}

export function isAnnotationNode(node: Node): node is AnnotationFlowNode {
  return node.type === 'note' || node.type === 'canvas-group';
}
