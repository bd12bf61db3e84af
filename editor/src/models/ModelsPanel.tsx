import { formatBytes } from '@reelgraph/engine/format-bytes';
import { useState, useSyncExternalStore } from 'react';
import { useConnection, useEditor } from '../app/editor-context.ts';
import type { ModelInfo } from '../catalog/catalog-types.ts';
import { Dialog } from '../panels/Dialog.tsx';
import { Icon } from '../panels/Icon.tsx';
import type { PullState } from './model-manager.ts';

/** The models the engine knows: size, licence, verify and remove; pull a new one by URL or id, with progress. */
export function ModelsPanel({ onClose }: { onClose: () => void }) {
  const controller = useEditor();
  const manager = controller.models;
  const state = useSyncExternalStore(manager.subscribe, manager.getSnapshot);
  const models = useConnection().welcome?.models ?? [];
  const [source, setSource] = useState('');
  const installed = models.filter((model) => !model.builtIn);

  return (
    <Dialog
      title="Models"
      closeLabel="close models"
      onClose={onClose}
      className="rg-models"
      actions={
        <button
          type="button"
          className="rg-tool"
          disabled={installed.length === 0 || state.verifying}
          onClick={() => manager.verify()}
          title="Hash every installed model's files against its manifest"
        >
          {state.verifying ? 'Verifying…' : 'Verify all'}
        </button>
      }
    >
      {state.problem && (
        <p className="rg-models-problem" role="alert">
          {state.problem}
        </p>
      )}
      <ul className="rg-models-list" aria-label="models">
        {models.map((model) => (
          <ModelRow key={model.id} model={model} problems={state.verified[model.id]} onRemove={() => manager.remove(model.id)} onVerify={() => manager.verify(model.id)} />
        ))}
      </ul>
      <form
        className="rg-models-pull"
        onSubmit={(event) => {
          event.preventDefault();
          manager.pull(source);
          setSource('');
        }}
      >
        <input
          aria-label="model to pull"
          placeholder="https://…/reelgraph-model.json, or owner/name from your registry"
          value={source}
          spellCheck={false}
          onChange={(event) => setSource(event.target.value)}
        />
        <button type="submit" className="rg-tool" disabled={source.trim() === ''}>
          <Icon name="download" />
          <span>Pull</span>
        </button>
      </form>
      {state.pulls.length > 0 && (
        <ul className="rg-models-pulls" aria-label="pulls">
          {state.pulls.map((pull) => (
            <PullRow key={pull.pullId} pull={pull} />
          ))}
        </ul>
      )}
    </Dialog>
  );
}

function ModelRow({ model, problems, onRemove, onVerify }: { model: ModelInfo; problems: readonly string[] | undefined; onRemove: () => void; onVerify: () => void }) {
  return (
    <li className="rg-models-row" aria-label={model.id}>
      <div className="rg-models-main">
        <span className="rg-models-title">{model.title}</span>
        <code className="rg-models-id">{model.id}</code>
        <span className="rg-models-meta">
          {model.family} · {model.tasks.join(', ')} · {model.builtIn ? 'built in' : formatBytes(model.bytes)}
        </span>
        <span className="rg-models-licence">Licence: {model.licence}</span>
        {problems !== undefined && (
          <span className={problems.length === 0 ? 'rg-models-whole' : 'rg-models-damaged'} role="status">
            {problems.length === 0 ? 'Verified: every file matches its sha256.' : problems.join(' ')}
          </span>
        )}
      </div>
      {!model.builtIn && (
        <div className="rg-models-actions">
          <button type="button" className="rg-tool" aria-label={`verify ${model.id}`} onClick={onVerify}>
            Verify
          </button>
          <button type="button" className="rg-tool" aria-label={`remove ${model.id}`} onClick={onRemove}>
            <Icon name="trash" />
          </button>
        </div>
      )}
    </li>
  );
}

function PullRow({ pull }: { pull: PullState }) {
  const { outcome } = pull;
  const share = pull.total > 0 ? pull.done / pull.total : 0;
  const label = outcome
    ? outcome.ok
      ? `Pulled ${outcome.id}.`
      : outcome.error
    : pull.total > 0
      ? `${pull.file ?? ''}: ${formatBytes(pull.done)} of ${formatBytes(pull.total)}`
      : 'Reading the manifest…';
  return (
    <li className="rg-models-pull-row" aria-label={`pull ${pull.source}`}>
      <span className="rg-models-id">{pull.id ?? pull.source}</span>
      {!outcome && <progress max={1} value={share} aria-label={`progress of ${pull.source}`} />}
      <span className={outcome && !outcome.ok ? 'rg-models-damaged' : 'rg-models-meta'} role="status">
        {label}
      </span>
    </li>
  );
}
