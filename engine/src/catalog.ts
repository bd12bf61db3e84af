import { describeNode, type AnyNodeDefinition, type CatalogEntry } from '@reelgraph/nodes';

/** The node kinds an engine can run, by type. The engine knows none of them by name. */
export class Catalog {
  readonly #byType = new Map<string, AnyNodeDefinition>();

  constructor(definitions: readonly AnyNodeDefinition[]) {
    for (const definition of definitions) {
      if (this.#byType.has(definition.type)) throw new Error(`Two node kinds share the type "${definition.type}".`);
      this.#byType.set(definition.type, definition);
    }
  }

  get(type: string): AnyNodeDefinition | undefined {
    return this.#byType.get(type);
  }

  get types(): string[] {
    return [...this.#byType.keys()];
  }

  describe(): CatalogEntry[] {
    return [...this.#byType.values()].map(describeNode);
  }
}
