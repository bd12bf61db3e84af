import { produce } from 'immer';
import { describe, expect, it } from 'vitest';
import { branchFilm } from './branch-film.ts';
import { findFilm, findFilms } from './film-structure.ts';
import { setJoin } from './storyboard-operations.ts';
import { clipWiring, storyboardDocument } from './test-film.ts';

describe('branchFilm', () => {
  it('shares the shots before the card and copies that shot, the later ones, the concat and the export', () => {
    const doc = produce(storyboardDocument(), (draft) => setJoin(draft, 'join', 0, { transition: 'cut', duration: 0 }));
    let branch: string | undefined;
    const branched = produce(doc, (draft) => void (branch = branchFilm(draft, 'join', 1)));
    expect(branch).toBe('join-2');
    // The original is untouched.
    expect(clipWiring(branched)).toEqual(clipWiring(doc));
    expect(clipWiring(branched, 'join-2')).toEqual(['clip1 ← shot-1', 'clip2 ← shot-4', 'clip3 ← shot-5']);
    const variant = findFilm(branched, 'join-2')!;
    expect(variant.exportIds).toEqual(['export-2']);
    expect(variant.shots.map((shot) => shot.promptId)).toEqual(['prompt-1', 'prompt-4', 'prompt-5']);
    expect(branched.nodes.find((node) => node.id === 'prompt-4')!.params.text).toBe('a bright desert at noon, vast dunes');
    // Its own concat (same transitions), export (its own file name), titled as an ending.
    const concat = branched.nodes.find((node) => node.id === 'join-2')!;
    expect(concat.title).toBe('Ending 2 (from shot 2)');
    expect(concat.params.joins).toEqual([{ transition: 'cut', duration: 0 }]);
    expect(branched.nodes.find((node) => node.id === 'export-2')!.params.filename).toBe('storyboard-ending-2');
    expect(findFilms(branched)).toHaveLength(2);
    // Every copy lies below the whole original graph.
    const lowest = Math.max(...doc.nodes.map((node) => node.ui!.y));
    for (const id of ['prompt-4', 'shot-5', 'join-2', 'export-2']) expect(branched.nodes.find((node) => node.id === id)!.ui!.y).toBeGreaterThan(lowest);
  });

  it('numbers further endings, and branching at the first shot shares nothing', () => {
    const once = produce(storyboardDocument(), (draft) => void branchFilm(draft, 'join', 2));
    let second: string | undefined;
    const twice = produce(once, (draft) => void (second = branchFilm(draft, 'join', 0)));
    expect(twice.nodes.find((node) => node.id === second)!.title).toBe('Ending 3 (from shot 1)');
    const shots = findFilm(twice, second!)!.shots;
    expect(shots.some((shot) => ['shot-1', 'shot-2', 'shot-3'].includes(shot.generateId))).toBe(false);
  });

  it('refuses a shot that is not there', () => {
    const doc = storyboardDocument();
    expect(produce(doc, (draft) => void branchFilm(draft, 'join', 3))).toBe(doc);
  });
});
