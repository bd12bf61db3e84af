import type { KeyboardEvent, DragEvent } from 'react';
import { useCatalog, useEditor, useNodeRun } from '../app/editor-context.ts';
import type { PipelineDocument } from '../document/pipeline-types.ts';
import { NodePreview } from '../nodes/NodePreview.tsx';
import { StatusBadge } from '../nodes/StatusBadge.tsx';
import { Icon } from '../panels/Icon.tsx';
import { CameraDiagram } from '../widgets/CameraDiagram.tsx';
import { readCameraSettings } from '../widgets/camera-sketch.ts';
import { NumberField } from '../widgets/NumberField.tsx';
import { textRows } from '../widgets/TextWidget.tsx';
import type { Shot } from './film-structure.ts';

export interface ShotCardHandlers {
  onMove: (to: number) => void;
  onDuplicate: () => void;
  onDelete: () => void;
  onBranch: () => void;
  onShowInGraph: (nodeId: string) => void;
  onDragStart: () => void;
  onDrop: () => void;
}

/**
 * One shot: its picture (the generator's result or live preview, as on the
 * node), prompt, camera move, duration, reference and model, and what can be
 * done to it. Alt+Arrow moves it, Delete deletes it; the handle drags it.
 */
export function ShotCard({ doc, shot, index, count, dragging, handlers }: { doc: PipelineDocument; shot: Shot; index: number; count: number; dragging: boolean; handlers: ShotCardHandlers }) {
  const controller = useEditor();
  const catalog = useCatalog();
  const run = useNodeRun(shot.generateId);
  const name = `Shot ${index + 1}`;
  const nodeOf = (id: string | undefined) => (id === undefined ? undefined : doc.nodes.find((node) => node.id === id));
  const generator = nodeOf(shot.generateId);
  const prompt = nodeOf(shot.promptId);
  const camera = nodeOf(shot.cameraId);
  const reference = nodeOf(shot.referenceId ?? shot.firstFrameId);
  const kind = generator ? catalog.get(generator.type) : undefined;
  const paramOr = <T,>(param: string, fallback: T): T => (generator?.params[param] ?? kind?.params[param]?.default ?? fallback) as T;
  const duration = paramOr<number>('duration', 0);
  const model = paramOr<string>('model', '');
  const text = typeof prompt?.params.text === 'string' ? prompt.params.text : '';
  const titleOf = (id: string) => {
    const node = nodeOf(id);
    return node?.title ?? catalog.get(node?.type ?? '')?.title ?? id;
  };

  const onKeyDown = (event: KeyboardEvent) => {
    if (event.target !== event.currentTarget) return;
    // Delete on a focused card deletes the shot, as Delete on the canvas deletes the selection (which it must not reach here).
    if ((event.key === 'Delete' || event.key === 'Backspace') && !event.altKey && count > 1) {
      event.preventDefault();
      handlers.onDelete();
      return;
    }
    if (!event.altKey) return;
    const step = event.key === 'ArrowLeft' || event.key === 'ArrowUp' ? -1 : event.key === 'ArrowRight' || event.key === 'ArrowDown' ? 1 : 0;
    if (step === 0) return;
    event.preventDefault();
    const to = index + step;
    if (to >= 0 && to < count) handlers.onMove(to);
  };
  const onDragOver = (event: DragEvent) => {
    event.preventDefault();
    event.dataTransfer.dropEffect = 'move';
  };

  return (
    <li
      className={dragging ? 'rg-shot rg-shot-dragging' : 'rg-shot'}
      aria-label={`${name} (${shot.generateId})`}
      tabIndex={0}
      data-shot={shot.generateId}
      onKeyDown={onKeyDown}
      onDragOver={onDragOver}
      onDrop={(event) => {
        event.preventDefault();
        handlers.onDrop();
      }}
    >
      <header className="rg-shot-header">
        <span
          className="rg-shot-handle"
          draggable
          role="button"
          aria-label={`${name}: drag to reorder`}
          title="Drag to reorder; or focus the card and press Alt+←/→"
          onDragStart={(event) => {
            event.dataTransfer.effectAllowed = 'move';
            event.dataTransfer.setData('text/plain', shot.generateId);
            handlers.onDragStart();
          }}
        >
          ⋮⋮
        </span>
        <span className="rg-shot-number">{index + 1}</span>
        <span className="rg-shot-title" title={generator?.title ?? shot.generateId}>
          {generator?.title ?? titleOf(shot.generateId)}
        </span>
        <span className="rg-shot-id" title="The generator's node id in the graph">
          {shot.generateId}
        </span>
        <StatusBadge run={run} />
      </header>
      <div className="rg-shot-picture">
        <NodePreview run={run} title={name} reserve />
      </div>
      <div className="rg-shot-body">
        {prompt ? (
          <textarea
            aria-label={`${name}: prompt`}
            className="rg-input rg-textarea rg-shot-prompt"
            value={text}
            rows={Math.max(2, textRows(text))}
            spellCheck
            onChange={(event) => controller.setParam(prompt.id, 'text', event.target.value)}
          />
        ) : (
          <p className="rg-hint">No prompt node feeds this shot’s generator.</p>
        )}
        <div className="rg-shot-facts">
          {camera && (
            <div className="rg-shot-camera" title={`${titleOf(camera.id)}: ${String(camera.params.preset ?? '')}`}>
              <CameraDiagram settings={readCameraSettings(camera.params)} label={`${name}: camera move diagram`} />
              <span className="rg-shot-fact">{String(camera.params.preset ?? 'keyframes')}</span>
            </div>
          )}
          <div className="rg-shot-settings">
            {generator && kind?.params.duration && (
              <label className="rg-shot-field">
                <span>duration</span>
                <NumberField value={duration} label={`${name}: duration`} step={0.1} min={0.1} max={60} className="rg-input rg-number" onCommit={(value) => controller.setParam(generator.id, 'duration', value)} />
                <span aria-hidden="true">s</span>
              </label>
            )}
            {model && (
              <span className="rg-shot-fact" aria-label={`${name}: model ${model}`} title={model}>
                {model}
              </span>
            )}
            {reference && (
              <span className="rg-shot-fact" aria-label={`${name}: ${shot.referenceId ? 'reference' : 'first frame'} ${reference.id}`}>
                {shot.referenceId ? 'reference' : 'first frame'}: {titleOf(reference.id)}
              </span>
            )}
          </div>
        </div>
        {reference && <ReferencePreview nodeId={reference.id} label={`${name} ${shot.referenceId ? 'reference' : 'first frame'}`} />}
      </div>
      <footer className="rg-shot-actions">
        <CardButton label={`${name}: show in graph`} text="Graph" onClick={() => handlers.onShowInGraph(shot.generateId)} />
        <CardButton label={`${name}: move earlier`} text="←" disabled={index === 0} onClick={() => handlers.onMove(index - 1)} />
        <CardButton label={`${name}: move later`} text="→" disabled={index === count - 1} onClick={() => handlers.onMove(index + 1)} />
        <CardButton label={`${name}: duplicate`} text="Duplicate" onClick={handlers.onDuplicate} />
        <CardButton label={`${name}: branch from here`} text="Branch" onClick={handlers.onBranch} />
        <button type="button" className="rg-tool rg-shot-delete" aria-label={`${name}: delete`} title={`${name}: delete`} disabled={count <= 1} onClick={handlers.onDelete}>
          <Icon name="trash" />
        </button>
      </footer>
    </li>
  );
}

function CardButton({ label, text, onClick, disabled }: { label: string; text: string; onClick: () => void; disabled?: boolean }) {
  return (
    <button type="button" className="rg-tool" aria-label={label} title={label} disabled={disabled} onClick={onClick}>
      {text}
    </button>
  );
}

/** The reference picture or first frame, once its node has a result to show. */
function ReferencePreview({ nodeId, label }: { nodeId: string; label: string }) {
  const run = useNodeRun(nodeId);
  return (
    <div className="rg-shot-reference">
      <NodePreview run={run} title={label} reserve={false} />
    </div>
  );
}
