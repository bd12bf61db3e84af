/**
 * The library of reusable graphs, on the document's side (pure): what a
 * "Save to library" sends (the definition and every definition it uses, so
 * a nested one still works in another pipeline), and how an entry is copied
 * into a document: definitions the document already holds unchanged are
 * shared, one that clashes with a different definition of the same id is
 * copied under a fresh id, and the uses inside the copies follow the renames.
 */
import { definitionIdOf, GRAPH_TYPE_PREFIX, isGraphUse } from '@reelgraph/engine/reusable-graphs';
import type { PipelineDocument } from '../document/pipeline-types.ts';

type Definition = NonNullable<PipelineDocument['definitions']>[string];
type Definitions = Record<string, Definition>;

/** What `library.save` carries. */
export interface LibraryPayload {
  definitionId: string;
  definition: Definition;
  definitions?: Definitions;
}

/** What an entry from `library.entry` brings to insert. */
export interface LibraryGraph {
  definitionId: string;
  definition: Definition;
  definitions?: Definitions;
}

/** The definition `id` and every definition it uses, directly or through others (not itself). */
export function libraryPayload(doc: PipelineDocument, id: string): LibraryPayload | undefined {
  const all = doc.definitions ?? {};
  const definition = Object.hasOwn(all, id) ? all[id] : undefined;
  if (!definition) return undefined;
  const used: Definitions = {};
  const visit = (def: Definition) => {
    for (const node of def.nodes) {
      if (!isGraphUse(node.type)) continue;
      const inner = definitionIdOf(node.type);
      if (inner === id || Object.hasOwn(used, inner) || !Object.hasOwn(all, inner)) continue;
      used[inner] = all[inner]!;
      visit(all[inner]!);
    }
  };
  visit(definition);
  return { definitionId: id, definition, ...(Object.keys(used).length > 0 ? { definitions: used } : {}) };
}

/**
 * Copies the entry's definitions into `doc` (an immer draft or a plain
 * object) and returns the id its main definition has there, with the ids of
 * the definitions it added (none when the document held them all already).
 */
export function insertLibraryGraph(doc: PipelineDocument, graph: LibraryGraph): { definitionId: string; added: string[] } {
  const incoming: Definitions = { ...(graph.definitions ?? {}), [graph.definitionId]: graph.definition };
  const existing = doc.definitions ?? {};
  const taken = new Set([...Object.keys(existing), ...Object.keys(incoming)]);
  const renamed = new Map<string, string>();
  const added: string[] = [];
  const visiting = new Set<string>();

  // Dependencies first: whether a definition equals the document's depends on what its uses were renamed to.
  const place = (id: string): string => {
    const done = renamed.get(id);
    if (done !== undefined) return done;
    if (visiting.has(id)) return id;
    visiting.add(id);
    const source = incoming[id]!;
    for (const node of source.nodes) {
      if (isGraphUse(node.type) && Object.hasOwn(incoming, definitionIdOf(node.type))) place(definitionIdOf(node.type));
    }
    const copy = withUsesRenamed(structuredClone(source), renamed);
    let target = id;
    if (Object.hasOwn(existing, id)) {
      if (canonical(existing[id]) === canonical(copy)) {
        renamed.set(id, id);
        return id;
      }
      target = freshId(id, taken);
      taken.add(target);
    }
    renamed.set(id, target);
    doc.definitions ??= {};
    doc.definitions[target] = copy;
    added.push(target);
    return target;
  };
  for (const id of Object.keys(incoming)) place(id);
  // A definition copied before one it uses was renamed (a cycle, which the engine refuses anyway) keeps pointing at the old id.
  for (const id of added) withUsesRenamed(doc.definitions![id]!, renamed);
  return { definitionId: renamed.get(graph.definitionId)!, added };
}

function withUsesRenamed(definition: Definition, renamed: ReadonlyMap<string, string>): Definition {
  for (const node of definition.nodes) {
    if (!isGraphUse(node.type)) continue;
    const to = renamed.get(definitionIdOf(node.type));
    if (to !== undefined) node.type = `${GRAPH_TYPE_PREFIX}${to}`;
  }
  return definition;
}

/** `id-2`, `id-3`, … : the first not taken, within the 64 characters an id may have. */
function freshId(id: string, taken: ReadonlySet<string>): string {
  for (let n = 2; ; n++) {
    const suffix = `-${n}`;
    const candidate = `${id.slice(0, 64 - suffix.length)}${suffix}`;
    if (!taken.has(candidate)) return candidate;
  }
}

/** JSON with sorted keys, so two equal definitions compare equal whatever their key order. */
function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, inner: unknown) =>
    inner && typeof inner === 'object' && !Array.isArray(inner)
      ? Object.fromEntries(Object.entries(inner as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : inner,
  );
}
