/**
 * The engine ↔ client protocol (engine/PROTOCOL.md): JSON messages
 * `{ type, …payload }` over the WebSocket at `/ws`. Every client (the editor,
 * scripts, tests) imports these types; the engine validates what it receives
 * with `clientMessageSchema` and answers a malformed message with `error`.
 */
import { z } from 'zod';
import type { CatalogEntry } from '@reelgraph/nodes';
import { LIBRARY_ID, libraryDefinitionsSchema, type LibraryEntry, type LibraryEntrySummary } from '../library/graph-library.ts';
import { reusableGraphSchema } from '../pipeline/pipeline-document.ts';
import type { PipelineIssue } from '../pipeline/pipeline-issue.ts';
import type { NodeState, RunStats, RunStatus } from '../run/run-events.ts';

/** Bumped on any incompatible change; a client speaking another version is told so in `error`. */
export const PROTOCOL_VERSION = 1;

const runId = z.string().min(1).max(100).regex(/^[A-Za-z0-9_.:-]+$/, 'use letters, digits, "_", "-", ".", ":"');

const modelId = z.string().min(1).max(200);

const libraryId = z.string().min(1).max(64).regex(LIBRARY_ID, 'use letters, digits, "_" and "-"');

const definitionId = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z0-9_][A-Za-z0-9_.-]*$/, 'use letters, digits, "_", "-" and "." only');

export const clientMessageSchema = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('hello'), protocolVersion: z.number().int(), client: z.string().max(200).optional() }),
  z.strictObject({
    type: z.literal('run'),
    runId: runId.optional(),
    pipeline: z.unknown(),
    targets: z.array(z.string().max(64)).max(1000).optional(),
    noCache: z.boolean().optional(),
  }),
  z.strictObject({ type: z.literal('validate'), requestId: z.string().max(100).optional(), pipeline: z.unknown() }),
  z.strictObject({ type: z.literal('results'), requestId: z.string().max(100).optional(), pipeline: z.unknown() }),
  z.strictObject({ type: z.literal('cancel'), runId }),
  z.strictObject({ type: z.literal('subscribe'), runId }),
  z.strictObject({ type: z.literal('list-runs') }),
  z.strictObject({ type: z.literal('run-pipeline'), runId }),
  z.strictObject({ type: z.literal('models.verify'), id: modelId.optional() }),
  z.strictObject({ type: z.literal('models.remove'), id: modelId }),
  z.strictObject({ type: z.literal('models.pull'), pullId: runId.optional(), source: z.string().min(1).max(2000) }),
  z.strictObject({ type: z.literal('library.list') }),
  z.strictObject({ type: z.literal('library.get'), id: libraryId }),
  z.strictObject({
    type: z.literal('library.save'),
    definitionId,
    definition: reusableGraphSchema,
    definitions: libraryDefinitionsSchema.optional(),
  }),
  z.strictObject({ type: z.literal('library.remove'), id: libraryId }),
]);

export type ClientMessage = z.infer<typeof clientMessageSchema>;

/** A value's shape as clients see it, plus where to fetch it when it has pixels. */
export type OutputSummary = Record<string, unknown> & { kind: string; url?: string };

export interface NodeSnapshot {
  state: NodeState;
  key: string;
  error?: string;
  progress?: { done: number; total: number };
  outputs?: Record<string, OutputSummary>;
}

export type RunPhase = 'queued' | 'running' | 'finished';

/** One run in the queue or its history, for lists; times are ISO 8601. */
export interface RunSummary {
  runId: string;
  /** The pipeline's name. */
  name: string;
  phase: RunPhase;
  status?: RunStatus;
  stats?: RunStats;
  submittedAt: string;
  startedAt?: string;
  finishedAt?: string;
  /** For a run not yet finished: 0 = running, n = n runs ahead of it. */
  position?: number;
  /** The files its nodes wrote (exports), with the URL that serves each. */
  files?: { nodeId: string; name: string; url: string }[];
}

/** An installed model, for pickers: `tasks` says which `param.model({ task })` params may use it. */
export interface ModelSummary {
  id: string;
  title: string;
  tasks: string[];
  description: string;
  /** What the weights may be used under, as the model's authors state it. */
  licence: string;
  /** The digest of its weights, which a saved pipeline records for each model it uses. */
  sha256: string;
  family: string;
  /** Built in models ship with Reelgraph and cannot be removed. */
  builtIn: boolean;
  /** Bytes of its files (0 for a built-in one). */
  bytes: number;
}

export type { LibraryEntry, LibraryEntrySummary };

export type ServerMessage =
  | {
      type: 'welcome';
      engineVersion: string;
      protocolVersion: number;
      device: { name: string; reasons: string[] };
      catalog: CatalogEntry[];
      models: ModelSummary[];
    }
  | { type: 'run.accepted'; runId: string; position: number }
  | { type: 'run.rejected'; runId: string; errors: PipelineIssue[] }
  /** The answer to `validate`: every problem of the pipeline (empty when it can run). */
  | { type: 'validation'; requestId?: string; errors: PipelineIssue[] }
  /** The results the cache holds for a pipeline's nodes, found without running anything: by node id. */
  | { type: 'results'; requestId?: string; nodes: Record<string, { key: string; outputs: Record<string, OutputSummary> }> }
  /** `worker`: on a farm, the worker that runs or ran the node. */
  | { type: 'node.status'; runId: string; nodeId: string; state: NodeState; key: string; error?: string; worker?: string }
  /** `preview` is a small JPEG as a data URL, sent now and then while a node works. */
  | { type: 'node.progress'; runId: string; nodeId: string; done: number; total: number; preview?: string }
  | { type: 'node.output'; runId: string; nodeId: string; key: string; outputs: Record<string, OutputSummary> }
  | { type: 'run.finished'; runId: string; status: RunStatus; stats: RunStats }
  /** The answer to `subscribe`: the run so far; live events follow. */
  | { type: 'run.state'; runId: string; phase: RunPhase; status?: RunStatus; stats?: RunStats; nodes: Record<string, NodeSnapshot> }
  /** The answer to `list-runs`: every run the engine remembers, oldest first. */
  | { type: 'runs'; runs: RunSummary[] }
  /** The pipeline a run was made from, to open again (embedded media named by hash; the engine holds it). */
  | { type: 'run.pipeline'; runId: string; pipeline: unknown }
  /** The models changed (pulled, removed): every client gets the new list. */
  | { type: 'models'; models: ModelSummary[] }
  | { type: 'models.verified'; results: { id: string; problems: string[] }[] }
  | { type: 'models.pull.progress'; pullId: string; id: string; file: string; done: number; total: number }
  | { type: 'models.pull.finished'; pullId: string; ok: true; id: string }
  | { type: 'models.pull.finished'; pullId: string; ok: false; error: string }
  /** The answer to `library.list`, and to every client after a save or a removal: the library's graphs, by name. */
  | { type: 'library'; entries: LibraryEntrySummary[] }
  /** The answer to `library.get`: the whole entry, with the definitions it uses. */
  | { type: 'library.entry'; entry: LibraryEntry }
  /** The answer to `library.save`, to the client that saved (every client also gets `library`). */
  | { type: 'library.saved'; id: string; name: string }
  | { type: 'error'; code: ErrorCode; message: string; runId?: string };

export type ErrorCode = 'bad-message' | 'protocol-version' | 'unknown-run' | 'model' | 'library' | 'server';
