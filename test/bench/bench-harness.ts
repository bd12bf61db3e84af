/**
 * Benchmarks as ratios: each case times its subject and a baseline doing the
 * irreducible part of the same work, interleaved in the same run, and reports
 * medians of several runs. Absolute times vary between machines; the ratio is
 * the figure to watch.
 */
export interface BenchCase {
  name: string;
  baselineName: string;
  runs: number;
  /** Once before timing; may return a teardown. */
  setup?(): Promise<void>;
  teardown?(): Promise<void>;
  subject(): Promise<void>;
  baseline(): Promise<void>;
  /** Extra columns from the subject's median time, e.g. per-node cost or frames per second. */
  detail?(subjectMs: number, baselineMs: number): string;
}

export interface BenchResult {
  name: string;
  baselineName: string;
  subjectMs: number;
  baselineMs: number;
  ratio: number;
  detail: string;
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

async function time(work: () => Promise<void>): Promise<number> {
  const start = performance.now();
  await work();
  return performance.now() - start;
}

export async function runCase(bench: BenchCase): Promise<BenchResult> {
  await bench.setup?.();
  try {
    // One untimed round warms caches and the JIT for both sides.
    await bench.subject();
    await bench.baseline();
    const subject: number[] = [];
    const baseline: number[] = [];
    for (let i = 0; i < bench.runs; i++) {
      subject.push(await time(() => bench.subject()));
      baseline.push(await time(() => bench.baseline()));
    }
    const subjectMs = median(subject);
    const baselineMs = median(baseline);
    return {
      name: bench.name,
      baselineName: bench.baselineName,
      subjectMs,
      baselineMs,
      ratio: subjectMs / baselineMs,
      detail: bench.detail?.(subjectMs, baselineMs) ?? '',
    };
  } finally {
    await bench.teardown?.();
  }
}

export function formatTable(results: readonly BenchResult[]): string {
  const rows = [
    ['case', 'median', 'baseline', 'baseline median', 'ratio', 'detail'],
    ...results.map((r) => [r.name, `${r.subjectMs.toFixed(1)} ms`, r.baselineName, `${r.baselineMs.toFixed(1)} ms`, `${r.ratio.toFixed(2)}×`, r.detail]),
  ];
  const widths = rows[0]!.map((_, column) => Math.max(...rows.map((row) => row[column]!.length)));
  const line = (row: string[]) => `| ${row.map((cell, i) => cell.padEnd(widths[i]!)).join(' | ')} |`;
  return [line(rows[0]!), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...rows.slice(1).map(line)].join('\n');
}
