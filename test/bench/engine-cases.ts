/** Engine overhead: validating and planning big graphs, and fully cached runs. */
import { createHash } from 'node:crypto';
import { copyFile, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Catalog, Engine, loadPipelineText, loadPipelineValue, type LoadedPipeline } from '@reelgraph/engine';
import { builtinNodes } from '@reelgraph/nodes';
import { REPO_ROOT } from '../support/run-cli.ts';
import type { BenchCase } from './bench-harness.ts';
import { editingPipeline, sinkPipeline } from './pipeline-fixtures.ts';

const catalog = new Catalog(builtinNodes);

export function validateAndPlanCase(groups = 400): BenchCase {
  let dir = '';
  let text = '';
  let engine: Engine;
  const nodeCount = groups * 5;
  return {
    name: `validate + plan, ${nodeCount} nodes`,
    baselineName: 'JSON.parse of the file',
    runs: 7,
    async setup() {
      dir = await mkdtemp(path.join(tmpdir(), 'reelgraph-bench-plan-'));
      await copyFile(path.join(REPO_ROOT, 'examples/two-clips/media/clip-a.mp4'), path.join(dir, 'clip.mp4'));
      text = JSON.stringify(editingPipeline(groups, 'clip.mp4'));
      engine = new Engine({ catalog, dataDir: path.join(dir, 'data') });
    },
    async teardown() {
      await rm(dir, { recursive: true, force: true });
    },
    async subject() {
      const pipeline = loadPipelineText(text, catalog, dir);
      const { plan } = await engine.plan({ pipeline });
      if (plan.execute.length !== nodeCount) throw new Error(`planned ${plan.execute.length} nodes`);
    },
    async baseline() {
      JSON.parse(text);
    },
    detail: (ms) => `${((ms * 1000) / nodeCount).toFixed(1)} µs/node`,
  };
}

export function cachedRunCase(count = 500): BenchCase {
  let dir = '';
  let engine: Engine;
  let pipeline: LoadedPipeline;
  const document = sinkPipeline(count);
  const paramTexts = document.nodes.map((n) => JSON.stringify(n.params));
  return {
    name: `fully cached run, ${count} nodes`,
    baselineName: 'sha256 of each node’s params',
    runs: 7,
    async setup() {
      dir = await mkdtemp(path.join(tmpdir(), 'reelgraph-bench-cached-'));
      engine = new Engine({ catalog, dataDir: dir });
      pipeline = loadPipelineValue(document, catalog);
      await engine.run({ pipeline });
    },
    async teardown() {
      await rm(dir, { recursive: true, force: true });
    },
    async subject() {
      let events = 0;
      const result = await engine.run({ pipeline }, () => events++);
      if (result.stats.executed !== 0 || result.stats.cached !== count) throw new Error('the run was not fully cached');
    },
    async baseline() {
      for (const text of paramTexts) createHash('sha256').update(text).digest('hex');
    },
    detail: (ms, baselineMs) => `${(((ms - baselineMs) * 1000) / count).toFixed(1)} µs/node engine overhead`,
  };
}
