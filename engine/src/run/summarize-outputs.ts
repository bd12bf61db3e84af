import { summarizeValue, type Outputs } from '@reelgraph/nodes';

/** A node's outputs as clients see them: each port's shape and size, never its pixels. */
export function summarize(outputs: Outputs): Record<string, Record<string, unknown>> {
  return Object.fromEntries(Object.entries(outputs).map(([port, value]) => [port, summarizeValue(value)]));
}
