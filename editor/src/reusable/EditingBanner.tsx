import { useDocument, useEditing, useEditor } from '../app/editor-context.ts';

/** While a definition is open on the canvas: says so, and Done goes back to the pipeline. */
export function EditingBanner() {
  const controller = useEditor();
  const editing = useEditing();
  const doc = useDocument();
  if (editing === undefined) return null;
  const name = doc.definitions?.[editing]?.name ?? editing;
  const uses = controller.document.getFullSnapshot().nodes.filter((node) => node.type === `graph:${editing}`).length;
  return (
    <div className="rg-editing-banner" role="region" aria-label="editing reusable graph">
      <span className="rg-editing-crumb">{controller.document.getFullSnapshot().name}</span>
      <span aria-hidden="true">›</span>
      <span>
        Editing reusable graph <strong>{name}</strong>
      </span>
      <span className="rg-editing-note">
        changes apply to {uses === 1 ? 'its 1 use' : `all ${uses} uses`}
      </span>
      <button type="button" className="rg-button rg-button-primary" onClick={() => controller.doneEditing()}>
        Done
      </button>
    </div>
  );
}
