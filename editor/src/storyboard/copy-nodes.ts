/**
 * Copies a set of nodes inside the document, as the storyboard's add,
 * duplicate and branch need: the wires between the copies are copied, and
 * the wires that fed them from nodes left alone are kept (a shared
 * reference picture keeps feeding the copy). Returns old id → new id.
 */
import { current, isDraft, type Draft } from 'immer';
import { copyFragment, pasteFragment } from '../document/pipeline-fragment.ts';
import type { PipelineDocument } from '../document/pipeline-types.ts';

export function copyNodes(doc: Draft<PipelineDocument>, ids: Iterable<string>, offset: { x: number; y: number }): Map<string, string> {
  // A plain snapshot: the paste clones the fragment's nodes, and a draft cannot be cloned.
  const fragment = copyFragment(isDraft(doc) ? current(doc) : (doc as PipelineDocument), ids);
  const pasted = pasteFragment(doc, fragment, { offset, keepIncoming: true });
  // pasteFragment returns the new ids in the fragment's node order.
  return new Map(fragment.nodes.map((node, index) => [node.id, pasted[index]!]));
}

/** The vertical extent of some nodes' positions (tops only: sizes are the canvas's). */
export function verticalSpan(doc: PipelineDocument, ids: Iterable<string>): { top: number; bottom: number } | undefined {
  const chosen = new Set(ids);
  const ys = doc.nodes.filter((node) => chosen.has(node.id)).map((node) => node.ui?.y ?? 0);
  return ys.length === 0 ? undefined : { top: Math.min(...ys), bottom: Math.max(...ys) };
}
