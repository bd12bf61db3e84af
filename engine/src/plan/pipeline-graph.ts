import type { PipelineDocument, PipelineNode } from '../pipeline/pipeline-document.ts';

export interface Upstream {
  node: string;
  port: string;
}

/** Lookups over a validated (acyclic, single wire per input) pipeline. */
export class PipelineGraph {
  readonly nodes = new Map<string, PipelineNode>();
  /** node id → input port → where its wire comes from */
  readonly inputs = new Map<string, Map<string, Upstream>>();
  /** node id → ids of the nodes it feeds */
  readonly consumers = new Map<string, Set<string>>();
  /** Every node id, each after all of its upstream nodes (file order where free). */
  readonly order: string[];

  constructor(readonly document: PipelineDocument) {
    for (const node of document.nodes) {
      this.nodes.set(node.id, node);
      this.inputs.set(node.id, new Map());
      this.consumers.set(node.id, new Set());
    }
    for (const edge of document.edges) {
      this.inputs.get(edge.to.node)?.set(edge.to.port, edge.from);
      this.consumers.get(edge.from.node)?.add(edge.to.node);
    }
    this.order = this.#topologicalOrder();
  }

  /** Nodes that feed no other node: what a run produces when no target is named. */
  sinks(): string[] {
    return this.order.filter((id) => this.consumers.get(id)?.size === 0);
  }

  upstreamIds(id: string): string[] {
    return [...new Set([...(this.inputs.get(id)?.values() ?? [])].map((u) => u.node))];
  }

  #topologicalOrder(): string[] {
    const remaining = new Map(this.document.nodes.map((n) => [n.id, this.upstreamIds(n.id).length]));
    const ready = this.document.nodes.filter((n) => remaining.get(n.id) === 0).map((n) => n.id);
    const order: string[] = [];
    for (let head = 0; head < ready.length; head++) {
      const id = ready[head]!;
      order.push(id);
      for (const consumer of this.consumers.get(id) ?? []) {
        const left = remaining.get(consumer)! - 1;
        remaining.set(consumer, left);
        if (left === 0) ready.push(consumer);
      }
    }
    if (order.length !== this.document.nodes.length) throw new Error('the pipeline has a cycle; validate it first');
    return order;
  }
}
