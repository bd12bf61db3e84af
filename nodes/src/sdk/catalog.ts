import type { AnyNodeDefinition } from './define-node.ts';
import type { ParamSpec } from './param.ts';

/** A node kind as clients see it: everything but the code. */
export interface CatalogEntry {
  type: string;
  version: number;
  title: string;
  category: string;
  description: string;
  device: 'accelerator' | 'cpu';
  inputs: Record<string, { type: string; optional: boolean; description?: string; growing?: boolean }>;
  outputs: Record<string, { type: string; description?: string }>;
  params: Record<string, Omit<ParamSpec, 'check' | '__run'>>;
}

export function describeNode(definition: AnyNodeDefinition): CatalogEntry {
  const params = Object.fromEntries(
    Object.entries(definition.params as Record<string, ParamSpec>).map(([name, spec]) => {
      const { check: _check, ...rest } = spec;
      return [name, rest];
    }),
  );
  const outputs = Object.fromEntries(
    Object.entries(definition.outputs as Record<string, { type: string; description?: string }>).map(([name, spec]) => [
      name,
      { type: spec.type, ...(spec.description ? { description: spec.description } : {}) },
    ]),
  );
  return {
    type: definition.type,
    version: definition.version,
    title: definition.title,
    category: definition.category,
    description: definition.description,
    device: definition.device,
    inputs: definition.inputs,
    outputs,
    params,
  };
}
