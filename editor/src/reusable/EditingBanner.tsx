import { Fragment } from 'react';
import { useDocument, useEditing, useEditor } from '../app/editor-context.ts';
import { countUses } from './editing-trail.ts';

/** While a definition is open: says which (with the definitions around it), how many uses follow, and Done goes back one level. */
export function EditingBanner() {
  const controller = useEditor();
  const editing = useEditing();
  const doc = useDocument();
  if (editing === undefined) return null;
  const full = controller.document.getFullSnapshot();
  const nameOf = (id: string) => full.definitions?.[id]?.name ?? id;
  const outer = controller.openDefinitions().slice(0, -1);
  const uses = countUses(full, editing);
  return (
    <div className="rg-editing-banner" role="region" aria-label="editing reusable graph">
      <span className="rg-editing-crumb">{full.name}</span>
      {outer.map((open) => (
        <Fragment key={open.useId}>
          <span aria-hidden="true">›</span>
          <span className="rg-editing-crumb">{nameOf(open.definition)}</span>
        </Fragment>
      ))}
      <span aria-hidden="true">›</span>
      <span>
        Editing reusable graph <strong>{doc.definitions?.[editing]?.name ?? nameOf(editing)}</strong>
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
