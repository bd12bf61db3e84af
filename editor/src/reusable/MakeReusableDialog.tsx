import { useMemo, useState } from 'react';
import { useCatalog, useDocument, useEditor } from '../app/editor-context.ts';
import { displayTitle } from '../graph/connection-check.ts';
import { Dialog } from '../panels/Dialog.tsx';

/** Names the new reusable graph and picks the inner params its uses expose; making it is one undo step. */
export function MakeReusableDialog({ ids, onClose }: { ids: readonly string[]; onClose: () => void }) {
  const controller = useEditor();
  const doc = useDocument();
  const catalog = useCatalog();
  const nodes = useMemo(() => doc.nodes.filter((node) => ids.includes(node.id)), [doc, ids]);
  const [name, setName] = useState('Reusable graph');
  const [exposed, setExposed] = useState<ReadonlySet<string>>(new Set());
  const keyOf = (node: string, param: string) => `${node}.${param}`;
  const submit = () => {
    if (name.trim() === '') return;
    const exposeParams = nodes.flatMap((node) => Object.keys(catalog.get(node.type)?.params ?? {}).filter((param) => exposed.has(keyOf(node.id, param))).map((param) => ({ node: node.id, param })));
    controller.makeReusable(ids, { name: name.trim(), exposeParams });
    onClose();
  };
  return (
    <Dialog title="Make reusable" closeLabel="close make reusable" className="rg-make-reusable" onClose={onClose}>
      <form
        className="rg-make-reusable-form"
        onSubmit={(event) => {
          event.preventDefault();
          submit();
        }}
      >
        <label className="rg-field">
          <span>Name</span>
          <input className="rg-input" aria-label="reusable graph name" value={name} maxLength={200} onChange={(event) => setName(event.target.value)} />
        </label>
        <p className="rg-hint">
          {nodes.length} node{nodes.length === 1 ? '' : 's'} become one. Wires in and out become its ports; tick the settings to show on it.
        </p>
        <div className="rg-make-reusable-params" role="group" aria-label="params to expose">
          {nodes.map((node) => {
            const entry = catalog.get(node.type);
            const params = Object.keys(entry?.params ?? {});
            if (params.length === 0) return null;
            return (
              <fieldset key={node.id}>
                <legend>{displayTitle(node, entry)}</legend>
                {params.map((param) => (
                  <label key={param} className="rg-check">
                    <input
                      type="checkbox"
                      aria-label={`expose ${node.id}.${param}`}
                      checked={exposed.has(keyOf(node.id, param))}
                      onChange={(event) => {
                        const next = new Set(exposed);
                        if (event.target.checked) next.add(keyOf(node.id, param));
                        else next.delete(keyOf(node.id, param));
                        setExposed(next);
                      }}
                    />
                    {param}
                  </label>
                ))}
              </fieldset>
            );
          })}
        </div>
        <div className="rg-dialog-actions">
          <button type="button" className="rg-button" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className="rg-button rg-button-primary" disabled={name.trim() === ''}>
            Make reusable
          </button>
        </div>
      </form>
    </Dialog>
  );
}
