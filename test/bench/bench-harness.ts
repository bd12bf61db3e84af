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
  /** What subject and baseline are measured by: their time (the default), or the peak RSS in bytes they resolve with. */
  measure?: 'time' | 'peak RSS';
  /** Run one untimed round first (default true); off for cases whose rounds take minutes and warm nothing. */
  warmUp?: boolean;
  /** Once before timing; may return a teardown. */
  setup?(): Promise<void>;
  teardown?(): Promise<void>;
  subject(): Promise<void | number>;
  baseline(): Promise<void | number>;
  /** Extra columns from the subject's median (time, or bytes), e.g. per-node cost or frames per second. */
  detail?(subject: number, baseline: number): string;
}

export interface BenchResult {
  name: string;
  baselineName: string;
  measure: 'time' | 'peak RSS';
  /** Milliseconds, or bytes for peak RSS. */
  subject: number;
  baseline: number;
  ratio: number;
  detail: string;
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

async function time(work: () => Promise<void | number>): Promise<number> {
  const start = performance.now();
  await work();
  return performance.now() - start;
}

async function peakRss(work: () => Promise<void | number>): Promise<number> {
  const bytes = await work();
  if (typeof bytes !== 'number') throw new Error('a peak RSS case must resolve with the bytes it measured');
  return bytes;
}

export async function runCase(bench: BenchCase): Promise<BenchResult> {
  await bench.setup?.();
  try {
    if (bench.warmUp ?? true) {
      // One untimed round warms caches and the JIT for both sides.
      await bench.subject();
      await bench.baseline();
    }
    const measure = bench.measure ?? 'time';
    const measured = measure === 'time' ? time : peakRss;
    const subjects: number[] = [];
    const baselines: number[] = [];
    for (let i = 0; i < bench.runs; i++) {
      subjects.push(await measured(() => bench.subject()));
      baselines.push(await measured(() => bench.baseline()));
    }
    const subject = median(subjects);
    const baseline = median(baselines);
    return {
      name: bench.name,
      baselineName: bench.baselineName,
      measure,
      subject,
      baseline,
      ratio: subject / baseline,
      detail: bench.detail?.(subject, baseline) ?? '',
    };
  } finally {
    await bench.teardown?.();
  }
}

function formatMeasure(result: BenchResult, value: number): string {
  switch (result.measure) {
    case 'time':
      return `${value.toFixed(1)} ms`;
    case 'peak RSS':
      return `${(value / 2 ** 20).toFixed(0)} MiB RSS`;
  }
}

export function formatTable(results: readonly BenchResult[]): string {
  const rows = [
    ['case', 'median', 'baseline', 'baseline median', 'ratio', 'detail'],
    ...results.map((r) => [r.name, formatMeasure(r, r.subject), r.baselineName, formatMeasure(r, r.baseline), `${r.ratio.toFixed(2)}×`, r.detail]),
  ];
  const widths = rows[0]!.map((_, column) => Math.max(...rows.map((row) => row[column]!.length)));
  const line = (row: string[]) => `| ${row.map((cell, i) => cell.padEnd(widths[i]!)).join(' | ')} |`;
  return [line(rows[0]!), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...rows.slice(1).map(line)].join('\n');
}
