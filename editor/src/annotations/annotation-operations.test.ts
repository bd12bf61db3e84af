import { produce } from 'immer';
import { describe, expect, it } from 'vitest';
import { emptyDocument, type PipelineDocument } from '../document/pipeline-types.ts';
import { ANNOTATION_LIMITS } from './canvas-annotations.ts';
import { addGroup, addNote, removeAnnotations, renameGroup, setAnnotationBoxes, setNoteText } from './annotation-operations.ts';

const start: PipelineDocument = { ...emptyDocument(), ui: { viewport: { zoom: 1 } } };

describe('annotation operations', () => {
  it('adds notes with fresh ids, edits their text, and keeps the rest of ui', () => {
    let first: string | undefined;
    let second: string | undefined;
    const doc = produce(start, (draft) => {
      first = addNote(draft, { x: 10.4, y: 20.6 });
      second = addNote(draft, { x: 300, y: 0 }, 'hello');
      setNoteText(draft, first!, 'the wolf scene needs rain');
    });
    expect([first, second]).toEqual(['note-1', 'note-2']);
    expect(doc.ui).toEqual({
      viewport: { zoom: 1 },
      notes: [
        { id: 'note-1', x: 10, y: 21, width: 220, height: 140, text: 'the wolf scene needs rain' },
        { id: 'note-2', x: 300, y: 0, width: 220, height: 140, text: 'hello' },
      ],
    });
  });

  it('bounds note text, and refuses notes past the limit', () => {
    const full = { ...emptyDocument(), ui: { notes: Array.from({ length: ANNOTATION_LIMITS.notes }, (_, i) => ({ id: `n${i}`, x: 0, y: 0, width: 100, height: 100, text: '' })) } };
    let id: string | undefined = 'unset';
    const after = produce(full, (draft) => {
      id = addNote(draft, { x: 0, y: 0 });
      setNoteText(draft, 'n0', 'y'.repeat(ANNOTATION_LIMITS.noteText + 10));
    });
    expect(id).toBeUndefined();
    expect((after.ui!.notes as { text: string }[])[0]!.text).toHaveLength(ANNOTATION_LIMITS.noteText);
  });

  it('makes, renames, moves and resizes groups by canvas id, leaving pipeline node ids alone', () => {
    const doc = produce(start, (draft) => {
      const id = addGroup(draft, { x: 0, y: 0, width: 500, height: 300 })!;
      renameGroup(draft, id, '  Alternate ending  ');
      setAnnotationBoxes(draft, new Map([[`group:${id}`, { x: 40.2, y: -10 }], ['shot', { x: 1, y: 1 }], ['note:missing', { x: 5 }]]));
    });
    expect(doc.ui!.groups).toEqual([{ id: 'group-1', x: 40, y: -10, width: 500, height: 300, title: 'Alternate ending' }]);
    const resized = produce(doc, (draft) => setAnnotationBoxes(draft, new Map([['group:group-1', { width: 3, height: 900.7 }]])));
    expect(resized.ui!.groups).toEqual([{ id: 'group-1', x: 40, y: -10, width: ANNOTATION_LIMITS.minSize, height: 901, title: 'Alternate ending' }]);
  });

  it('names an emptied title back to the default', () => {
    const doc = produce(start, (draft) => void renameGroup(draft, addGroup(draft, { x: 0, y: 0, width: 100, height: 100 }, 'Act')!, '   '));
    expect((doc.ui!.groups as { title: string }[])[0]!.title).toBe('Group');
  });

  it('changes nothing (no undo step) when an edit would not change anything', () => {
    const doc = produce(start, (draft) => void addNote(draft, { x: 0, y: 0 }, 'same'));
    expect(produce(doc, (draft) => setNoteText(draft, 'note-1', 'same'))).toBe(doc);
    expect(produce(doc, (draft) => setAnnotationBoxes(draft, new Map([['note:note-1', { x: 0, y: 0 }]])))).toBe(doc);
    expect(produce(doc, (draft) => removeAnnotations(draft, ['shot', 'group:none']))).toBe(doc);
  });

  it('removes notes and groups, and removes ui once nothing is left in it', () => {
    const doc = produce(emptyDocument(), (draft) => {
      addNote(draft, { x: 0, y: 0 });
      addGroup(draft, { x: 0, y: 0, width: 100, height: 100 });
    });
    const fewer = produce(doc, (draft) => removeAnnotations(draft, ['group:group-1']));
    expect(fewer.ui).toEqual({ notes: [expect.objectContaining({ id: 'note-1' })] });
    const none = produce(fewer, (draft) => removeAnnotations(draft, ['note:note-1']));
    expect('ui' in none).toBe(false);
  });
});
