/** `pnpm bench`: every benchmark, printed as one table; `pnpm bench pan drag` runs the cases whose names contain a word given. */
import { formatTable, runCase, type BenchResult } from './bench-harness.ts';
import { cacheEntryCase } from './cache-case.ts';
import { cachedRunCase, validateAndPlanCase } from './engine-cases.ts';
import { dragFramesCase, layoutCase, openPipelineCase, panFramesCase } from './editor-cases.ts';
import { diffusionStepCase } from './diffusion-step.ts';
import { fullSizeShotCase } from './full-size-shot-case.ts';
import { exportCase } from './export-case.ts';
import { farmOverheadCase, farmScalingCase } from './farm-cases.ts';
import { generateCase, kenBurnsCase, kenBurnsEngineCase, kenBurnsStreamedCase } from './generate-cases.ts';
import { storyboardMemoryCase } from './storyboard-memory-case.ts';
import { interpolateCase } from './interpolate-case.ts';
import { upscaleCase } from './upscale-case.ts';
import { cachedRunOverSocketCase, helloRoundTripCase, progressBroadcastCase } from './server-cases.ts';

const cases = [validateAndPlanCase(), cachedRunCase(), cacheEntryCase(), exportCase(), helloRoundTripCase(), cachedRunOverSocketCase(), progressBroadcastCase(), generateCase(512, 288, 2), generateCase(1280, 720, 1), kenBurnsCase(), kenBurnsEngineCase(), kenBurnsStreamedCase(), upscaleCase(), interpolateCase(), diffusionStepCase(true), diffusionStepCase(false), fullSizeShotCase(), storyboardMemoryCase(), farmOverheadCase(), farmScalingCase(), openPipelineCase(), panFramesCase(), dragFramesCase(), layoutCase(100), layoutCase(500)];

const words = process.argv.slice(2).map((word) => word.toLowerCase());
const chosen = words.length === 0 ? cases : cases.filter((bench) => words.some((word) => bench.name.toLowerCase().includes(word)));
if (chosen.length === 0) {
  console.error(`No benchmark name contains ${words.join(' or ')}. The benchmarks:\n${cases.map((bench) => `  ${bench.name}`).join('\n')}`);
  process.exit(2);
}

const results: BenchResult[] = [];
for (const bench of chosen) {
  process.stderr.write(`running: ${bench.name}…\n`);
  results.push(await runCase(bench));
}
console.log(formatTable(results));
