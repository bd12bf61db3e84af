/**
 * What the storyboard does to the document, as immer recipes over the draft
 * (the controller applies each as one undo step). A film's clip wiring is
 * always rewritten compactly, clip1 … clipN in film order; per-join
 * transitions belong to the place between two cards, not to a shot, so they
 * stay where they are when shots move.
 */
import type { Draft } from 'immer';
import type { PipelineDocument } from '../document/pipeline-types.ts';
import { copyNodes, verticalSpan } from './copy-nodes.ts';
import { CLIP_PORT, findFilm, MAX_CLIPS, type Film, type JoinSetting } from './film-structure.ts';
import { titleShots } from './shot-titles.ts';

type DocDraft = Draft<PipelineDocument>;

/** Room a shot's row takes on the canvas below its nodes' tops (a node is about 300 px tall). */
const ROW_GAP = 340;

/** Rewires the concat's clip inputs to `sources`, in order, into clip1 … clipN. */
export function wireClips(doc: DocDraft, concatId: string, sources: readonly { node: string; port: string }[]): void {
  doc.edges = doc.edges.filter((edge) => !(edge.to.node === concatId && CLIP_PORT.test(edge.to.port)));
  for (const [index, from] of sources.entries()) doc.edges.push({ from: { ...from }, to: { node: concatId, port: `clip${index + 1}` } });
}

function filmIn(doc: DocDraft, concatId: string): Film {
  const film = findFilm(doc as PipelineDocument, concatId);
  if (!film) throw new Error(`"${concatId}" is not a concat that feeds an export.`);
  return film;
}

/** Moves shot `from` to position `to` (both 0-based) and rewires the clips; the shots' rows on the canvas follow, top to bottom. */
export function moveShot(doc: DocDraft, concatId: string, from: number, to: number): void {
  const film = filmIn(doc, concatId);
  if (from === to || from < 0 || to < 0 || from >= film.shots.length || to >= film.shots.length) return;
  const order = [...film.shots];
  const [moved] = order.splice(from, 1);
  order.splice(to, 0, moved!);
  wireClips(doc, concatId, order.map((shot) => shot.source));
  stackRows(doc, film.shots, order);
  titleShots(doc, concatId, { untitled: false });
}

/**
 * Gives the shots' rows to the shots in their new order: the i-th highest
 * row goes to the i-th shot, each shot's own nodes moving together, so the
 * graph still reads top to bottom as the film plays.
 */
function stackRows(doc: DocDraft, before: readonly Film['shots'][number][], after: readonly Film['shots'][number][]): void {
  const spans = before.map((shot) => verticalSpan(doc as PipelineDocument, shot.ownNodes));
  if (spans.some((span) => span === undefined)) return;
  const tops = spans.map((span) => span!.top).sort((a, b) => a - b);
  for (const [index, shot] of after.entries()) {
    const delta = tops[index]! - spans[before.indexOf(shot)]!.top;
    if (delta === 0) continue;
    const own = new Set(shot.ownNodes);
    for (const node of doc.nodes) if (own.has(node.id)) node.ui = { ...node.ui, x: node.ui?.x ?? 0, y: (node.ui?.y ?? 0) + delta };
  }
}

/**
 * A new shot after the last: a copy of the last shot's own nodes, below it,
 * with `prompt` as its text, wired into the next clip. Returns the new shot's
 * generator id, or undefined when the film is full or has no shot to copy.
 */
export function addShot(doc: DocDraft, concatId: string, prompt: string): string | undefined {
  const film = filmIn(doc, concatId);
  const last = film.shots.at(-1);
  if (!last || film.shots.length >= MAX_CLIPS) return undefined;
  const copy = copyShot(doc, last, film.shots.map((shot) => shot.ownNodes).flat());
  const promptId = last.promptId !== undefined ? copy.renamed.get(last.promptId) : undefined;
  const promptNode = doc.nodes.find((node) => node.id === promptId);
  if (promptNode) promptNode.params.text = prompt;
  wireClips(doc, concatId, [...film.shots.map((shot) => shot.source), copy.source]);
  titleShots(doc, concatId, { untitled: false });
  return copy.renamed.get(last.generateId) ?? last.generateId;
}

