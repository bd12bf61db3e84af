import { produce } from 'immer';
import { describe, expect, it } from 'vitest';
import { findFilms } from './film-structure.ts';
import { addShot, deleteShot, duplicateShot, moveShot, setJoin } from './storyboard-operations.ts';
import { titleShots } from './shot-titles.ts';
import { clipWiring, storyboardDocument } from './test-film.ts';

const y = (doc: ReturnType<typeof storyboardDocument>, id: string) => doc.nodes.find((node) => node.id === id)!.ui!.y;
const joins = (doc: ReturnType<typeof storyboardDocument>) => doc.nodes.find((node) => node.id === 'join')!.params.joins;

describe('moveShot', () => {
  it('rewires the clips in the new order and moves the rows so the graph reads top to bottom', () => {
    const doc = storyboardDocument();
    const moved = produce(doc, (draft) => moveShot(draft, 'join', 2, 0));
    expect(clipWiring(moved)).toEqual(['clip1 ← shot-3', 'clip2 ← shot-1', 'clip3 ← shot-2']);
    // Shot 3's row takes the top; the others move down a row each, keeping their layout inside the row.
    expect([y(moved, 'prompt-3'), y(moved, 'prompt-1'), y(moved, 'prompt-2')]).toEqual([0, 340, 680]);
    expect(y(moved, 'shot-3') - y(moved, 'prompt-3')).toBe(60);
  });

  it('does nothing out of range, and keeps per-join transitions where they are', () => {
    const doc = produce(storyboardDocument(), (draft) => setJoin(draft, 'join', 0, { transition: 'cut', duration: 0 }));
    expect(produce(doc, (draft) => moveShot(draft, 'join', 0, 5))).toBe(doc);
    const moved = produce(doc, (draft) => moveShot(draft, 'join', 0, 1));
    expect(clipWiring(moved)).toEqual(['clip1 ← shot-2', 'clip2 ← shot-1', 'clip3 ← shot-3']);
    expect(joins(moved)).toEqual([{ transition: 'cut', duration: 0 }]);
  });

  it('renumbers shot titles it wrote, not typed ones', () => {
    const titled = produce(storyboardDocument(), (draft) => {
      titleShots(draft, 'join', { untitled: true });
      draft.nodes.find((node) => node.id === 'shot-3')!.title = 'Finale';
    });
    const moved = produce(titled, (draft) => moveShot(draft, 'join', 0, 2));
    const title = (id: string) => moved.nodes.find((node) => node.id === id)!.title;
    expect([title('shot-2'), title('shot-3'), title('shot-1')]).toEqual(['Shot 1 — bright desert', 'Finale', 'Shot 3 — misty forest']);
  });
});

describe('addShot', () => {
  it('copies the last shot below it with a fresh prompt and wires it into the next clip', () => {
    const doc = storyboardDocument();
    let id: string | undefined;
    const added = produce(doc, (draft) => void (id = addShot(draft, 'join', 'a quiet harbour at dusk')));
    expect(id).toBe('shot-4');
    expect(clipWiring(added)).toEqual(['clip1 ← shot-1', 'clip2 ← shot-2', 'clip3 ← shot-3', 'clip4 ← shot-4']);
    const shot = findFilms(added)[0]!.shots[3]!;
    expect(shot).toMatchObject({ generateId: 'shot-4', promptId: 'prompt-4', cameraId: 'camera-4' });
    expect(added.nodes.find((node) => node.id === 'prompt-4')!.params.text).toBe('a quiet harbour at dusk');
    // The copy keeps the last shot's settings and lands below every shot.
    expect(added.nodes.find((node) => node.id === 'shot-4')!.params).toEqual(doc.nodes.find((node) => node.id === 'shot-3')!.params);
    expect(y(added, 'prompt-4')).toBeGreaterThan(y(added, 'camera-3'));
  });

  it('keeps a shared input shared', () => {
    const doc = storyboardDocument();
    doc.nodes.push({ id: 'picture', type: 'reference-image', params: {} });
    for (const n of [1, 2, 3]) doc.edges.push({ from: { node: 'picture', port: 'image' }, to: { node: `shot-${n}`, port: 'reference' } });
    const added = produce(doc, (draft) => void addShot(draft, 'join', 'more'));
    expect(added.nodes.filter((node) => node.type === 'reference-image')).toHaveLength(1);
    expect(findFilms(added)[0]!.shots[3]!.referenceId).toBe('picture');
  });
});

describe('duplicateShot and deleteShot', () => {
  it('puts a copy right after the shot, and a default join after the original', () => {
    const doc = produce(storyboardDocument(), (draft) => setJoin(draft, 'join', 1, { transition: 'fade-black', duration: 1 }));
    const copied = produce(doc, (draft) => duplicateShot(draft, 'join', 0));
    expect(clipWiring(copied)).toEqual(['clip1 ← shot-1', 'clip2 ← shot-4', 'clip3 ← shot-2', 'clip4 ← shot-3']);
    // The fade between the desert and the city still sits between them.
    expect(joins(copied)).toEqual([null, null, { transition: 'fade-black', duration: 1 }]);
  });

  it('removes the shot’s own nodes and closes the gap in the clips', () => {
    const doc = produce(storyboardDocument(), (draft) => setJoin(draft, 'join', 1, { transition: 'cut', duration: 0 }));
    const deleted = produce(doc, (draft) => deleteShot(draft, 'join', 0));
    expect(clipWiring(deleted)).toEqual(['clip1 ← shot-2', 'clip2 ← shot-3']);
    expect(deleted.nodes.map((node) => node.id)).not.toContain('prompt-1');
    expect(deleted.nodes.map((node) => node.id)).not.toContain('shot-1');
    expect(joins(deleted)).toEqual([{ transition: 'cut', duration: 0 }]);
  });
});

describe('setJoin', () => {
  it('writes one override per join and drops trailing defaults', () => {
    const doc = storyboardDocument();
    const set = produce(doc, (draft) => setJoin(draft, 'join', 1, { transition: 'cut', duration: 0 }));
    expect(joins(set)).toEqual([null, { transition: 'cut', duration: 0 }]);
    expect(findFilms(set)[0]!.joins).toEqual([undefined, { transition: 'cut', duration: 0 }]);
    expect(joins(produce(set, (draft) => setJoin(draft, 'join', 1, null)))).toEqual([]);
  });
});
