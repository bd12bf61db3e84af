/**
 * What the canvas tells every node without re-rendering them on each pan:
 * whether it is zoomed far out (low detail), and each node's size when last
 * drawn in full, so a node drawn zoomed out keeps that size.
 *
 * Zoomed far out a node is drawn as a light tile (title, state, handles, its
 * result picture) instead of its widgets: a 500-node graph has some 90 layout
 * objects per node in full, and every pan, drag and mouse move paid for all of
 * them (layout, hit testing, layerizing), hidden or not.
 */
import { createContext, useContext } from 'react';
import type { CatalogEntry } from '../catalog/catalog-types.ts';
import type { Size } from '../layout/elk-graph.ts';
import { estimatedNodeSize } from '../layout/free-spot.ts';

/** Sizes of nodes as last drawn in full: per node, and per kind for nodes of that kind never drawn in full yet. */
export class NodeSizes {
  readonly #byId = new Map<string, { type: string; size: Size }>();
  readonly #byKind = new Map<string, Size>();

  remember(id: string, type: string, size: Size): void {
    if (!(size.width > 0 && size.height > 0)) return;
    this.#byId.set(id, { type, size });
    this.#byKind.set(type, size);
  }

  /** The node's full size when known; else the last full size of its kind; else an estimate from its catalog entry. */
  size(id: string, type: string, entry: CatalogEntry): Size {
    const own = this.#byId.get(id);
    if (own && own.type === type) return own.size;
    return this.#byKind.get(type) ?? estimatedNodeSize(entry);
  }
}

export interface CanvasDetail {
  lowDetail: boolean;
  sizes: NodeSizes;
}

export const CanvasDetailContext = createContext<CanvasDetail>({ lowDetail: false, sizes: new NodeSizes() });

export function useCanvasDetail(): CanvasDetail {
  return useContext(CanvasDetailContext);
}
