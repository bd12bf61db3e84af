/**
 * What every pipeline document must get from the engine, in process: a load
 * that returns or refuses cleanly, then media checks and a plan that resolve or
 * refuse cleanly, and for cheap documents a run that ends with a status and
 * clean node errors. Each check throws an Error naming what went wrong.
 */
import { realpath } from 'node:fs/promises';
import path from 'node:path';
import { loadPipelineText, loadPipelineValue, PipelineInvalidError, type Catalog, type Engine, type LoadedPipeline, type PipelineIssue, type RunEvent } from '@reelgraph/engine';
import { describeThrown, expectClean, expectCleanIssues, withTimeout } from './clean-text.ts';
import { depthOf, hasOwnKeyAnywhere } from './json-tools.ts';
import { missingRequiredFileParams, type PipelineCase } from './pipeline-arbitraries.ts';

/** Any sensible depth limit is far below this; a document this deep must be refused. */
export const DEEPEST_ACCEPTABLE = 1_000;
/** A media check or plan of one document taking longer than this is a hang. */
const STEP_TIMEOUT_MS = 20_000;
const RUN_TIMEOUT_MS = 60_000;

export interface DocumentCounts {
  generated: number;
  refused: number;
  loaded: number;
  mediaRefused: number;
  planned: number;
  ran: number;
  succeeded: number;
  failed: number;
}

type LoadOutcome = { ok: true; loaded: LoadedPipeline } | { ok: false; issues: PipelineIssue[] };

export function listIssues(issues: PipelineIssue[]): string {
  return issues.map((i) => `${i.code}${i.nodeId !== undefined ? ` (node ${JSON.stringify(i.nodeId)}${i.param !== undefined ? `, param ${JSON.stringify(i.param)}` : ''})` : ''}: ${i.message}`).join(' | ');
}

/** Calls a loader: a result, or a PipelineInvalidError with clean issues; anything else fails. */
export function attemptLoad(what: string, load: () => LoadedPipeline): LoadOutcome {
  try {
    return { ok: true, loaded: load() };
  } catch (error) {
    if (!(error instanceof PipelineInvalidError)) throw new Error(`${what} threw instead of refusing with PipelineInvalidError: ${describeThrown(error)}`);
    expectCleanIssues(error.issues, what);
    return { ok: false, issues: error.issues };
  }
}

export class DocumentChecker {
  readonly counts: DocumentCounts = { generated: 0, refused: 0, loaded: 0, mediaRefused: 0, planned: 0, ran: 0, succeeded: 0, failed: 0 };
  #runNumber = 0;
  #allowedRoots: string[] | undefined;

  constructor(
    private readonly catalog: Catalog,
    private readonly engine: Engine,
    /** The pipeline folder for cases `withFolder`. */
    private readonly folder: string,
  ) {}

  /** Loads the case through text and value, checks every promise the loaders make, and returns what loaded. */
  load(c: PipelineCase): LoadedPipeline | undefined {
    this.counts.generated++;
    const baseDir = c.withFolder ? this.folder : undefined;
    const fromText = attemptLoad('loadPipelineText', () => loadPipelineText(c.text, this.catalog, baseDir));

    let value: unknown = c.value;
    let parsedFromText = false;
    if (value === undefined) {
      try {
        value = JSON.parse(c.text);
        parsedFromText = true;
      } catch {
        // Not JSON: only the text path applies, and it must have refused.
        if (fromText.ok) throw new Error('loadPipelineText loaded text that JSON.parse refuses');
        this.counts.refused++;
        return undefined;
      }
    }
    const fromValue = attemptLoad('loadPipelineValue', () => loadPipelineValue(value, this.catalog, baseDir));
    if (parsedFromText && fromText.ok !== fromValue.ok) {
      const refused = fromText.ok ? fromValue : fromText;
      throw new Error(
        `the text and value paths disagree: ${fromText.ok ? 'text loaded' : 'text refused'}, ${fromValue.ok ? 'value loaded' : 'value refused'}` +
          (refused.ok ? '' : ` (${listIssues(refused.issues)})`),
      );
    }

    const depth = depthOf(value);
    if (depth > DEEPEST_ACCEPTABLE && fromValue.ok) throw new Error(`a document nested ${depth} levels deep was accepted`);
    if (hasOwnKeyAnywhere(value, '__proto__') && fromValue.ok) throw new Error('a document with a "__proto__" key was accepted');

    if (!fromValue.ok) {
      this.counts.refused++;
      return undefined;
    }
    const missing = missingRequiredFileParams(fromValue.loaded.document);
    if (missing.length > 0) {
      throw new Error(
        `validation accepted ${missing.map((m) => `node "${m.nodeId}" without its required param "${m.param}"`).join(', ')}; it must refuse it, naming the node and the param`,
      );
    }
    this.counts.loaded++;
    return fromValue.loaded;
  }

