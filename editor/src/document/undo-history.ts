/**
 * Undo/redo stacks of immer patches. Consecutive edits that share a merge key
 * within the merge window (typing into one param, a slider drag) or belong to
 * one open transaction (a node drag) collapse into a single step.
 */
import type { Patch } from 'immer';

export interface HistoryStep {
  label: string;
  patches: Patch[];
  inversePatches: Patch[];
  /** Edits with the same key close in time merge; undefined never merges. */
  mergeKey?: string;
  /** When the step last grew, in ms. */
  at: number;
}

export interface History {
  past: readonly HistoryStep[];
  future: readonly HistoryStep[];
  /** Set by undo/redo so the next edit starts a new step even with the same key. */
  sealed: boolean;
}

export const MERGE_WINDOW_MS = 1000;
export const HISTORY_LIMIT = 200;

export const emptyHistory: History = { past: [], future: [], sealed: false };

export function record(history: History, step: HistoryStep, mergeWindowMs = MERGE_WINDOW_MS): History {
  const last = history.past.at(-1);
  const merges =
    !history.sealed &&
    last !== undefined &&
    step.mergeKey !== undefined &&
    last.mergeKey === step.mergeKey &&
    (step.mergeKey.startsWith('tx:') || step.at - last.at <= mergeWindowMs);
  if (merges) {
    const merged: HistoryStep = {
      ...last,
      patches: [...last.patches, ...step.patches],
      // Undoing the merged step undoes the newest edit first.
      inversePatches: [...step.inversePatches, ...last.inversePatches],
      at: step.at,
    };
    return { past: [...history.past.slice(0, -1), merged], future: [], sealed: false };
  }
  return { past: [...history.past, step].slice(-HISTORY_LIMIT), future: [], sealed: false };
}

/**
 * Folds patches into the last step, whatever its key (the tidy layout after
 * opening a document belongs to the opening). With no step, nothing is
 * recorded: there is nothing to undo back to.
 */
export function amendLast(history: History, patches: Patch[], inversePatches: Patch[]): History {
  const last = history.past.at(-1);
  if (!last) return { ...history, future: [] };
  const amended: HistoryStep = {
    ...last,
    patches: [...last.patches, ...patches],
    inversePatches: [...inversePatches, ...last.inversePatches],
  };
  return { past: [...history.past.slice(0, -1), amended], future: [], sealed: history.sealed };
}

/** The step to undo and the history after it, or undefined when there is none. */
export function undoStep(history: History): { step: HistoryStep; history: History } | undefined {
  const step = history.past.at(-1);
  if (!step) return undefined;
  return { step, history: { past: history.past.slice(0, -1), future: [step, ...history.future], sealed: true } };
}

export function redoStep(history: History): { step: HistoryStep; history: History } | undefined {
  const step = history.future[0];
  if (!step) return undefined;
  return { step, history: { past: [...history.past, step], future: history.future.slice(1), sealed: true } };
}
