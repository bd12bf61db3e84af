/**
 * Which two nodes can be compared: exactly two, each with a rendered video
 * (a VIDEO output, or a FILE output holding a video, as the export writes).
 * Pure: it reads outputs as the run store holds them.
 */
import type { OutputSummary } from '@reelgraph/engine';

export interface ComparedVideo {
  nodeId: string;
  title: string;
  port: string;
  /** The engine's media path (`/media/…`), to be made absolute with engineUrl. */
  url: string;
  summary: OutputSummary;
}

export type ComparePair = { ok: true; a: ComparedVideo; b: ComparedVideo } | { ok: false; reason: string };

/** The node's first output a browser plays as video, if it has one. */
export function videoOutput(outputs: Readonly<Record<string, OutputSummary>> | undefined): { port: string; summary: OutputSummary } | undefined {
  for (const [port, summary] of Object.entries(outputs ?? {})) {
    if (!summary.url) continue;
    const mime = typeof summary.mime === 'string' ? summary.mime : '';
    if (summary.kind === 'video' || (summary.kind === 'file' && mime.startsWith('video/'))) return { port, summary };
  }
  return undefined;
}

export function comparePair(
  ids: readonly string[],
  outputsOf: (id: string) => Readonly<Record<string, OutputSummary>> | undefined,
  titleOf: (id: string) => string,
): ComparePair {
  if (ids.length !== 2) return { ok: false, reason: 'Select exactly two nodes with rendered videos to compare them.' };
  const found = ids.map((id) => ({ id, video: videoOutput(outputsOf(id)) }));
  const missing = found.filter((item) => !item.video).map((item) => `"${titleOf(item.id)}"`);
  if (missing.length > 0) {
    return { ok: false, reason: `${missing.join(' and ')} ${missing.length === 1 ? 'has' : 'have'} no rendered video yet; run ${missing.length === 1 ? 'it' : 'them'} first.` };
  }
  const [a, b] = found.map(({ id, video }): ComparedVideo => ({ nodeId: id, title: titleOf(id), port: video!.port, url: video!.summary.url!, summary: video!.summary }));
  return { ok: true, a: a!, b: b! };
}