  /** Media issues of a loaded document, checked clean; true when there are none. */
  async mediaOk(loaded: LoadedPipeline): Promise<boolean> {
    let issues: PipelineIssue[];
    try {
      issues = await withTimeout(this.engine.checkMedia(loaded), STEP_TIMEOUT_MS, 'checkMedia');
    } catch (error) {
      throw new Error(`checkMedia threw: ${describeThrown(error)}`);
    }
    if (issues.length === 0) return true;
    expectCleanIssues(issues, 'checkMedia');
    this.counts.mediaRefused++;
    return false;
  }

  async plan(loaded: LoadedPipeline): Promise<void> {
    let prepared;
    try {
      prepared = await withTimeout(this.engine.plan({ pipeline: loaded }), STEP_TIMEOUT_MS, 'plan');
    } catch (error) {
      if (!(error instanceof PipelineInvalidError)) throw new Error(`plan threw instead of refusing with PipelineInvalidError: ${describeThrown(error)}`);
      expectCleanIssues(error.issues, 'plan');
      this.counts.mediaRefused++;
      return;
    }
    this.#allowedRoots ??= [await realpath(this.folder), path.join(await realpath(this.engine.dataDir), 'assets')];
    for (const [nodeId, values] of prepared.params) {
      for (const [param, value] of Object.entries(values)) {
        if (value === null || typeof value !== 'object' || !('path' in value) || !('sha256' in value)) continue;
        const real = await realpath(String(value.path));
        if (!this.#allowedRoots.some((root) => real === root || real.startsWith(`${root}${path.sep}`))) {
          throw new Error(`node "${nodeId}" param "${param}" resolved to ${real}, outside the pipeline folder and the asset store`);
        }
      }
    }
    this.counts.planned++;
  }

  /** Load, check media and plan. */
  async examine(c: PipelineCase): Promise<void> {
    const loaded = this.load(c);
    if (loaded && (await this.mediaOk(loaded))) await this.plan(loaded);
  }

  /** Load, check media and run to the end (cheap cases only). */
  async run(c: PipelineCase): Promise<void> {
    if (!c.cheap) throw new Error('only cheap cases may run');
    const loaded = this.load(c);
    if (!loaded || !(await this.mediaOk(loaded))) return;
    const events: RunEvent[] = [];
    const controller = new AbortController();
    const runId = `fuzz-${++this.#runNumber}`;
    let result;
    try {
      result = await withTimeout(
        this.engine.run({ pipeline: loaded, runId, signal: controller.signal }, (event) => events.push(event)),
        RUN_TIMEOUT_MS,
        'the run',
        () => controller.abort(),
      );
    } catch (error) {
      if (!(error instanceof PipelineInvalidError)) throw new Error(`engine.run threw instead of finishing: ${describeThrown(error)}`);
      expectCleanIssues(error.issues, 'engine.run');
      this.counts.mediaRefused++;
      return;
    }
    if (result.status !== 'succeeded' && result.status !== 'failed') throw new Error(`a run nobody cancelled ended "${result.status}"`);
    const finished = events.filter((e) => e.type === 'run.finished');
    if (finished.length !== 1 || finished[0]!.status !== result.status) throw new Error(`the run reported ${finished.length} run.finished events for status ${result.status}`);
    for (const event of events) {
      if (event.type === 'node.status' && event.error !== undefined) expectClean(event.error, `node "${event.nodeId}" (${event.state})`);
    }
    if (result.status === 'failed' && !events.some((e) => e.type === 'node.status' && e.state === 'error')) {
      throw new Error('the run failed without any node reporting an error');
    }
    this.counts.ran++;
    this.counts[result.status]++;
  }

  /** A document missing required media must be refused by both loaders, with an issue naming the node and the param. */
  missingRequired(c: PipelineCase & { expected: { nodeId: string; param: string } }): void {
    this.counts.generated++;
    const baseDir = c.withFolder ? this.folder : undefined;
    for (const [what, load] of [
      ['loadPipelineValue', () => loadPipelineValue(JSON.parse(c.text), this.catalog, baseDir)],
      ['loadPipelineText', () => loadPipelineText(c.text, this.catalog, baseDir)],
    ] as const) {
      const outcome = attemptLoad(what, load);
      if (outcome.ok) throw new Error(`${what} accepted node "${c.expected.nodeId}" without its "${c.expected.param}"`);
      if (!outcome.issues.some((i) => i.nodeId === c.expected.nodeId && i.param === c.expected.param)) {
        throw new Error(`${what} refused, but no issue names node "${c.expected.nodeId}" and param "${c.expected.param}": ${listIssues(outcome.issues)}`);
      }
    }
    this.counts.refused++;
  }

  summary(): string {
    const c = this.counts;
    return (
      `${c.generated} generated, ${c.refused} refused at load, ${c.loaded} loaded ` +
      `(${c.mediaRefused} refused for media, ${c.planned} planned), ${c.ran} ran (${c.succeeded} succeeded, ${c.failed} failed)`
    );
  }
}
