/**
 * Editing a definition on the canvas: while one is open, the document the
 * views see has the definition's nodes, wires and ui in place of the
 * pipeline's, and every edit recipe runs against that view and is written
 * back into `definitions[id]`. So every existing edit (add, connect, move,
 * params, paste, delete, layout) edits the definition unchanged, on the same
 * undo history, and every use of it follows.
 */
import type { Draft } from 'immer';
import type { PipelineDocument } from '../document/pipeline-types.ts';

type Recipe = (draft: Draft<PipelineDocument>) => void;

/** The pipeline as seen while editing definition `id` (the pipeline itself when there is no such definition). */
export function definitionView(doc: PipelineDocument, id: string): PipelineDocument {
  const definition = doc.definitions?.[id];
  if (!definition) return doc;
  const { ui: _ui, ...rest } = doc;
  return { ...rest, nodes: definition.nodes, edges: definition.edges, ...(definition.ui ? { ui: definition.ui } : {}) };
}

/** `recipe`, applied to definition `id` through its view; a recipe over a missing definition does nothing. */
export function inDefinition(id: string, recipe: Recipe): Recipe {
  return (draft) => {
    if (!draft.definitions?.[id]) return;
    const { ui: _ui, ...rest } = draft;
    const start = draft.definitions[id];
    const view = { ...rest, nodes: start.nodes, edges: start.edges, ...(start.ui ? { ui: start.ui } : {}) } as Draft<PipelineDocument>;
    recipe(view);
    // Top-level fields the recipe replaced (a name, assets, new definitions) go to the pipeline.
    if (view.name !== draft.name) draft.name = view.name;
    if (view.assets !== draft.assets) draft.assets = view.assets;
    if (view.definitions !== draft.definitions) draft.definitions = view.definitions;
    const definition = draft.definitions?.[id];
    if (!definition) return;
    if (view.nodes !== definition.nodes) definition.nodes = view.nodes;
    if (view.edges !== definition.edges) definition.edges = view.edges;
    if (view.ui !== definition.ui) {
      if (view.ui === undefined) delete definition.ui;
      else definition.ui = view.ui;
    }
  };
}
