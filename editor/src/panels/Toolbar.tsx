import { useState } from 'react';
import { useDocument, useEditor, useExamples, useHistoryState, useRunSummary, useSelection, useConnection } from '../app/editor-context.ts';
import { SHORTCUTS, displayKeys, type CommandName } from '../app/keyboard-shortcuts.ts';
import type { Commands } from '../app/use-commands.ts';
import { ViewSwitch, type EditorView } from '../storyboard/ViewSwitch.tsx';
import { Icon, type IconName } from './Icon.tsx';

const MAC = typeof navigator !== 'undefined' && /Mac|iPhone|iPad/.test(navigator.platform);

function hint(command: CommandName, text: string): string {
  const shortcut = SHORTCUTS.find((candidate) => candidate.command === command);
  return shortcut ? `${text} (${displayKeys(shortcut.keys, MAC)})` : text;
}

function ToolButton({ icon, label, hint: detail, onClick, shortcut, disabled, primary, showLabel = true }: {
  icon: IconName;
  label: string;
  /** What the button would act on, for its tooltip ("Undo Move nodes"). */
  hint?: string | undefined;
  onClick: () => void;
  shortcut?: CommandName;
  disabled?: boolean;
  primary?: boolean;
  showLabel?: boolean;
}) {
  return (
    <button
      type="button"
      className={primary ? 'rg-tool rg-tool-primary' : 'rg-tool'}
      aria-label={label}
      title={shortcut ? hint(shortcut, detail ? `${label} ${detail}` : label) : label}
      disabled={disabled}
      onClick={onClick}
    >
      <Icon name={icon} />
      {showLabel && <span>{label}</span>}
    </button>
  );
}

/** File, edit and run commands; the pipeline's name in the middle. */
export function Toolbar({ commands, onOpenModels, onOpenQueue, view, onView }: { commands: Commands; onOpenModels: () => void; onOpenQueue: () => void; view: EditorView; onView: (view: EditorView) => void }) {
  const controller = useEditor();
  const doc = useDocument();
  const history = useHistoryState();
  const selection = useSelection();
  const run = useRunSummary();
  const connection = useConnection();
  const active = run.phase === 'sending' || run.phase === 'queued' || run.phase === 'running';
  const connected = connection.status === 'open';
  return (
    <header className="rg-toolbar" role="toolbar" aria-label="editor toolbar">
      <span className="rg-brand" aria-hidden="true">
        <span className="rg-brand-mark" />
        Reelgraph
      </span>
      <div className="rg-tool-group">
        <ToolButton icon="new" label="New" onClick={() => controller.newDocument()} />
        <ToolButton icon="open" label="Open" onClick={commands.open} shortcut="open" />
        <ToolButton icon="save" label="Save" onClick={commands.save} shortcut="save" />
        <ExamplesMenu />
        <ToolButton icon="models" label="Models" onClick={onOpenModels} />
      </div>
      <div className="rg-tool-group">
        <ToolButton icon="undo" label="Undo" hint={history.undoLabel} onClick={commands.undo} shortcut="undo" disabled={!history.canUndo} showLabel={false} />
        <ToolButton icon="redo" label="Redo" hint={history.redoLabel} onClick={commands.redo} shortcut="redo" disabled={!history.canRedo} showLabel={false} />
      </div>
      <div className="rg-tool-group">
        <ToolButton icon="add" label="Add node" onClick={commands.addNode} shortcut="addNode" />
        <ToolButton icon="layout" label="Auto-layout" onClick={commands.layout} shortcut="layout" showLabel={false} />
        <ToolButton icon="fit" label="Fit view" onClick={commands.fitView} shortcut="fitView" showLabel={false} />
      </div>
      <ViewSwitch view={view} onView={onView} />
      <input
        className="rg-doc-name"
        aria-label="pipeline name"
        value={doc.name}
        spellCheck={false}
        onChange={(event) => controller.renamePipeline(event.target.value)}
      />
      <div className="rg-tool-group rg-run-group">
        <ToolButton icon="play" label="Run" onClick={commands.run} shortcut="run" primary disabled={!connected} />
        <ToolButton icon="target" label="Run to here" onClick={commands.runToHere} shortcut="runToHere" disabled={!connected || selection.nodes.length !== 1} />
        <ToolButton icon="stop" label="Cancel" onClick={commands.cancel} shortcut="cancel" disabled={!active} />
        <ToolButton icon="queue" label="Queue" onClick={onOpenQueue} />
      </div>
      <ToolButton icon="help" label="Keyboard shortcuts" onClick={commands.help} shortcut="help" showLabel={false} />
    </header>
  );
}

function ExamplesMenu() {
  const controller = useEditor();
  const examples = useExamples();
  const [open, setOpen] = useState(false);
  return (
    <div className="rg-menu-anchor">
      <button
        type="button"
        className="rg-tool"
        aria-label="Examples"
        aria-haspopup="menu"
        aria-expanded={open}
        disabled={examples.length === 0}
        title={examples.length === 0 ? 'The engine lists no examples' : 'Open an example pipeline'}
        onClick={() => setOpen(!open)}
      >
        <Icon name="examples" />
        <span>Examples</span>
      </button>
      {open && (
        <>
          <div className="rg-overlay" onPointerDown={() => setOpen(false)} />
          <div className="rg-menu" role="menu" aria-label="examples">
            {examples.map((example) => (
              <button
                key={example.name}
                type="button"
                role="menuitem"
                className="rg-menu-item"
                onClick={() => {
                  setOpen(false);
                  void controller.openExample(example.name);
                }}
              >
                <span className="rg-menu-title">{example.title}</span>
                {example.description && <span className="rg-menu-description">{example.description}</span>}
              </button>
            ))}
          </div>
        </>
      )}
    </div>
  );
}
