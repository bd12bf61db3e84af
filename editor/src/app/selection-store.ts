/** What is selected on the canvas, for the commands that act on it (delete, copy, run to here). */
export interface Selection {
  nodes: readonly string[];
  edges: readonly string[];
  /** Notes and groups, by canvas id (`note:…`, `group:…`). */
  annotations: readonly string[];
}

const NOTHING: Selection = { nodes: [], edges: [], annotations: [] };

export class SelectionStore {
  #selection: Selection = NOTHING;
  readonly #listeners = new Set<() => void>();

  getSnapshot = (): Selection => this.#selection;

  subscribe = (listener: () => void): (() => void) => {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  };

  set(nodes: readonly string[], edges: readonly string[], annotations: readonly string[] = []): void {
    const current = this.#selection;
    if (same(current.nodes, nodes) && same(current.edges, edges) && same(current.annotations, annotations)) return;
    this.#selection = nodes.length === 0 && edges.length === 0 && annotations.length === 0 ? NOTHING : { nodes, edges, annotations };
    for (const listener of this.#listeners) listener();
  }
}

function same(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((item, index) => item === b[index]);
}
