/**
 * Alternate endings: a variant film that shares every shot before the
 * chosen one (the same node ids, so the engine serves them from its cache)
 * and has copies of that shot and the later ones, its own concat and its own
 * export. Editing the copies changes only the variant.
 */
import type { Draft } from 'immer';
import { downstreamOf, upstreamOf } from '../graph/graph-walk.ts';
import type { PipelineDocument } from '../document/pipeline-types.ts';
import { copyNodes, verticalSpan } from './copy-nodes.ts';
import { findFilm } from './film-structure.ts';
import { titleShots } from './shot-titles.ts';

/** Below the whole graph, with room for the nodes' height. */
const BRANCH_GAP = 400;

/**
 * Branches the film at shot `index` (0-based); returns the variant's concat
 * id, or undefined when there is no such shot.
 */
export function branchFilm(doc: Draft<PipelineDocument>, concatId: string, index: number): string | undefined {
  const read = doc as PipelineDocument;
  const film = findFilm(read, concatId);
  if (!film || index < 0 || index >= film.shots.length) return undefined;
  const kept = new Set(film.shots.slice(0, index).flatMap((shot) => [...upstreamOf(read, shot.source.node)]));
  // The later shots' nodes that no kept shot needs, however they share among themselves.
  const later = new Set(film.shots.slice(index).flatMap((shot) => [...upstreamOf(read, shot.source.node)].filter((id) => !kept.has(id))));
  // The concat and the nodes between it and the exports (an upscale, the exports themselves).
  const toExports = new Set(film.exportIds.flatMap((id) => [...upstreamOf(read, id)]));
  const tail = [...downstreamOf(read, concatId)].filter((id) => toExports.has(id));

  const everything = verticalSpan(read, read.nodes.map((node) => node.id))!;
  const copied = verticalSpan(read, [...later, ...tail])!;
  const renamed = copyNodes(doc, [...later, ...tail], { x: 0, y: everything.bottom - copied.top + BRANCH_GAP });
  const branchConcat = renamed.get(concatId)!;

  const number = branchNumber(read);
  const concat = doc.nodes.find((node) => node.id === branchConcat)!;
  concat.title = `Ending ${number} (from shot ${index + 1})`;
  for (const id of film.exportIds) {
    const exported = doc.nodes.find((node) => node.id === renamed.get(id));
    if (exported && typeof exported.params.filename === 'string' && exported.params.filename !== '') {
      exported.params.filename = `${exported.params.filename}-ending-${number}`;
    }
  }
  titleShots(doc, branchConcat, { untitled: false });
  return branchConcat;
}

/** Ending numbers count films: the original is ending 1, so the first branch is ending 2. */
function branchNumber(doc: PipelineDocument): number {
  const titles = doc.nodes.map((node) => node.title ?? '');
  let number = 2;
  while (titles.some((title) => title.startsWith(`Ending ${number} `))) number += 1;
  return number;
}