/** A copy of shot `index` right after it (the same settings, so the same frames, served from cache). */
export function duplicateShot(doc: DocDraft, concatId: string, index: number): void {
  const film = filmIn(doc, concatId);
  const shot = film.shots[index];
  if (!shot || film.shots.length >= MAX_CLIPS) return;
  const copy = copyShot(doc, shot, film.shots.map((other) => other.ownNodes).flat());
  const sources = film.shots.map((other) => other.source);
  sources.splice(index + 1, 0, copy.source);
  wireClips(doc, concatId, sources);
  // A new join appears after the original; the joins after it keep their neighbours.
  spliceJoins(doc, concatId, index, 0, null);
  titleShots(doc, concatId, { untitled: false });
}

/** Removes shot `index`: its own nodes (nodes it shares with other shots stay) and its clip; later shots move up. */
export function deleteShot(doc: DocDraft, concatId: string, index: number): void {
  const film = filmIn(doc, concatId);
  const shot = film.shots[index];
  if (!shot) return;
  const gone = new Set(shot.ownNodes);
  doc.nodes = doc.nodes.filter((node) => !gone.has(node.id));
  doc.edges = doc.edges.filter((edge) => !gone.has(edge.from.node) && !gone.has(edge.to.node));
  wireClips(doc, concatId, film.shots.filter((_, other) => other !== index).map((other) => other.source));
  // The join that led out of the shot goes (into it, for the last shot).
  spliceJoins(doc, concatId, Math.min(index, film.shots.length - 2), 1);
  titleShots(doc, concatId, { untitled: false });
}

/** Sets the transition between shot `index` and the next; null goes back to the concat's own transition. */
export function setJoin(doc: DocDraft, concatId: string, index: number, join: JoinSetting | null): void {
  const concat = doc.nodes.find((node) => node.id === concatId);
  if (!concat || index < 0) return;
  const joins = readJoins(concat.params.joins);
  while (joins.length <= index) joins.push(null);
  joins[index] = join === null ? null : { transition: join.transition, duration: join.duration };
  concat.params.joins = trimJoins(joins);
}

function spliceJoins(doc: DocDraft, concatId: string, index: number, remove: number, ...insert: null[]): void {
  const concat = doc.nodes.find((node) => node.id === concatId);
  if (!concat || index < 0) return;
  const joins = readJoins(concat.params.joins);
  if (joins.length <= index) return;
  joins.splice(index, remove, ...insert);
  concat.params.joins = trimJoins(joins);
}

function readJoins(value: unknown): (JoinSetting | null)[] {
  return Array.isArray(value) ? (value as unknown[]).map((join) => (typeof join === 'object' && join !== null ? { ...(join as JoinSetting) } : null)) : [];
}

/** Trailing nulls say nothing; an all-default film keeps `joins: []`, as a concat made without the storyboard has. */
function trimJoins(joins: (JoinSetting | null)[]): (JoinSetting | null)[] {
  const trimmed = [...joins];
  while (trimmed.length > 0 && trimmed.at(-1) === null) trimmed.pop();
  return trimmed;
}

/** Copies a shot's own nodes one row below the lowest shot; returns the renaming and the copy's clip source. */
function copyShot(doc: DocDraft, shot: Film['shots'][number], allShotNodes: readonly string[]) {
  const lowest = verticalSpan(doc as PipelineDocument, allShotNodes)?.bottom ?? 0;
  const own = verticalSpan(doc as PipelineDocument, shot.ownNodes);
  const renamed = copyNodes(doc, shot.ownNodes, { x: 0, y: own ? lowest - own.top + ROW_GAP : ROW_GAP });
  const source = { node: renamed.get(shot.source.node) ?? shot.source.node, port: shot.source.port };
  return { renamed, source };
}
