/**
 * The storyboard's edits bound to the editor: each is one document-store
 * step (one undo, in the same history as the graph's edits) with a label.
 */
import type { EditorController } from '../app/editor-controller.ts';
import { branchFilm } from './branch-film.ts';
import type { JoinSetting } from './film-structure.ts';
import { titleShots } from './shot-titles.ts';
import { addShot, deleteShot, duplicateShot, moveShot, setJoin } from './storyboard-operations.ts';

export class StoryboardActions {
  constructor(private readonly controller: EditorController) {}

  moveShot(concatId: string, from: number, to: number): void {
    this.controller.document.apply((doc) => moveShot(doc, concatId, from, to), { label: 'Reorder shots' });
  }

  addShot(concatId: string, prompt: string): string | undefined {
    let id: string | undefined;
    this.controller.document.apply((doc) => void (id = addShot(doc, concatId, prompt)), { label: 'Add shot' });
    if (id === undefined) this.controller.notices.notify('This film cannot take another shot (a concat joins at most 32).', 'error');
    return id;
  }

  duplicateShot(concatId: string, index: number): void {
    this.controller.document.apply((doc) => duplicateShot(doc, concatId, index), { label: 'Duplicate shot' });
  }

  deleteShot(concatId: string, index: number): void {
    this.controller.document.apply((doc) => deleteShot(doc, concatId, index), { label: 'Delete shot' });
  }

  setJoin(concatId: string, index: number, join: JoinSetting | null): void {
    this.controller.document.apply((doc) => setJoin(doc, concatId, index, join), { label: 'Edit transition', mergeKey: `join:${concatId}:${index}` });
  }

  titleShots(concatId: string): void {
    this.controller.document.apply((doc) => titleShots(doc, concatId, { untitled: true }), { label: 'Title nodes after shots' });
  }

  /** Returns the variant's concat id, for the storyboard to switch to. */
  branch(concatId: string, index: number): string | undefined {
    let branch: string | undefined;
    this.controller.document.apply((doc) => void (branch = branchFilm(doc, concatId, index)), { label: 'Branch film' });
    return branch;
  }
}
