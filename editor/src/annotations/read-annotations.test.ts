import { describe, expect, it } from 'vitest';
import { emptyDocument } from '../document/pipeline-types.ts';
import { ANNOTATION_LIMITS } from './canvas-annotations.ts';
import { annotationsOf, readAnnotations, withReadableAnnotations } from './read-annotations.ts';

const note = (id: string, text = 'hi') => ({ id, x: 10, y: 20, width: 200, height: 100, text });
const group = (id: string, title = 'Act one') => ({ id, x: 0, y: 0, width: 400, height: 300, title });

describe('readAnnotations', () => {
  it('reads notes and groups as saved', () => {
    const read = readAnnotations({ notes: [note('n1')], groups: [group('g1')], viewport: { zoom: 1 } });
    expect(read.annotations).toEqual({ notes: [note('n1')], groups: [group('g1')] });
    expect(read.problems).toEqual([]);
  });

  it('takes a missing or strange ui as no annotations, without complaint when they are simply absent', () => {
    for (const ui of [undefined, null, 7, 'x', [], {}, { viewport: {} }]) expect(readAnnotations(ui)).toEqual({ annotations: { notes: [], groups: [] }, problems: [] });
  });

  it('leaves out items of the wrong shape, and duplicate ids, and says so', () => {
    const read = readAnnotations({
      notes: [note('n1'), { ...note('n2'), x: 'far' }, null, [1], { ...note('n3'), text: 5 }, note('n1', 'again'), { ...note('n4'), width: Infinity }],
      groups: 'all of them',
    });
    expect(read.annotations.notes).toEqual([note('n1')]);
    expect(read.annotations.groups).toEqual([]);
    expect(read.problems).toEqual(['left out 6 unreadable notes', 'left out "groups", which is not a list']);
  });

  it('bounds counts, text lengths, coordinates and sizes', () => {
    const many = Array.from({ length: ANNOTATION_LIMITS.notes + 5 }, (_, i) => note(`n${i}`));
    const read = readAnnotations({
      notes: [{ ...note('long'), text: 'x'.repeat(ANNOTATION_LIMITS.noteText + 1), x: 1e12, width: 1 }, ...many],
      groups: [{ ...group('g'), title: 't'.repeat(1000), height: 1e9 }],
    });
    expect(read.annotations.notes).toHaveLength(ANNOTATION_LIMITS.notes);
    const [first] = read.annotations.notes;
    expect(first!.text).toHaveLength(ANNOTATION_LIMITS.noteText);
    expect(first!.x).toBe(ANNOTATION_LIMITS.coordinate);
    expect(first!.width).toBe(ANNOTATION_LIMITS.minSize);
    expect(read.annotations.groups[0]!.title).toHaveLength(ANNOTATION_LIMITS.groupTitle);
    expect(read.annotations.groups[0]!.height).toBe(ANNOTATION_LIMITS.maxSize);
    expect(read.problems).toEqual([`kept the first 500 of ${ANNOTATION_LIMITS.notes + 6} notes`, 'shortened 1 note to 10,000 characters', 'shortened 1 group title to 200 characters']);
  });
});

describe('withReadableAnnotations', () => {
  it('keeps a clean document as it is', () => {
    const doc = { ...emptyDocument(), ui: { notes: [note('n1')] } };
    expect(withReadableAnnotations(doc)).toEqual({ doc });
  });

  it('replaces unreadable annotations with what could be read, keeps the rest of ui, and explains', () => {
    const doc = { ...emptyDocument(), ui: { notes: [note('n1'), { id: 3 }], groups: 4, viewport: { zoom: 2 } } };
    const { doc: clean, notice } = withReadableAnnotations(doc);
    expect(clean.ui).toEqual({ notes: [note('n1')], viewport: { zoom: 2 } });
    expect(notice).toBe('Notes and groups in this file: left out 1 unreadable note; left out "groups", which is not a list.');
  });

  it('drops ui altogether when nothing readable is left in it', () => {
    const { doc } = withReadableAnnotations({ ...emptyDocument(), ui: { notes: {} } });
    expect('ui' in doc).toBe(false);
  });
});

describe('annotationsOf', () => {
  it('reads each ui object once', () => {
    const doc = { ...emptyDocument(), ui: { notes: [note('n1')] } };
    expect(annotationsOf(doc)).toBe(annotationsOf({ ...doc }));
  });
});
