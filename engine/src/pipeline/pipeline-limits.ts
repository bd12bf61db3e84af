/**
 * The bounds every pipeline is held to, whichever way it arrives: a file, a
 * socket message, an import from an export, or a drop on the editor. Pure and
 * free of Node APIs, so the editor checks a dropped file with the same rules
 * before it sends it (`@reelgraph/engine/pipeline-limits`).
 */
import { formatBytes } from '../format-bytes.ts';

export const PIPELINE_LIMITS = {
  /** The whole document as JSON text. */
  fileBytes: 32 * 1024 * 1024,
  nodes: 5_000,
  edges: 20_000,
  assets: 256,
  /**
   * Objects and lists inside objects and lists. A real pipeline nests about
   * six deep (keyframes in a param); far deeper documents exist only to make
   * recursive code (stringify, schema checks, React) run out of stack.
   */
  depth: 64,
} as const;

export const FORBIDDEN_KEY = '__proto__';

export function tooLargeMessage(bytes: number, what = 'The pipeline'): string | undefined {
  if (bytes <= PIPELINE_LIMITS.fileBytes) return undefined;
  return `${what} is larger than ${formatBytes(PIPELINE_LIMITS.fileBytes)}; embed fewer assets or reference files beside it.`;
}

/** A value met in the walk, with where it sits; its path is spelled out only for a message. */
interface Visit {
  value: unknown;
  depth: number;
  parent: Visit | undefined;
  /** Its key in the parent object, or index in the parent list. */
  key: string | number;
}

/**
 * Why a parsed JSON value cannot be a pipeline on structure alone (too deep,
 * too large, a `__proto__` key), or undefined. Walks with an explicit stack,
 * so a value nested 200,000 deep is refused instead of overflowing ours.
 */
export function structureProblem(value: unknown, options: { what?: string; depth?: number } = {}): string | undefined {
  const what = options.what ?? 'The pipeline';
  const maxDepth = options.depth ?? PIPELINE_LIMITS.depth;
  // Characters, as a close lower bound of the bytes its JSON text takes.
  let size = 0;
  const stack: Visit[] = [{ value, depth: 0, parent: undefined, key: '' }];
  while (stack.length > 0) {
    const visit = stack.pop()!;
    const current = visit.value;
    if (typeof current === 'string') size += current.length + 2;
    else if (current === null || typeof current !== 'object') size += String(current).length;
    else {
      if (visit.depth >= maxDepth) {
        return `${what} nests deeper than ${maxDepth} levels (at "${shortPath(pathOf(visit)) || '(top)'}"); a pipeline is never that deep.`;
      }
      size += 2;
      if (Array.isArray(current)) {
        for (let i = current.length - 1; i >= 0; i--) stack.push({ value: current[i], depth: visit.depth + 1, parent: visit, key: i });
        size += current.length;
      } else {
        for (const key of Object.keys(current)) {
          const child: Visit = { value: (current as Record<string, unknown>)[key], depth: visit.depth + 1, parent: visit, key };
          if (key === FORBIDDEN_KEY) return `${what} uses the reserved key "${FORBIDDEN_KEY}" (at "${shortPath(pathOf(child))}"); remove it.`;
          size += key.length + 4;
          stack.push(child);
        }
      }
    }
    if (size > PIPELINE_LIMITS.fileBytes) return tooLargeMessage(size, what);
  }
  return undefined;
}

/** `nodes[0].ui.extra`: where a visit sits, keys cut to 40 characters. */
function pathOf(visit: Visit): string {
  let path = '';
  for (let at: Visit | undefined = visit; at?.parent; at = at.parent) {
    if (typeof at.key === 'number') path = `[${at.key}]${path}`;
    else path = `${at.parent.parent ? '.' : ''}${at.key.length > 40 ? `${at.key.slice(0, 40)}…` : at.key}${path}`;
  }
  return path;
}

/** A path of at most 60 characters: its start, where it begins, and its end, where the problem is. */
function shortPath(path: string): string {
  return path.length <= 60 ? path : `${path.slice(0, 44)}…${path.slice(-15)}`;
}
