/**
 * The controller reaches every view through context, and each hook subscribes
 * to exactly the store slice it shows (useSyncExternalStore), so an update
 * re-renders only its readers.
 */
import type { PipelineIssue } from '@reelgraph/engine';
import { createContext, useCallback, useContext, useSyncExternalStore } from 'react';
import type { Catalog } from '../catalog/catalog-types.ts';
import type { HistoryState } from '../document/document-store.ts';
import type { PipelineDocument } from '../document/pipeline-types.ts';
import type { ConnectionState } from '../engine/engine-client.ts';
import type { ExampleInfo } from '../files/engine-http.ts';
import type { NodeRunView, RunSummary } from '../run/run-store.ts';
import type { EditorController } from './editor-controller.ts';
import type { Notice } from './notice-store.ts';
import type { Selection } from './selection-store.ts';

export const EditorContext = createContext<EditorController | undefined>(undefined);

export function useEditor(): EditorController {
  const controller = useContext(EditorContext);
  if (!controller) throw new Error('useEditor needs an EditorContext provider.');
  return controller;
}

export function useDocument(): PipelineDocument {
  const { document } = useEditor();
  return useSyncExternalStore(document.subscribe, document.getSnapshot);
}

export function useHistoryState(): HistoryState {
  const { document } = useEditor();
  return useSyncExternalStore(document.subscribe, document.getHistoryState);
}

export function useConnection(): ConnectionState {
  const { client } = useEditor();
  return useSyncExternalStore(client.subscribe, client.getSnapshot);
}

export function useCatalog(): Catalog {
  const controller = useEditor();
  return useSyncExternalStore(controller.subscribeCatalog, controller.getCatalog);
}

/** The id of the reusable graph's definition open on the canvas, if any. */
export function useEditing(): string | undefined {
  const { document } = useEditor();
  return useSyncExternalStore(document.subscribe, document.getEditing);
}

export function useRunSummary(): RunSummary {
  const { runs } = useEditor();
  return useSyncExternalStore(runs.subscribe, runs.getSummary);
}

/**
 * One node's run state; only this node's updates re-render the caller. While a
 * definition is open, its nodes' ids map to their first use's inner nodes.
 */
export function useNodeRun(shownId: string | undefined): NodeRunView {
  const controller = useEditor();
  const { runs } = controller;
  const editing = useEditing();
  const nodeId = shownId === undefined || editing === undefined ? shownId : controller.runIdOf(shownId);
  const subscribe = useCallback((listener: () => void) => (nodeId === undefined ? () => undefined : runs.subscribeNode(nodeId, listener)), [runs, nodeId]);
  const snapshot = useCallback(() => runs.getNode(nodeId ?? ''), [runs, nodeId]);
  return useSyncExternalStore(subscribe, snapshot);
}

export function useIssues(): readonly PipelineIssue[] {
  const controller = useEditor();
  return useSyncExternalStore(controller.subscribeIssues, controller.getIssues);
}

export function useExamples(): readonly ExampleInfo[] {
  const controller = useEditor();
  return useSyncExternalStore(controller.subscribeExamples, controller.getExamples);
}

export function useNotices(): readonly Notice[] {
  const { notices } = useEditor();
  return useSyncExternalStore(notices.subscribe, notices.getSnapshot);
}

export function useSelection(): Selection {
  const { selection } = useEditor();
  return useSyncExternalStore(selection.subscribe, selection.getSnapshot);
}
