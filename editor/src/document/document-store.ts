/**
 * The one store of the pipeline document. Every edit goes through `apply`
 * (an immer recipe), which records its patches for undo/redo. Subscribers get
 * a new immutable snapshot per change; unchanged nodes keep their identity,
 * so memoised views skip them.
 */
import { applyPatches, enablePatches, produceWithPatches, type Draft } from 'immer';
import type { PipelineDocument } from './pipeline-types.ts';
import { amendLast, emptyHistory, record, redoStep, undoStep, type History } from './undo-history.ts';

enablePatches();

export interface ApplyOptions {
  /** Names the step in the history ("Move nodes", "Edit width"). */
  label?: string;
  /** Edits with the same key within a second merge into one undo step. */
  mergeKey?: string;
  /** Folds this edit into the last undo step (or records none when the history is empty). */
  amend?: boolean;
}

export interface HistoryState {
  canUndo: boolean;
  canRedo: boolean;
  undoLabel?: string;
  redoLabel?: string;
}

type Listener = () => void;

export class DocumentStore {
  #doc: PipelineDocument;
  #history: History = emptyHistory;
  #historyState: HistoryState = { canUndo: false, canRedo: false };
  #transaction: { key: string; depth: number } | undefined;
  #transactionCount = 0;
  readonly #listeners = new Set<Listener>();

  constructor(
    initial: PipelineDocument,
    private readonly now: () => number = () => Date.now(),
  ) {
    this.#doc = initial;
  }

  getSnapshot = (): PipelineDocument => this.#doc;
  getHistoryState = (): HistoryState => this.#historyState;

  subscribe = (listener: Listener): (() => void) => {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  };

  /** Applies an edit; returns false when it changed nothing (no history step then). */
  apply(recipe: (draft: Draft<PipelineDocument>) => void, options: ApplyOptions = {}): boolean {
    const [next, patches, inversePatches] = produceWithPatches(this.#doc, recipe);
    if (patches.length === 0) return false;
    if (options.amend) {
      this.#history = amendLast(this.#history, patches, inversePatches);
      this.#set(next);
      return true;
    }
    const mergeKey = this.#transaction?.key ?? options.mergeKey;
    this.#history = record(this.#history, {
      label: options.label ?? 'Edit',
      patches,
      inversePatches,
      at: this.now(),
      ...(mergeKey !== undefined ? { mergeKey } : {}),
    });
    this.#set(next);
    return true;
  }

  /** Replaces the whole document: undoable (an accidental drop can be taken back) unless the history is reset. */
  replace(doc: PipelineDocument, options: { resetHistory?: boolean; label?: string } = {}): void {
    if (options.resetHistory) {
      this.#history = emptyHistory;
      this.#set(doc);
      return;
    }
    this.apply(() => doc, { label: options.label ?? 'Open pipeline' });
  }

  /** Everything applied until the matching `endTransaction` becomes one undo step (a drag, a stroke). Nests. */
  beginTransaction(): void {
    if (this.#transaction) {
      this.#transaction.depth += 1;
      return;
    }
    this.#transactionCount += 1;
    this.#transaction = { key: `tx:${this.#transactionCount}`, depth: 1 };
  }

  endTransaction(): void {
    if (!this.#transaction) return;
    this.#transaction.depth -= 1;
    if (this.#transaction.depth === 0) this.#transaction = undefined;
  }

  undo(): boolean {
    const result = undoStep(this.#history);
    if (!result) return false;
    this.#transaction = undefined;
    this.#history = result.history;
    this.#set(applyPatches(this.#doc, result.step.inversePatches));
    return true;
  }

  redo(): boolean {
    const result = redoStep(this.#history);
    if (!result) return false;
    this.#transaction = undefined;
    this.#history = result.history;
    this.#set(applyPatches(this.#doc, result.step.patches));
    return true;
  }

  #set(doc: PipelineDocument): void {
    this.#doc = doc;
    const past = this.#history.past.at(-1);
    const future = this.#history.future[0];
    this.#historyState = {
      canUndo: past !== undefined,
      canRedo: future !== undefined,
      ...(past ? { undoLabel: past.label } : {}),
      ...(future ? { redoLabel: future.label } : {}),
    };
    for (const listener of this.#listeners) listener();
  }
}
