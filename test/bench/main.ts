/** `pnpm bench`: every benchmark, printed as one table. */
import { formatTable, runCase, type BenchResult } from './bench-harness.ts';
import { cachedRunCase, validateAndPlanCase } from './engine-cases.ts';
import { dragFramesCase, layoutCase, openPipelineCase, panFramesCase } from './editor-cases.ts';
import { exportCase } from './export-case.ts';
import { generateCase, kenBurnsCase } from './generate-cases.ts';
import { cachedRunOverSocketCase, helloRoundTripCase, progressBroadcastCase } from './server-cases.ts';

const cases = [validateAndPlanCase(), cachedRunCase(), exportCase(), helloRoundTripCase(), cachedRunOverSocketCase(), progressBroadcastCase(), generateCase(512, 288, 2), generateCase(1280, 720, 1), kenBurnsCase(), openPipelineCase(), panFramesCase(), dragFramesCase(), layoutCase(100), layoutCase(500)];

const results: BenchResult[] = [];
for (const bench of cases) {
  process.stderr.write(`running: ${bench.name}…\n`);
  results.push(await runCase(bench));
}
console.log(formatTable(results));
