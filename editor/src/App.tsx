import { ReactFlowProvider } from '@xyflow/react';
import { useCallback, useEffect, useRef, useState } from 'react';
import { EditorContext, useEditor } from './app/editor-context.ts';
import type { EditorController } from './app/editor-controller.ts';
import { useCommands } from './app/use-commands.ts';
import { useGlobalKeys } from './app/use-global-keys.ts';
import { PipelineCanvas } from './graph/PipelineCanvas.tsx';
import { ModelsPanel } from './models/ModelsPanel.tsx';
import { NodePalette, type PaletteRequest } from './palette/NodePalette.tsx';
import { QueuePanel } from './queue/QueuePanel.tsx';
import { ErrorList } from './panels/ErrorList.tsx';
import { HelpPanel } from './panels/HelpPanel.tsx';
import { Icon } from './panels/Icon.tsx';
import { Notices } from './panels/Notices.tsx';
import { PreviewPanel } from './panels/PreviewPanel.tsx';
import { StatusBar } from './panels/StatusBar.tsx';
import { Toolbar } from './panels/Toolbar.tsx';
import type { ComparedVideo } from './compare/comparable-outputs.ts';
import { ComparePlayer } from './compare/ComparePlayer.tsx';
import { StoryboardView } from './storyboard/StoryboardView.tsx';
import type { EditorView } from './storyboard/ViewSwitch.tsx';
import { EditingBanner } from './reusable/EditingBanner.tsx';
import { MakeReusableDialog } from './reusable/MakeReusableDialog.tsx';
import { useEditing } from './app/editor-context.ts';
import './reusable/reusable.css';

export function App({ controller }: { controller: EditorController }) {
  useEffect(() => controller.start(), [controller]);
  return (
    <EditorContext.Provider value={controller}>
      <ReactFlowProvider>
        <EditorShell />
      </ReactFlowProvider>
    </EditorContext.Provider>
  );
}

/** The window: toolbar, canvas with the preview beside it, status bar, and the overlays. */
function EditorShell() {
  const controller = useEditor();
  const [palette, setPalette] = useState<PaletteRequest | undefined>();
  const [help, setHelp] = useState(false);
  const [models, setModels] = useState(false);
  const [queue, setQueue] = useState(false);
  const [problems, setProblems] = useState(false);
  const [preview, setPreview] = useState(true);
  const [compare, setCompare] = useState<{ a: ComparedVideo; b: ComparedVideo }>();
  const [view, setView] = useState<EditorView>('graph');
  const [makeReusable, setMakeReusable] = useState<readonly string[]>();
  const editing = useEditing();
  const fileInput = useRef<HTMLInputElement>(null);
  const pastePoint = useRef<(() => { x: number; y: number } | undefined) | null>(null);

  const openPalette = useCallback((request: PaletteRequest) => setPalette(request), []);
  const toggleHelp = useCallback(() => setHelp((open) => !open), []);
  const openFile = useCallback(() => fileInput.current?.click(), []);
  const openCompare = useCallback((a: ComparedVideo, b: ComparedVideo) => setCompare({ a, b }), []);
  const openMakeReusable = useCallback((ids: readonly string[]) => setMakeReusable(ids), []);
  const commands = useCommands({ openPalette, toggleHelp, openFile, openCompare, openMakeReusable });
  useGlobalKeys(commands, pastePoint, palette === undefined && !help && !models && !queue && !compare && !makeReusable);

  return (
    <div className="rg-app">
      <Toolbar commands={commands} onOpenModels={() => setModels(true)} onOpenQueue={() => setQueue(true)} view={view} onView={setView} />
      <div className="rg-main">
        <div className={editing === undefined ? 'rg-stage' : 'rg-stage rg-stage-editing'}>
          <PipelineCanvas onOpenPalette={openPalette} pastePoint={pastePoint} commands={commands} />
          {view === 'graph' && <EditingBanner />}
          {/* Over the canvas, which stays mounted: "show in graph" focuses a node it has already measured. */}
          {view === 'storyboard' && (
            <StoryboardView
              onShowInGraph={(nodeId) => {
                setView('graph');
                controller.focusNode(nodeId);
              }}
            />
          )}
          {problems && <ErrorList onClose={() => setProblems(false)} />}
          <Notices />
          {!preview && (
            <button type="button" className="rg-tool rg-preview-tab" aria-label="show preview" onClick={() => setPreview(true)}>
              <Icon name="panel" />
            </button>
          )}
        </div>
        {preview && <PreviewPanel onClose={() => setPreview(false)} />}
      </div>
      <StatusBar problemsOpen={problems} onToggleProblems={() => setProblems((open) => !open)} />
      {palette && <NodePalette request={palette} onClose={() => setPalette(undefined)} />}
      {help && <HelpPanel onClose={() => setHelp(false)} />}
      {models && <ModelsPanel onClose={() => setModels(false)} />}
      {queue && <QueuePanel onClose={() => setQueue(false)} />}
      {compare && <ComparePlayer a={compare.a} b={compare.b} onClose={() => setCompare(undefined)} />}
      {makeReusable && <MakeReusableDialog ids={makeReusable} onClose={() => setMakeReusable(undefined)} />}
      <input
        ref={fileInput}
        type="file"
        hidden
        aria-label="open pipeline file"
        accept=".json,.reel.json,video/*,image/*"
        onChange={(event) => {
          const file = event.target.files?.[0];
          if (file) void controller.openFile(file);
          event.target.value = '';
        }}
      />
    </div>
  );
}
