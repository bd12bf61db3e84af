/**
 * Property-based fuzzing of pipeline documents, in process: over ten thousand
 * hostile documents per run (at scale 1), each either refused with clean
 * issues (PipelineInvalidError, every message a sentence with no trace of an
 * exception) or loaded, after which media checks and planning also end in a
 * result or a clean refusal. A sample of cheap valid documents runs for real.
 *
 * Properties that must also hold (document-checks.ts):
 * - text and value paths agree (the same JSON is refused by both or neither);
 * - a document nested deeper than DEEPEST_ACCEPTABLE levels is refused;
 * - a document with a `__proto__` key anywhere is refused;
 * - a node missing a required media param is refused at validation, naming the node and the param;
 * - every file a plan resolves lies inside the pipeline's folder or the asset store;
 * - a run nobody cancels ends succeeded or failed, and a failed one says which node failed.
 *
 * Seed and scale: see fuzz-settings.ts.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { Catalog, Engine } from '@reelgraph/engine';
import { builtinNodes } from '@reelgraph/nodes';
import { DocumentChecker } from './document-checks.ts';
import { announce, checkProperty, fcParams, fuzzTimeout } from './fuzz-settings.ts';
import {
  createPipelineFolder,
  deepDocumentArb,
  missingRequiredParamArb,
  mutatedDocumentArb,
  pipelineShapedArb,
  randomTextArb,
  randomValueArb,
  reservedKeyDocumentArb,
  runnableDocumentArb,
  type PipelineCase,
} from './pipeline-arbitraries.ts';

/** Runs per property at scale 1: 10,030 documents in all. */
const RUNS = {
  mutated: 4_000,
  reservedKeys: 1_000,
  missingRequired: 400,
  pipelineShaped: 1_500,
  randomValues: 1_500,
  randomText: 1_000,
  deep: 600,
  cheapRuns: 30,
};

let dataDir: string;
let folder: string;
let checker: DocumentChecker;

announce('pipeline documents');

beforeAll(async () => {
  dataDir = await mkdtemp(path.join(tmpdir(), 'reelgraph-fuzz-data-'));
  folder = await createPipelineFolder();
  const catalog = new Catalog(builtinNodes);
  checker = new DocumentChecker(catalog, new Engine({ catalog, dataDir, warn: () => undefined }), folder);
});

afterAll(async () => {
  if (checker) console.log(`[fuzz] pipeline documents: ${checker.summary()}`);
  await rm(dataDir, { recursive: true, force: true });
  await rm(folder, { recursive: true, force: true });
});

const examine = (arb: fc.Arbitrary<PipelineCase>) => fc.asyncProperty(arb, (c) => checker.examine(c));

describe('hostile pipeline documents get a clean refusal or a clean result', () => {
  it('mutated valid documents (examples and small graphs)', async () => {
    await checkProperty('mutated documents', examine(mutatedDocumentArb()), fcParams(RUNS.mutated));
  }, fuzzTimeout(30_000));

  it('__proto__, constructor and prototype keys at every level', async () => {
    await checkProperty('reserved keys', examine(reservedKeyDocumentArb), fcParams(RUNS.reservedKeys));
  }, fuzzTimeout(10_000));

  it('a node without its required media is refused at validation, naming node and param', async () => {
    await checkProperty('missing required params', fc.property(missingRequiredParamArb, (c) => checker.missingRequired(c)), fcParams(RUNS.missingRequired));
  }, fuzzTimeout(10_000));

  it('pipeline-shaped random documents', async () => {
    await checkProperty('pipeline-shaped random', examine(pipelineShapedArb), fcParams(RUNS.pipelineShaped));
  }, fuzzTimeout(15_000));

  it('random JSON and random JS values', async () => {
    await checkProperty('random values', examine(randomValueArb), fcParams(RUNS.randomValues));
  }, fuzzTimeout(10_000));

  it('random and damaged text', async () => {
    await checkProperty('random text', examine(randomTextArb), fcParams(RUNS.randomText));
  }, fuzzTimeout(10_000));

  it('extreme nesting anywhere in a document', async () => {
    await checkProperty('deep documents', examine(deepDocumentArb), fcParams(RUNS.deep));
  }, fuzzTimeout(20_000));

  it('cheap valid documents run to a status with clean node errors', async () => {
    await checkProperty('cheap runs', fc.asyncProperty(runnableDocumentArb, (c) => checker.run(c)), fcParams(RUNS.cheapRuns));
  }, fuzzTimeout(60_000));
});
