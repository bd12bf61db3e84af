/**
 * Edits to notes and groups, as immer recipes on the pipeline document (so
 * undo sees them like any other edit). Each reads the annotations as they
 * are, builds the new lists and writes them back to `ui.notes` / `ui.groups`;
 * an empty list is removed, so a pipeline without annotations saves as before.
 */
import type { Draft } from 'immer';
import type { PipelineDocument } from '../document/pipeline-types.ts';
import {
  ANNOTATION_LIMITS,
  DEFAULT_GROUP_TITLE,
  NOTE_SIZE,
  parseAnnotationFlowId,
  type Box,
  type CanvasAnnotations,
  type CanvasGroup,
  type CanvasNote,
} from './canvas-annotations.ts';
import { readAnnotations } from './read-annotations.ts';

type DocDraft = Draft<PipelineDocument>;
type XY = { x: number; y: number };

/** Adds an empty note with its top-left corner at `at`; returns its id, or undefined at the limit. */
export function addNote(doc: DocDraft, at: XY, text = ''): string | undefined {
  const { notes, groups } = current(doc);
  if (notes.length >= ANNOTATION_LIMITS.notes) return undefined;
  const id = freshId(notes, 'note');
  write(doc, { notes: [...notes, { id, x: Math.round(at.x), y: Math.round(at.y), ...NOTE_SIZE, text: text.slice(0, ANNOTATION_LIMITS.noteText) }], groups });
  return id;
}

export function setNoteText(doc: DocDraft, id: string, text: string): void {
  const { notes, groups } = current(doc);
  const clipped = text.slice(0, ANNOTATION_LIMITS.noteText);
  if (!notes.some((note) => note.id === id && note.text !== clipped)) return;
  write(doc, { notes: notes.map((note) => (note.id === id ? { ...note, text: clipped } : note)), groups });
}

/** Adds a group framing `frame`; returns its id, or undefined at the limit. */
export function addGroup(doc: DocDraft, frame: Box, title = DEFAULT_GROUP_TITLE): string | undefined {
  const { notes, groups } = current(doc);
  if (groups.length >= ANNOTATION_LIMITS.groups) return undefined;
  const id = freshId(groups, 'group');
  write(doc, { notes, groups: [...groups, { id, ...roundBox(frame), title: title.slice(0, ANNOTATION_LIMITS.groupTitle) }] });
  return id;
}

export function renameGroup(doc: DocDraft, id: string, title: string): void {
  const { notes, groups } = current(doc);
  const clipped = title.trim().slice(0, ANNOTATION_LIMITS.groupTitle) || DEFAULT_GROUP_TITLE;
  if (!groups.some((group) => group.id === id && group.title !== clipped)) return;
  write(doc, { notes, groups: groups.map((group) => (group.id === id ? { ...group, title: clipped } : group)) });
}

/**
 * Moves and resizes annotations, by canvas id (`note:…`, `group:…`); other
 * ids (pipeline nodes, moved in the same drag) are left to `moveNodes`.
 */
export function setAnnotationBoxes(doc: DocDraft, boxes: ReadonlyMap<string, Partial<Box>>): void {
  const byKind = { note: new Map<string, Partial<Box>>(), group: new Map<string, Partial<Box>>() };
  for (const [flowId, box] of boxes) {
    const ref = parseAnnotationFlowId(flowId);
    if (ref) byKind[ref.kind].set(ref.id, box);
  }
  if (byKind.note.size === 0 && byKind.group.size === 0) return;
  const { notes, groups } = current(doc);
  const nextNotes = notes.map((note) => placed(note, byKind.note.get(note.id)));
  const nextGroups = groups.map((group) => placed(group, byKind.group.get(group.id)));
  if (nextNotes.every((note, i) => note === notes[i]) && nextGroups.every((group, i) => group === groups[i])) return;
  write(doc, { notes: nextNotes, groups: nextGroups });
}

/** Removes annotations by canvas id. Removing a group (delete or ungroup) leaves the nodes it framed where they are. */
export function removeAnnotations(doc: DocDraft, flowIds: Iterable<string>): void {
  const gone = { note: new Set<string>(), group: new Set<string>() };
  for (const flowId of flowIds) {
    const ref = parseAnnotationFlowId(flowId);
    if (ref) gone[ref.kind].add(ref.id);
  }
  if (gone.note.size === 0 && gone.group.size === 0) return;
  const { notes, groups } = current(doc);
  const nextNotes = notes.filter((note) => !gone.note.has(note.id));
  const nextGroups = groups.filter((group) => !gone.group.has(group.id));
  if (nextNotes.length === notes.length && nextGroups.length === groups.length) return;
  write(doc, { notes: nextNotes, groups: nextGroups });
}

function placed<T extends Box>(item: T, box: Partial<Box> | undefined): T {
  if (!box) return item;
  const next = { ...item, ...roundBox({ ...item, ...box }) };
  return next.x === item.x && next.y === item.y && next.width === item.width && next.height === item.height ? item : next;
}

function roundBox(box: Box): Box {
  const size = (n: number) => Math.max(ANNOTATION_LIMITS.minSize, Math.min(ANNOTATION_LIMITS.maxSize, Math.round(n)));
  return { x: Math.round(box.x), y: Math.round(box.y), width: size(box.width), height: size(box.height) };
}

function current(doc: DocDraft): { notes: CanvasNote[]; groups: CanvasGroup[] } {
  const { notes, groups } = readAnnotations(doc.ui).annotations;
  return { notes: [...notes], groups: [...groups] };
}

function write(doc: DocDraft, { notes, groups }: CanvasAnnotations): void {
  // In place, so whatever else `ui` holds stays untouched.
  const ui = (doc.ui ??= {});
  if (notes.length > 0) ui.notes = notes.map((note) => ({ ...note }));
  else delete ui.notes;
  if (groups.length > 0) ui.groups = groups.map((group) => ({ ...group }));
  else delete ui.groups;
  if (Object.keys(ui).length === 0) delete doc.ui;
}

function freshId(items: readonly { id: string }[], stem: string): string {
  const taken = new Set(items.map((item) => item.id));
  for (let n = items.length + 1; ; n++) if (!taken.has(`${stem}-${n}`)) return `${stem}-${n}`;
}
