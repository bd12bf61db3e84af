/**
 * What one run may cost, so a small hostile or mistaken file cannot make the
 * engine write thousands of files or gigabytes: how many nodes it executes,
 * how many files it exports, and how many bytes it writes (cache entries and
 * exports). The first two are checked on the plan, before anything runs; the
 * last as the run goes, failing the nodes that would start past it.
 */
import type { PortSpec } from '@reelgraph/nodes';
import type { Catalog } from '../catalog.ts';
import type { PipelineIssue } from '../pipeline/pipeline-issue.ts';
import type { PipelineGraph } from '../plan/pipeline-graph.ts';
import type { RunPlan } from '../plan/plan-run.ts';
import { formatBytes } from '../format-bytes.ts';

export interface RunBudget {
  /** Node executions (nodes with identical inputs execute once). */
  nodes: number;
  /** Executions of nodes that write a file (exports). */
  files: number;
  /** Bytes written to the cache and to exported files. */
  bytesWritten: number;
}

export const DEFAULT_RUN_BUDGET: RunBudget = {
  nodes: 2_000,
  files: 100,
  bytesWritten: 64 * 1024 ** 3,
};

/** Issues for a plan that would go past the budget; empty when it fits. */
export function checkPlanBudget(plan: RunPlan, graph: PipelineGraph, catalog: Catalog, budget: RunBudget): PipelineIssue[] {
  const executions = plan.execute.filter((id) => !plan.sameAs.has(id));
  const files = executions.filter((id) => writesFile(graph, catalog, id));
  const issues: PipelineIssue[] = [];
  if (executions.length > budget.nodes) {
    issues.push({
      code: 'budget',
      message: `This run would execute ${executions.length} nodes; a run may execute at most ${budget.nodes}. Run part of it (choose targets) or raise the budget (--max-nodes).`,
    });
  }
  if (files.length > budget.files) {
    issues.push({
      code: 'budget',
      message: `This run would write ${files.length} files; a run may write at most ${budget.files}. Remove exports or raise the budget (--max-files).`,
    });
  }
  return issues;
}

export function writesFile(graph: PipelineGraph, catalog: Catalog, id: string): boolean {
  const definition = catalog.get(graph.nodes.get(id)?.type ?? '');
  return Object.values((definition?.outputs ?? {}) as Record<string, PortSpec>).some((spec) => spec.type === 'FILE');
}

/** Counts what a run writes; past the budget, says so in a sentence. */
export class WriteMeter {
  #written = 0;

  constructor(readonly budgetBytes: number) {}

  get written(): number {
    return this.#written;
  }

  add(bytes: number): void {
    this.#written += bytes;
  }

  /** Counts `bytes` about to be written, or says why they may not be (a node stops mid-write, before the budget is passed). */
  admit(bytes: number): string | undefined {
    if (this.#written + bytes > this.budgetBytes) {
      return `This node would take the run past its budget of ${formatBytes(this.budgetBytes)} written (${formatBytes(this.#written)} so far), so it stops here. Raise the budget (--max-written) if this is meant.`;
    }
    this.#written += bytes;
    return undefined;
  }

  /** Why no more node may start, or undefined while the run is within its budget. */
  exhausted(): string | undefined {
    if (this.#written <= this.budgetBytes) return undefined;
    return `This run has written ${formatBytes(this.#written)}, more than its budget of ${formatBytes(this.budgetBytes)}; no more nodes start. Raise the budget (--max-written) if this is meant.`;
  }
}
