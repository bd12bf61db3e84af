import { describe, expect, it } from 'vitest';
import { defaultFilm, filmName, findFilms, joinAt } from './film-structure.ts';
import { storyboardDocument } from './test-film.ts';

describe('findFilms', () => {
  it('reads the shots in clip-slot order, each with its generator, prompt, camera and own nodes', () => {
    const doc = storyboardDocument();
    // Wired out of order: slot numbers, not wire order, set the film order.
    doc.edges.reverse();
    const [film, ...others] = findFilms(doc);
    expect(others).toEqual([]);
    expect(film).toMatchObject({ concatId: 'join', exportIds: ['export'], defaultJoin: { transition: 'crossfade', duration: 0.5 } });
    expect(film!.shots.map((shot) => [shot.slot, shot.generateId, shot.promptId, shot.cameraId])).toEqual([
      [1, 'shot-1', 'prompt-1', 'camera-1'],
      [2, 'shot-2', 'prompt-2', 'camera-2'],
      [3, 'shot-3', 'prompt-3', 'camera-3'],
    ]);
    expect(film!.shots[1]!.ownNodes.sort()).toEqual(['camera-2', 'prompt-2', 'shot-2']);
  });

  it('leaves a node shared by two shots out of both shots’ own nodes', () => {
    const doc = storyboardDocument();
    doc.nodes.push({ id: 'picture', type: 'reference-image', params: {} });
    doc.edges.push({ from: { node: 'picture', port: 'image' }, to: { node: 'shot-1', port: 'reference' } }, { from: { node: 'picture', port: 'image' }, to: { node: 'shot-2', port: 'reference' } });
    const film = findFilms(doc)[0]!;
    expect(film.shots[0]!.referenceId).toBe('picture');
    expect(film.shots.flatMap((shot) => shot.ownNodes)).not.toContain('picture');
  });

  it('finds the generator behind a node between it and the concat (an upscale)', () => {
    const doc = storyboardDocument();
    doc.nodes.push({ id: 'up', type: 'upscale', params: {} });
    doc.edges = doc.edges.filter((edge) => !(edge.from.node === 'shot-2' && edge.to.node === 'join'));
    doc.edges.push({ from: { node: 'shot-2', port: 'video' }, to: { node: 'up', port: 'video' } }, { from: { node: 'up', port: 'video' }, to: { node: 'join', port: 'clip2' } });
    const shot = findFilms(doc)[0]!.shots[1]!;
    expect(shot).toMatchObject({ source: { node: 'up' }, generateId: 'shot-2', promptId: 'prompt-2' });
  });

  it('is no film without an export, and a concat feeding another concat is a part of one', () => {
    const doc = storyboardDocument();
    expect(findFilms({ ...doc, edges: doc.edges.filter((edge) => edge.to.node !== 'export') })).toEqual([]);
    doc.nodes.push({ id: 'outer', type: 'concat', params: {} });
    doc.edges = doc.edges.filter((edge) => edge.to.node !== 'export');
    doc.edges.push({ from: { node: 'join', port: 'video' }, to: { node: 'outer', port: 'clip1' } }, { from: { node: 'outer', port: 'video' }, to: { node: 'export', port: 'video' } });
    expect(findFilms(doc).map((film) => film.concatId)).toEqual(['outer']);
  });

  it('reads per-join overrides, the concat’s own transition elsewhere', () => {
    const doc = storyboardDocument();
    doc.nodes.find((node) => node.id === 'join')!.params.joins = [null, { transition: 'cut', duration: 0 }];
    const film = findFilms(doc)[0]!;
    expect(joinAt(film, 0)).toEqual({ transition: 'crossfade', duration: 0.5 });
    expect(joinAt(film, 1)).toEqual({ transition: 'cut', duration: 0 });
  });
});

describe('defaultFilm and filmName', () => {
  it('opens on the film with the most shots, the first such in document order', () => {
    const doc = storyboardDocument();
    const films = findFilms(doc);
    const short = { ...films[0]!, concatId: 'short', shots: films[0]!.shots.slice(0, 1) };
    const twin = { ...films[0]!, concatId: 'twin' };
    expect(defaultFilm([short, films[0]!, twin])?.concatId).toBe('join');
    expect(defaultFilm([])).toBeUndefined();
  });

  it('names a film by its concat’s title, else its export’s filename', () => {
    const doc = storyboardDocument();
    const film = findFilms(doc)[0]!;
    expect(filmName(doc, film)).toBe('storyboard');
    doc.nodes.find((node) => node.id === 'join')!.title = 'Ending 2';
    expect(filmName(doc, film)).toBe('Ending 2');
  });
});
