/**
 * Node titles that make the graph read as the story: a shot's generator is
 * titled "Shot 2 — bright desert", from its place and its prompt's first
 * words. A title in that form is ours and is renumbered as shots move; any
 * other title was typed by someone and is never touched.
 */
import type { Draft } from 'immer';
import type { PipelineDocument } from '../document/pipeline-types.ts';
import { findFilm } from './film-structure.ts';

const SHOT_TITLE = /^Shot \d+( — .*)?$/;
const ARTICLES = new Set(['a', 'an', 'the']);
const BREAKS = new Set(['at', 'in', 'on', 'of', 'over', 'under', 'with', 'by', 'through', 'from', 'into', 'and', 'while', 'as', 'during', 'near', 'across']);
const MAX_WORDS = 3;

/** "a bright desert at noon, vast dunes" → "bright desert": the first clause, without articles, up to a preposition, at most three words. */
export function shotGist(prompt: string): string {
  const clause = prompt.split(/[,.;:!?\n]/)[0] ?? '';
  const words = clause.trim().split(/\s+/).filter((word) => word !== '');
  const kept: string[] = [];
  for (const word of words) {
    const lower = word.toLowerCase();
    if (kept.length === 0 && ARTICLES.has(lower)) continue;
    if (kept.length > 0 && BREAKS.has(lower)) break;
    kept.push(word);
    if (kept.length === MAX_WORDS) break;
  }
  return kept.join(' ');
}

export function shotTitle(position: number, prompt: string): string {
  const gist = shotGist(prompt);
  return gist === '' ? `Shot ${position}` : `Shot ${position} — ${gist}`;
}

/** True for no title or one this module wrote: a title a person typed is theirs. */
export function isShotTitle(title: string | undefined): boolean {
  return title === undefined || title === '' || SHOT_TITLE.test(title);
}

/**
 * Titles the film's generators after their shots. `untitled` also titles
 * generators with no title yet (the explicit "Title nodes after shots"
 * action); without it only titles already in the shot form are renumbered.
 */
export function titleShots(doc: Draft<PipelineDocument>, concatId: string, options: { untitled: boolean }): void {
  const film = findFilm(doc as PipelineDocument, concatId);
  if (!film) return;
  for (const [index, shot] of film.shots.entries()) {
    const node = doc.nodes.find((candidate) => candidate.id === shot.generateId);
    if (!node || !isShotTitle(node.title)) continue;
    if (!node.title && !options.untitled) continue;
    const prompt = doc.nodes.find((candidate) => candidate.id === shot.promptId)?.params.text;
    const title = shotTitle(index + 1, typeof prompt === 'string' ? prompt : '');
    if (node.title !== title) node.title = title;
  }
}
