/**
 * Which node kinds the palette offers: those matching the typed words, and
 * when it opened from a wire dropped in empty space, only kinds with a port
 * that wire can join (with that port, to connect at once).
 */
import type { LibraryEntrySummary } from '@reelgraph/engine';
import type { CatalogEntry } from '../catalog/catalog-types.ts';

/** A wire being drawn: from an output (the new node needs a matching input) or from an input. */
export interface PendingWire {
  nodeId: string;
  port: string;
  type: string;
  from: 'output' | 'input';
}

export interface PaletteItem {
  entry: CatalogEntry;
  /** The new node's port the pending wire joins. */
  port?: string;
}

export function searchCatalog(entries: readonly CatalogEntry[], query: string, wire?: PendingWire): PaletteItem[] {
  const words = query.toLowerCase().split(/\s+/).filter(Boolean);
  const scored: { item: PaletteItem; score: number; order: number }[] = [];
  entries.forEach((entry, order) => {
    const port = wire ? compatiblePort(entry, wire) : undefined;
    if (wire && port === undefined) return;
    const score = matchScore(entry, words);
    if (score > 0) scored.push({ item: port !== undefined ? { entry, port } : { entry }, score, order });
  });
  return scored.sort((a, b) => b.score - a.score || a.order - b.order).map(({ item }) => item);
}

/** The port of `entry` that joins the wire: the first required one of its type, else the first of its type. */
export function compatiblePort(entry: CatalogEntry, wire: PendingWire): string | undefined {
  if (wire.from === 'output') {
    const inputs = Object.entries(entry.inputs).filter(([, spec]) => spec.type === wire.type);
    return (inputs.find(([, spec]) => !spec.optional) ?? inputs[0])?.[0];
  }
  return Object.entries(entry.outputs).find(([, spec]) => spec.type === wire.type)?.[0];
}

/** 0 when a word is missing; higher when the words hit the title, and its start. */
function matchScore(entry: CatalogEntry, words: readonly string[]): number {
  if (words.length === 0) return 1;
  const title = entry.title.toLowerCase();
  const rest = `${entry.type} ${entry.category} ${entry.description}`.toLowerCase();
  let score = 0;
  for (const word of words) {
    if (title.startsWith(word)) score += 8;
    else if (title.split(/[\s-]+/).some((part) => part.startsWith(word))) score += 5;
    else if (title.includes(word)) score += 3;
    else if (rest.includes(word)) score += 1;
    else return 0;
  }
  return score;
}

/** Items grouped by category, in catalog order of first appearance (for the unfiltered list). */
export function groupByCategory(items: readonly PaletteItem[]): { category: string; items: PaletteItem[] }[] {
  const groups = new Map<string, PaletteItem[]>();
  for (const item of items) groups.set(item.entry.category, [...(groups.get(item.entry.category) ?? []), item]);
  return [...groups].map(([category, list]) => ({ category, items: list }));
}

/**
 * The library's graphs the palette offers: those whose name or description
 * has every typed word. Their ports are not known until one is fetched, so a
 * palette opened from a wire offers none.
 */
export function searchLibrary(entries: readonly LibraryEntrySummary[], query: string, wire?: PendingWire): LibraryEntrySummary[] {
  if (wire) return [];
  const words = query.toLowerCase().split(/\s+/).filter(Boolean);
  return entries.filter((entry) => {
    const text = `${entry.name} ${entry.description ?? ''}`.toLowerCase();
    return words.every((word) => text.includes(word));
  });
}
