/**
 * Notes and groups: editor state kept in the pipeline's top-level `ui`
 * (`ui.notes`, `ui.groups`), which the engine keeps, embeds in exports and
 * never reads, so they cannot change a result or its cache key.
 */

export interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface CanvasNote extends Box {
  id: string;
  text: string;
}

export interface CanvasGroup extends Box {
  id: string;
  title: string;
}

export interface CanvasAnnotations {
  notes: readonly CanvasNote[];
  groups: readonly CanvasGroup[];
}

/** Bounds for what an opened file may hold; a hostile file gets its first items, cut to these lengths. */
export const ANNOTATION_LIMITS = {
  notes: 500,
  groups: 200,
  noteText: 10_000,
  groupTitle: 200,
  /** Coordinates beyond this are no place on a canvas anyone can reach. */
  coordinate: 1_000_000,
  minSize: 40,
  maxSize: 20_000,
} as const;

export const NOTE_SIZE = { width: 220, height: 140 } as const;
export const DEFAULT_GROUP_TITLE = 'Group';

export type AnnotationKind = 'note' | 'group';
export interface AnnotationRef {
  kind: AnnotationKind;
  id: string;
}

/*
 * Annotations share the canvas with pipeline nodes, so their canvas ids carry
 * a prefix with a colon, which a pipeline node id can never contain.
 */
export function annotationFlowId(ref: AnnotationRef): string {
  return `${ref.kind}:${ref.id}`;
}

export function parseAnnotationFlowId(flowId: string): AnnotationRef | undefined {
  const colon = flowId.indexOf(':');
  if (colon < 0) return undefined;
  const kind = flowId.slice(0, colon);
  if (kind !== 'note' && kind !== 'group') return undefined;
  return { kind, id: flowId.slice(colon + 1) };
}

export const NO_ANNOTATIONS: CanvasAnnotations = Object.freeze({ notes: Object.freeze([]), groups: Object.freeze([]) });
