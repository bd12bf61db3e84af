/**
 * The film a storyboard shows, derived from the document (never stored): a
 * concat node that feeds an export is a film; the subgraph feeding one of its
 * clip inputs is a shot. Pure, so the view and the operations agree on it.
 */
import { downstreamOf, upstreamOf } from '../graph/graph-walk.ts';
import type { PipelineDocument, PipelineNode } from '../document/pipeline-types.ts';

export const CLIP_PORT = /^clip(\d+)$/;
/** concat's inputs: clip1 … clip32. */
export const MAX_CLIPS = 32;

export type TransitionKind = 'cut' | 'crossfade' | 'fade-black';
export const TRANSITION_KINDS: readonly TransitionKind[] = ['cut', 'crossfade', 'fade-black'];

export interface JoinSetting {
  transition: TransitionKind;
  duration: number;
}

export interface Shot {
  /** The clip slot (1-based) the shot fills. */
  slot: number;
  /** The output wired into that slot. */
  source: { node: string; port: string };
  /** The node that makes the shot from a prompt (its generator); the source itself when none is found. */
  generateId: string;
  promptId?: string;
  cameraId?: string;
  referenceId?: string;
  firstFrameId?: string;
  /** Nodes feeding this clip and no other clip of the film: what duplicating or branching the shot copies. */
  ownNodes: string[];
}

export interface Film {
  concatId: string;
  /** The exports the film reaches (through any nodes after the concat). */
  exportIds: string[];
  /** Shots in film order (by clip slot). */
  shots: Shot[];
  /** The concat's own transition, used by every join without an override. */
  defaultJoin: JoinSetting;
  /** Per join (between shot n and n+1): its override, or undefined for the default. */
  joins: (JoinSetting | undefined)[];
}

/** Every film in the document, in the concat nodes' document order. A concat that only feeds another concat is a part, not a film. */
export function findFilms(doc: PipelineDocument): Film[] {
  const types = new Map(doc.nodes.map((node) => [node.id, node.type]));
  const films: Film[] = [];
  for (const node of doc.nodes) {
    if (node.type !== 'concat') continue;
    const below = downstreamOf(doc, node.id);
    const exportIds = doc.nodes.filter((other) => other.type === 'export' && below.has(other.id)).map((other) => other.id);
    if (exportIds.length === 0) continue;
    const feedsConcat = doc.edges.some((edge) => edge.from.node === node.id && types.get(edge.to.node) === 'concat');
    if (feedsConcat) continue;
    films.push(filmOf(doc, node, exportIds));
  }
  return films;
}

/** The film a storyboard opens on: the one with the most shots, the first of those in document order (the original before its branches). */
export function defaultFilm(films: readonly Film[]): Film | undefined {
  return films.reduce<Film | undefined>((best, film) => (best === undefined || film.shots.length > best.shots.length ? film : best), undefined);
}

export function findFilm(doc: PipelineDocument, concatId: string): Film | undefined {
  return findFilms(doc).find((film) => film.concatId === concatId);
}

/** The join between shot `index` and the next, override or default. */
export function joinAt(film: Film, index: number): JoinSetting {
  return film.joins[index] ?? film.defaultJoin;
}

function filmOf(doc: PipelineDocument, concat: PipelineNode, exportIds: string[]): Film {
  const clips = doc.edges
    .filter((edge) => edge.to.node === concat.id && CLIP_PORT.test(edge.to.port))
    .map((edge) => ({ slot: Number(CLIP_PORT.exec(edge.to.port)![1]), source: { ...edge.from } }))
    .sort((a, b) => a.slot - b.slot);
  const upstream = clips.map((clip) => upstreamOf(doc, clip.source.node));
  const shots = clips.map((clip, index): Shot => {
    const others = new Set(upstream.flatMap((set, other) => (other === index ? [] : [...set])));
    const ownNodes = doc.nodes.filter((node) => upstream[index]!.has(node.id) && !others.has(node.id)).map((node) => node.id);
    const generateId = findGenerator(doc, clip.source.node);
    const inputFrom = (port: string) => doc.edges.find((edge) => edge.to.node === generateId && edge.to.port === port)?.from.node;
    const promptId = inputFrom('prompt');
    const cameraId = inputFrom('camera');
    const referenceId = inputFrom('reference');
    const firstFrameId = inputFrom('firstFrame');
    return {
      ...clip,
      generateId,
      ...(promptId !== undefined ? { promptId } : {}),
      ...(cameraId !== undefined ? { cameraId } : {}),
      ...(referenceId !== undefined ? { referenceId } : {}),
      ...(firstFrameId !== undefined ? { firstFrameId } : {}),
      ownNodes,
    };
  });
  const transition = TRANSITION_KINDS.includes(concat.params.transition as TransitionKind) ? (concat.params.transition as TransitionKind) : 'crossfade';
  const duration = typeof concat.params.duration === 'number' ? concat.params.duration : 0.5;
  const overrides = Array.isArray(concat.params.joins) ? (concat.params.joins as unknown[]) : [];
  const joins = shots.slice(1).map((_, index) => readJoin(overrides[index]));
  return { concatId: concat.id, exportIds, shots, defaultJoin: { transition, duration }, joins };
}

/** The nearest node above the clip (the clip's own source first) that takes a prompt: the shot's generator, even behind an upscale. */
function findGenerator(doc: PipelineDocument, sourceId: string): string {
  const queue = [sourceId];
  const seen = new Set(queue);
  for (let id = queue.shift(); id !== undefined; id = queue.shift()) {
    const type = doc.nodes.find((node) => node.id === id)?.type;
    if (type === 'generate' || doc.edges.some((edge) => edge.to.node === id && edge.to.port === 'prompt')) return id;
    for (const edge of doc.edges) {
      if (edge.to.node === id && !seen.has(edge.from.node)) {
        seen.add(edge.from.node);
        queue.push(edge.from.node);
      }
    }
  }
  return sourceId;
}

function readJoin(value: unknown): JoinSetting | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const { transition, duration } = value as Record<string, unknown>;
  if (!TRANSITION_KINDS.includes(transition as TransitionKind) || typeof duration !== 'number') return undefined;
  return { transition: transition as TransitionKind, duration };
}

/** A film's name for the picker: its concat's title, else its first export's filename, else the concat's id. */
export function filmName(doc: PipelineDocument, film: Film): string {
  const concat = doc.nodes.find((node) => node.id === film.concatId);
  if (concat?.title) return concat.title;
  const exported = doc.nodes.find((node) => node.id === film.exportIds[0]);
  const filename = exported?.params.filename;
  return typeof filename === 'string' && filename !== '' ? filename : film.concatId;
}
