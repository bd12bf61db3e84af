/**
 * @reelgraph/engine — load and validate pipeline files, plan and evaluate them
 * with a per-node cache, and report every state change as an event.
 */
export { Catalog } from './catalog.ts';
export { resolveDataDir } from './data-dir.ts';
export { Engine, type EngineOptions, type PreparedRun, type RunRequest, type RunResult } from './engine.ts';
export { NodeCache, DEFAULT_CACHE_BUDGET } from './cache/node-cache.ts';
export { loadPipelineFile, loadPipelineText, loadPipelineValue, type LoadedPipeline } from './pipeline/load-pipeline.ts';
export { migrateDocument, MIGRATIONS, type Migration } from './pipeline/migrations.ts';
export {
  PIPELINE_FORMAT,
  PIPELINE_VERSION,
  pipelineSchema,
  type PipelineDocument,
  type PipelineEdge,
  type PipelineNode,
  type ReusableGraph,
} from './pipeline/pipeline-document.ts';
export { expandReusableGraphs, GRAPH_TYPE_PREFIX, isGraphUse, outermostUse } from './pipeline/reusable-graphs.ts';
export { formatIssue, PipelineInvalidError, type PipelineIssue } from './pipeline/pipeline-issue.ts';
export { cacheKey } from './plan/cache-key.ts';
export type { RunPlan } from './plan/plan-run.ts';
export type { NodeState, RunEvent, RunStats, RunStatus } from './run/run-events.ts';
export { createScheduler, type Scheduler } from './run/scheduler.ts';
export {
  clientMessageSchema,
  PROTOCOL_VERSION,
  type ClientMessage,
  type LibraryEntry,
  type LibraryEntrySummary,
  type ModelSummary,
  type NodeSnapshot,
  type OutputSummary,
  type RunPhase,
  type RunSummary,
  type ServerMessage,
} from './protocol/protocol.ts';
export { GraphLibrary, libraryIdFor, LibraryProblem, LIBRARY_LIMITS } from './library/graph-library.ts';
export { DEFAULT_HOST, DEFAULT_PORT, startServer, type RunningServer, type ServerOptions } from './server/reelgraph-server.ts';
