/** The selected nodes as a pair to compare, read from the document and the run store (for the command and the node menu). */
import type { EditorController } from '../app/editor-controller.ts';
import { displayTitle } from '../graph/connection-check.ts';
import { comparePair, type ComparePair } from './comparable-outputs.ts';

export function selectedPair(controller: EditorController, ids: readonly string[]): ComparePair {
  const doc = controller.document.getSnapshot();
  const catalog = controller.getCatalog();
  const titleOf = (id: string) => {
    const node = doc.nodes.find((candidate) => candidate.id === id);
    return node ? displayTitle(node, catalog.get(node.type)) : id;
  };
  return comparePair(ids, (id) => controller.runs.getNode(id).outputs, titleOf);
}
