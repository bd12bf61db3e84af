/**
 * The `definitions` of an opened file, read so that nothing in them can
 * break the editor (a use's entry, the canvas and the fingerprints walk
 * them): a definition whose shape is wrong is left out, and the engine then
 * names its uses as of an unknown graph. The engine checks the rest.
 */
import type { Definitions } from './use-node-spec.ts';

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);
const isEnd = (value: unknown, key: 'port' | 'param') => isObject(value) && typeof value.node === 'string' && typeof value[key] === 'string';
const isNode = (value: unknown) => isObject(value) && typeof value.id === 'string' && typeof value.type === 'string' && (value.params === undefined || isObject(value.params));
const isEdge = (value: unknown) => isObject(value) && isEnd(value.from, 'port') && isEnd(value.to, 'port');
const targetsOf = (value: unknown, key: 'port' | 'param') => isObject(value) && Array.isArray(value.targets) && value.targets.every((target) => isEnd(target, key));

function isDefinition(value: unknown): boolean {
  if (!isObject(value) || typeof value.name !== 'string') return false;
  if (!Array.isArray(value.nodes) || !value.nodes.every(isNode)) return false;
  if (value.edges !== undefined && !(Array.isArray(value.edges) && value.edges.every(isEdge))) return false;
  const all = (record: unknown, check: (item: unknown) => boolean) => record === undefined || (isObject(record) && Object.values(record).every(check));
  return all(value.inputs, (item) => targetsOf(item, 'port')) && all(value.outputs, (item) => isEnd(item, 'port')) && all(value.params, (item) => targetsOf(item, 'param'));
}

/** The well-formed definitions, with their optional lists filled in; undefined when there are none. */
export function readDefinitions(value: unknown): Definitions | undefined {
  if (!isObject(value)) return undefined;
  const kept: Definitions = {};
  for (const [id, raw] of Object.entries(value)) {
    if (!isDefinition(raw)) continue;
    const definition = raw as Definitions[string];
    kept[id] = {
      ...definition,
      nodes: definition.nodes.map((node) => ({ ...node, params: node.params ?? {} })),
      edges: definition.edges ?? [],
      inputs: definition.inputs ?? {},
      outputs: definition.outputs ?? {},
      params: definition.params ?? {},
    };
  }
  return Object.keys(kept).length > 0 ? kept : undefined;
}
