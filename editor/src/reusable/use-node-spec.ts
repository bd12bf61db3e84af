/**
 * A use of a reusable graph (`graph:<id>`) drawn as any other node: its
 * definition becomes a catalog-like entry, so the node component, connection
 * checks, the palette and the widgets work on it unchanged. Ports take the
 * types of the inner ports they map to; params take the inner param's spec
 * with the inner node's value as the default (unset on the use, that value
 * holds in the engine too). Nested uses resolve recursively.
 */
import { definitionIdOf, GRAPH_TYPE_PREFIX, isGraphUse, MAX_NESTING } from '@reelgraph/engine/reusable-graphs';
import type { Catalog, CatalogEntry } from '../catalog/catalog-types.ts';
import type { PipelineDocument } from '../document/pipeline-types.ts';

export type Definitions = NonNullable<PipelineDocument['definitions']>;
export type Definition = Definitions[string];

/** The palette group and header colour of every use. */
export const REUSABLE_CATEGORY = 'Reusable graphs';

export function useType(definitionId: string): string {
  return `${GRAPH_TYPE_PREFIX}${definitionId}`;
}

/** The entry of a use of `definitionId`, or undefined when it is not defined (or nests too deep, or in a loop). */
export function useNodeSpec(definitionId: string, definitions: Definitions, catalog: Catalog, depth = 0): CatalogEntry | undefined {
  const definition = definitions[definitionId];
  if (!definition || depth > MAX_NESTING) return undefined;
  const innerEntry = (nodeId: string): CatalogEntry | undefined => {
    const node = definition.nodes.find((candidate) => candidate.id === nodeId);
    if (!node) return undefined;
    return isGraphUse(node.type) ? useNodeSpec(definitionIdOf(node.type), definitions, catalog, depth + 1) : catalog.get(node.type);
  };
  const inputs: CatalogEntry['inputs'] = {};
  for (const [port, exposed] of Object.entries(definition.inputs)) {
    const first = exposed.targets[0];
    const spec = first && innerEntry(first.node)?.inputs[first.port];
    // Optional only when every inner input it feeds is optional.
    const optional = exposed.targets.every((target) => innerEntry(target.node)?.inputs[target.port]?.optional ?? false);
    if (spec) inputs[port] = { ...spec, optional };
  }
  const outputs: CatalogEntry['outputs'] = {};
  for (const [port, target] of Object.entries(definition.outputs)) {
    const spec = innerEntry(target.node)?.outputs[target.port];
    if (spec) outputs[port] = spec;
  }
  const params: CatalogEntry['params'] = {};
  for (const [name, exposed] of Object.entries(definition.params)) {
    const first = exposed.targets[0];
    const spec = first && innerEntry(first.node)?.params[first.param];
    if (!spec || !first) continue;
    const inner = definition.nodes.find((node) => node.id === first.node);
    const value = inner && Object.hasOwn(inner.params, first.param) ? inner.params[first.param] : spec.default;
    params[name] = { ...spec, default: structuredClone(value) } as typeof spec;
  }
  const devices = definition.nodes.map((node) => innerEntry(node.id)?.device);
  return {
    type: useType(definitionId),
    title: definition.name,
    category: REUSABLE_CATEGORY,
    description: definition.description ?? `A reusable graph of ${definition.nodes.length} node${definition.nodes.length === 1 ? '' : 's'}.`,
    version: 1,
    device: devices.includes('accelerator') ? 'accelerator' : (devices[0] ?? 'cpu'),
    inputs,
    outputs,
    params,
  } as CatalogEntry;
}

/** The engine's catalog plus an entry per definition of the document, in definition order after the engine's kinds. */
export function withUseEntries(catalog: Catalog, definitions: Definitions | undefined): Catalog {
  if (!definitions || Object.keys(definitions).length === 0) return catalog;
  const merged = new Map(catalog);
  for (const id of Object.keys(definitions)) {
    const entry = useNodeSpec(id, definitions, catalog);
    if (entry) merged.set(entry.type, entry);
  }
  return merged;
}
