/**
 * Reads notes and groups from a pipeline's `ui`, which may come from any file:
 * items of the wrong shape are left out, counts and text lengths are bounded,
 * and what was left out or cut is said in one sentence. Never throws.
 */
import type { PipelineDocument } from '../document/pipeline-types.ts';
import { ANNOTATION_LIMITS, NO_ANNOTATIONS, type Box, type CanvasAnnotations, type CanvasGroup, type CanvasNote } from './canvas-annotations.ts';

export interface ReadAnnotations {
  annotations: CanvasAnnotations;
  /** What was left out or shortened, for a notice; empty when the file was clean. */
  problems: string[];
}

export function readAnnotations(ui: unknown): ReadAnnotations {
  if (!isRecord(ui) || (ui.notes === undefined && ui.groups === undefined)) return { annotations: NO_ANNOTATIONS, problems: [] };
  const problems: string[] = [];
  const notes = readList(ui.notes, 'notes', ANNOTATION_LIMITS.notes, problems, (item) => {
    const box = readBox(item);
    if (!box || typeof item.id !== 'string' || typeof item.text !== 'string') return undefined;
    return { id: item.id, ...box, text: item.text };
  });
  const groups = readList(ui.groups, 'groups', ANNOTATION_LIMITS.groups, problems, (item) => {
    const box = readBox(item);
    if (!box || typeof item.id !== 'string' || typeof item.title !== 'string') return undefined;
    return { id: item.id, ...box, title: item.title };
  });
  const cutNotes = notes.filter((note) => note.text.length > ANNOTATION_LIMITS.noteText).length;
  const cutTitles = groups.filter((group) => group.title.length > ANNOTATION_LIMITS.groupTitle).length;
  if (cutNotes > 0) problems.push(`shortened ${plural(cutNotes, 'note')} to ${ANNOTATION_LIMITS.noteText.toLocaleString('en')} characters`);
  if (cutTitles > 0) problems.push(`shortened ${plural(cutTitles, 'group title')} to ${ANNOTATION_LIMITS.groupTitle} characters`);
  return {
    annotations: {
      notes: notes.map((note): CanvasNote => ({ ...note, text: note.text.slice(0, ANNOTATION_LIMITS.noteText) })),
      groups: groups.map((group): CanvasGroup => ({ ...group, title: group.title.slice(0, ANNOTATION_LIMITS.groupTitle) })),
    },
    problems,
  };
}

/** The document with readable annotations only, and a sentence saying what was dropped (for the notice on open). */
export function withReadableAnnotations(doc: PipelineDocument): { doc: PipelineDocument; notice?: string } {
  const { annotations, problems } = readAnnotations(doc.ui);
  if (problems.length === 0) return { doc };
  const { notes: _notes, groups: _groups, ...rest } = doc.ui ?? {};
  const ui = { ...rest, ...(annotations.notes.length > 0 ? { notes: annotations.notes } : {}), ...(annotations.groups.length > 0 ? { groups: annotations.groups } : {}) };
  const { ui: _ui, ...withoutUi } = doc;
  return {
    doc: Object.keys(ui).length > 0 ? { ...withoutUi, ui } : withoutUi,
    notice: `Notes and groups in this file: ${problems.join('; ')}.`,
  };
}

const cache = new WeakMap<object, CanvasAnnotations>();

/** The annotations to draw, read once per `ui` object (documents are immutable, so a changed `ui` is a new object). */
export function annotationsOf(doc: PipelineDocument): CanvasAnnotations {
  const ui = doc.ui;
  if (!ui) return NO_ANNOTATIONS;
  let found = cache.get(ui);
  if (!found) {
    found = readAnnotations(ui).annotations;
    cache.set(ui, found);
  }
  return found;
}

function readList<T extends { id: string }>(
  value: unknown,
  what: 'notes' | 'groups',
  limit: number,
  problems: string[],
  read: (item: Record<string, unknown>) => T | undefined,
): T[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) {
    problems.push(`left out "${what}", which is not a list`);
    return [];
  }
  const kept: T[] = [];
  const ids = new Set<string>();
  let unreadable = 0;
  for (const item of value.slice(0, limit)) {
    const read_ = isRecord(item) ? read(item) : undefined;
    // An id seen before would make two canvas items one; the first keeps it.
    if (!read_ || read_.id === '' || read_.id.length > 64 || ids.has(read_.id)) {
      unreadable += 1;
      continue;
    }
    ids.add(read_.id);
    kept.push(read_);
  }
  const singular = what === 'notes' ? 'note' : 'group';
  if (unreadable > 0) problems.push(`left out ${plural(unreadable, `unreadable ${singular}`)}`);
  if (value.length > limit) problems.push(`kept the first ${limit} of ${value.length} ${what}`);
  return kept;
}

function readBox(item: Record<string, unknown>): Box | undefined {
  const { x, y, width, height } = item;
  if (![x, y, width, height].every((n) => typeof n === 'number' && Number.isFinite(n))) return undefined;
  const clampXY = (n: number) => Math.max(-ANNOTATION_LIMITS.coordinate, Math.min(ANNOTATION_LIMITS.coordinate, n));
  const clampSize = (n: number) => Math.max(ANNOTATION_LIMITS.minSize, Math.min(ANNOTATION_LIMITS.maxSize, n));
  return { x: clampXY(x as number), y: clampXY(y as number), width: clampSize(width as number), height: clampSize(height as number) };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}
