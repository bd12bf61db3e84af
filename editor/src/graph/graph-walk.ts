/** Reachability over the document's wires: upstream sets (Run to here) and loop checks. */
import type { PipelineDocument } from '../document/pipeline-types.ts';

/** The ids of `start` and every node that feeds it, directly or not. */
export function upstreamOf(doc: PipelineDocument, start: string): Set<string> {
  return walk(start, (id) => doc.edges.filter((edge) => edge.to.node === id).map((edge) => edge.from.node));
}

/** The ids of `start` and every node it feeds, directly or not. */
export function downstreamOf(doc: PipelineDocument, start: string): Set<string> {
  return walk(start, (id) => doc.edges.filter((edge) => edge.from.node === id).map((edge) => edge.to.node));
}

function walk(start: string, next: (id: string) => string[]): Set<string> {
  const seen = new Set([start]);
  const queue = [start];
  for (let id = queue.pop(); id !== undefined; id = queue.pop()) {
    for (const neighbour of next(id)) {
      if (!seen.has(neighbour)) {
        seen.add(neighbour);
        queue.push(neighbour);
      }
    }
  }
  return seen;
}
