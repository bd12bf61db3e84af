import { produce } from 'immer';
import { describe, expect, it } from 'vitest';
import { isShotTitle, shotGist, shotTitle, titleShots } from './shot-titles.ts';
import { storyboardDocument } from './test-film.ts';

const titles = (doc: ReturnType<typeof storyboardDocument>) => doc.nodes.filter((node) => node.type === 'generate').map((node) => node.title);

describe('shot titles', () => {
  it('takes the first words of the prompt’s first clause, without articles, up to a preposition', () => {
    expect(shotGist('a bright desert at noon, vast dunes')).toBe('bright desert');
    expect(shotGist('The lighthouse keeper climbs the stairs slowly')).toBe('lighthouse keeper climbs');
    expect(shotGist('  ')).toBe('');
    expect(shotTitle(2, 'a bright desert at noon')).toBe('Shot 2 — bright desert');
    expect(shotTitle(4, '')).toBe('Shot 4');
  });

  it('titles untitled generators only when asked, and never a title someone typed', () => {
    const doc = storyboardDocument();
    doc.nodes.find((node) => node.id === 'shot-3')!.title = 'Finale';
    expect(titles(produce(doc, (draft) => titleShots(draft, 'join', { untitled: false })))).toEqual([undefined, undefined, 'Finale']);
    expect(titles(produce(doc, (draft) => titleShots(draft, 'join', { untitled: true })))).toEqual(['Shot 1 — misty forest', 'Shot 2 — bright desert', 'Finale']);
  });

  it('knows its own titles from typed ones', () => {
    expect(isShotTitle(undefined)).toBe(true);
    expect(isShotTitle('Shot 12 — neon city')).toBe(true);
    expect(isShotTitle('Shot 3')).toBe(true);
    expect(isShotTitle('Shot of the hero')).toBe(false);
  });
});
