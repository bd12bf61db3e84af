/**
 * The notes-and-groups actions that menus and shortcuts run: each is one
 * undo step, and selects what it made.
 */
import type { EditorController } from '../app/editor-controller.ts';
import { nodePosition } from '../document/pipeline-types.ts';
import { addGroup, addNote, removeAnnotations } from './annotation-operations.ts';
import { ANNOTATION_LIMITS, annotationFlowId, parseAnnotationFlowId } from './canvas-annotations.ts';
import { frameAround } from './group-frame.ts';

type XY = { x: number; y: number };
type Size = { width: number; height: number };

export function addNoteAt(controller: EditorController, at: XY): void {
  let id: string | undefined;
  controller.document.apply((doc) => void (id = addNote(doc, at)), { label: 'Add note' });
  if (id === undefined) controller.notices.notify(`A pipeline holds at most ${ANNOTATION_LIMITS.notes} notes.`, 'error');
  else controller.select([annotationFlowId({ kind: 'note', id })]);
}

/** Frames the nodes in a new group, sized from the canvas's drawn sizes. */
export function groupNodes(controller: EditorController, nodeIds: readonly string[], sizes: ReadonlyMap<string, Size>): void {
  const ids = new Set(nodeIds);
  const boxes = controller.document
    .getSnapshot()
    .nodes.filter((node) => ids.has(node.id))
    .map((node) => ({ ...nodePosition(node), ...(sizes.get(node.id) ?? { width: 252, height: 200 }) }));
  const frame = frameAround(boxes);
  if (!frame) {
    controller.notices.notify('Select the nodes to group first.');
    return;
  }
  let id: string | undefined;
  controller.document.apply((doc) => void (id = addGroup(doc, frame)), { label: 'Group selection' });
  if (id === undefined) controller.notices.notify(`A pipeline holds at most ${ANNOTATION_LIMITS.groups} groups.`, 'error');
  else controller.select([annotationFlowId({ kind: 'group', id })]);
}

/** Removes the group frames among `flowIds`; the nodes they framed stay where they are. */
export function ungroup(controller: EditorController, flowIds: readonly string[]): void {
  const groups = flowIds.filter((flowId) => parseAnnotationFlowId(flowId)?.kind === 'group');
  if (groups.length === 0) {
    controller.notices.notify('Select a group (click its title) to ungroup it.');
    return;
  }
  controller.document.apply((doc) => removeAnnotations(doc, groups), { label: 'Ungroup' });
}
