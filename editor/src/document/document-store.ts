/**
 * The one store of the pipeline document. Every edit goes through `apply`
 * (an immer recipe), which records its patches for undo/redo. Subscribers get
 * a new immutable snapshot per change; unchanged nodes keep their identity,
 * so memoised views skip them.
 *
 * While a reusable graph's definition is open (`setEditing`), `getSnapshot`
 * is the definition seen as a pipeline and `apply` edits it (see
 * definition-scope.ts); `getFullSnapshot` is always the whole pipeline.
 */
import { applyPatches, enablePatches, produceWithPatches, type Draft } from 'immer';
import type { PipelineDocument } from './pipeline-types.ts';
import { definitionView, inDefinition } from '../reusable/definition-scope.ts';
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
  #editing: string | undefined;
  #view: PipelineDocument;
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
    this.#view = initial;
  }

  /** What the views show and edit: the pipeline, or the definition being edited. */
  getSnapshot = (): PipelineDocument => this.#view;
  /** The whole pipeline (to run, save, validate), whatever is being edited. */
  getFullSnapshot = (): PipelineDocument => this.#doc;
  /** The id of the definition open for editing, if any. */
  getEditing = (): string | undefined => this.#editing;

  /** Opens a definition for editing (undefined: back to the pipeline); a missing one leaves things as they are. */
  setEditing(definitionId: string | undefined): void {
    if (definitionId !== undefined && !this.#doc.definitions?.[definitionId]) return;
    if (definitionId === this.#editing) return;
    this.#editing = definitionId;
    this.#set(this.#doc);
  }

  getHistoryState = (): HistoryState => this.#historyState;

  subscribe = (listener: Listener): (() => void) => {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  };

  /** Applies an edit; returns false when it changed nothing (no history step then). */
  apply(recipe: (draft: Draft<PipelineDocument>) => void, options: ApplyOptions = {}): boolean {
    const scoped = this.#editing === undefined ? recipe : inDefinition(this.#editing, recipe);
    const [next, patches, inversePatches] = produceWithPatches(this.#doc, scoped);
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
    // Another pipeline: whatever definition was open belongs to the old one.
    this.#editing = undefined;
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
    // An undo can take the open definition away (undoing its making): back to the pipeline then.
    if (this.#editing !== undefined && !doc.definitions?.[this.#editing]) this.#editing = undefined;
    const view = this.#editing === undefined ? doc : definitionView(doc, this.#editing);
    // Keep the view's identity when the definition did not change, so views skip the render.
    const same = this.#view !== doc && view !== doc && this.#view.nodes === view.nodes && this.#view.edges === view.edges && this.#view.ui === view.ui && this.#view.name === view.name && this.#view.assets === view.assets && this.#view.definitions === view.definitions;
    if (!same) this.#view = view;
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
