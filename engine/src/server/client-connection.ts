/**
 * One WebSocket client: parses and checks its messages, answers them, and
 * forwards the events of the runs it follows. A malformed message gets an
 * `error` naming what is wrong; it never closes the socket or reaches others.
 */
import { randomUUID } from 'node:crypto';
import type { WebSocket } from 'ws';
import type { Catalog } from '../catalog.ts';
import { loadPipelineValue, type LoadedPipeline } from '../pipeline/load-pipeline.ts';
import { clipEchoes, PipelineInvalidError } from '../pipeline/pipeline-issue.ts';
import { PIPELINE_LIMITS, structureProblem, tooLargeMessage } from '../pipeline/pipeline-limits.ts';
import { clientMessageSchema, PROTOCOL_VERSION, type ClientMessage, type ServerMessage } from '../protocol/protocol.ts';
import { isModelProblem, type ModelService } from '../models/model-service.ts';
import { LibraryProblem, type GraphLibrary } from '../library/graph-library.ts';
import { QueuedRun, type RunListener, type RunQueue } from './run-queue.ts';

/**
 * The largest message handled: a whole pipeline plus the envelope around it.
 * The socket itself refuses frames past `MAX_FRAME_BYTES` (close 1009) before
 * reading them, so a message in between is answered in words.
 */
const MAX_MESSAGE_BYTES = PIPELINE_LIMITS.fileBytes + 64 * 1024;
export const MAX_FRAME_BYTES = MAX_MESSAGE_BYTES + 1024 * 1024;

/** A slow client first loses progress messages (never state changes) once this much is waiting to be sent. */
const BACKPRESSURE_BYTES = 8 * 1024 * 1024;

export interface ConnectionContext {
  catalog: Catalog;
  queue: RunQueue;
  models: ModelService;
  /** The library of reusable graphs (`<data dir>/library/`). */
  library: GraphLibrary;
  /** Sends to every connected client (a changed library). */
  broadcast: (message: ServerMessage) => void;
  /** What the cache holds for a loaded pipeline's nodes, with URLs that serve it. */
  results: (pipeline: LoadedPipeline) => Promise<Extract<ServerMessage, { type: 'results' }>['nodes']>;
  welcome: () => Promise<ServerMessage>;
  log?: (message: string) => void;
}

export class ClientConnection {
  readonly #followed = new Map<string, RunListener>();
  /** Messages are handled one after another, in the order sent: a `cancel` never overtakes its `run`. */
  #inbox: Promise<void> = Promise.resolve();

  constructor(
    private readonly socket: WebSocket,
    private readonly context: ConnectionContext,
  ) {
    socket.on('message', (data, isBinary) => {
      const bytes = messageBytes(data);
      const text = isBinary || bytes > MAX_MESSAGE_BYTES ? undefined : data.toString();
      this.#inbox = this.#inbox.then(() =>
        this.#receive(text, bytes).catch((error: Error) =>
          this.send({ type: 'error', code: 'server', message: `The engine failed to handle a message: ${error.message}` }),
        ),
      );
    });
    // A malformed frame (bad UTF-8, reserved opcode, a payload over the limit)
    // surfaces here; `ws` then closes this socket with the matching code
    // (1007, 1002, 1009). Without a listener it would take the whole server down.
    socket.on('error', (error) => this.context.log?.(`A client sent a malformed frame and was disconnected: ${error.message}`));
    socket.on('close', () => this.#unfollowAll());
  }

  send(message: ServerMessage): void {
    if (this.socket.readyState !== this.socket.OPEN) return;
    if (message.type === 'node.progress' && this.socket.bufferedAmount > BACKPRESSURE_BYTES) return;
    this.socket.send(JSON.stringify(message));
  }

  async #receive(text: string | undefined, bytes: number): Promise<void> {
    if (bytes > MAX_MESSAGE_BYTES) return this.#reject(tooLargeMessage(bytes, 'The message') ?? 'The message is too large.');
    if (text === undefined) return this.#reject('Messages are JSON text, not binary.');
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      return this.#reject('The message is not valid JSON.');
    }
    // The pipeline a `run` carries sits one level down.
    const problem = structureProblem(json, { what: 'The message', depth: PIPELINE_LIMITS.depth + 1 });
    if (problem) return this.#reject(problem);
    const parsed = clientMessageSchema.safeParse(json);
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      const where = issue.path.length > 0 ? ` at "${issue.path.join('.')}"` : '';
      return this.#reject(`The message is not one this engine understands${where}: ${issue.message}.`);
    }
    await this.#handle(parsed.data);
  }

  async #handle(message: ClientMessage): Promise<void> {
    switch (message.type) {
      case 'hello':
        if (message.protocolVersion !== PROTOCOL_VERSION) {
          this.send({
            type: 'error',
            code: 'protocol-version',
            message: `This engine speaks protocol version ${PROTOCOL_VERSION}, the client ${message.protocolVersion}; update the older one.`,
          });
        }
        this.send(await this.context.welcome());
        return;
      case 'run':
        return this.#run(message);
      case 'validate':
        return this.#validate(message);
      case 'results':
        return this.#results(message);
      case 'cancel':
        if (!this.context.queue.cancel(message.runId)) this.#unknownRun(message.runId);
        return;
      case 'subscribe': {
        const run = this.context.queue.get(message.runId);
        if (!run) return this.#unknownRun(message.runId);
        this.send(run.state());
        if (run.phase !== 'finished') this.#follow(run);
        return;
      }
      case 'list-runs':
        this.send({ type: 'runs', runs: this.context.queue.list() });
        return;
      case 'run-pipeline': {
        const run = this.context.queue.get(message.runId);
        if (!run) return this.#unknownRun(message.runId);
        this.send({ type: 'run.pipeline', runId: run.id, pipeline: run.record().pipeline });
        return;
      }
      case 'models.verify':
        return this.#modelAction(async () => this.send({ type: 'models.verified', results: await this.context.models.verify(message.id) }));
      case 'models.remove':
        return this.#modelAction(() => this.context.models.remove(message.id));
      case 'models.pull': {
        const pullId = message.pullId ?? randomUUID();
        // Not awaited: a download may take minutes, and this client's other messages must not wait behind it.
        void this.context.models
          .pull(message.source, (progress) => this.send({ type: 'models.pull.progress', pullId, ...progress }))
          .then((result) => this.send({ type: 'models.pull.finished', pullId, ...result }));
        return;
      }
      case 'library.list':
        return this.#libraryAction(async () => this.send(await this.#libraryList()));
      case 'library.get':
        return this.#libraryAction(async () => this.send({ type: 'library.entry', entry: await this.context.library.get(message.id) }));
      case 'library.save':
        return this.#libraryAction(async () => {
          const { definitionId, definition, definitions } = message;
          const entry = await this.context.library.save({ definitionId, definition, ...(definitions ? { definitions } : {}) });
          this.send({ type: 'library.saved', id: entry.id, name: entry.definition.name });
          this.context.broadcast(await this.#libraryList());
        });
      case 'library.remove':
        return this.#libraryAction(async () => {
          await this.context.library.remove(message.id);
          this.context.broadcast(await this.#libraryList());
        });
      default:
        return unreachable(message);
    }
  }

  async #run(message: Extract<ClientMessage, { type: 'run' }>): Promise<void> {
    const runId = message.runId ?? randomUUID();
    if (this.context.queue.has(runId)) {
      this.send({ type: 'error', code: 'bad-message', message: `A run with id "${runId}" exists already; use a new id.`, runId });
      return;
    }
    try {
      const pipeline = loadPipelineValue(message.pipeline, this.context.catalog);
      const issues = await this.context.queue.check(pipeline, message.targets);
      if (issues.length > 0) throw new PipelineInvalidError(issues);
      const run = new QueuedRun(runId, pipeline, message.targets, message.noCache ?? false);
      this.#follow(run);
      await this.context.queue.submit(run, (position) => this.send({ type: 'run.accepted', runId, position }));
    } catch (error) {
      if (!(error instanceof PipelineInvalidError)) throw error;
      this.send({ type: 'run.rejected', runId, errors: error.issues });
    }
  }

  async #validate(message: Extract<ClientMessage, { type: 'validate' }>): Promise<void> {
    const requestId = message.requestId !== undefined ? { requestId: message.requestId } : {};
    try {
      const pipeline = loadPipelineValue(message.pipeline, this.context.catalog);
      this.send({ type: 'validation', ...requestId, errors: await this.context.queue.check(pipeline, undefined) });
    } catch (error) {
      if (!(error instanceof PipelineInvalidError)) throw error;
      this.send({ type: 'validation', ...requestId, errors: error.issues });
    }
  }

  async #results(message: Extract<ClientMessage, { type: 'results' }>): Promise<void> {
    const requestId = message.requestId !== undefined ? { requestId: message.requestId } : {};
    try {
      this.send({ type: 'results', ...requestId, nodes: await this.context.results(loadPipelineValue(message.pipeline, this.context.catalog)) });
    } catch (error) {
      // An invalid pipeline has no results to show; validation says why.
      if (!(error instanceof PipelineInvalidError)) throw error;
      this.send({ type: 'results', ...requestId, nodes: {} });
    }
  }

  #follow(run: QueuedRun): void {
    if (this.#followed.has(run.id)) return;
    const listener: RunListener = (message) => {
      this.send(message);
      if (message.type === 'run.finished') {
        run.listeners.delete(listener);
        this.#followed.delete(run.id);
      }
    };
    run.listeners.add(listener);
    this.#followed.set(run.id, listener);
  }

  #unfollowAll(): void {
    for (const [runId, listener] of this.#followed) this.context.queue.get(runId)?.listeners.delete(listener);
    this.#followed.clear();
  }

  /** A model action whose failure is the model's (missing, built in, damaged) is answered in words; anything else is the engine's. */
  async #modelAction(action: () => Promise<void>): Promise<void> {
    try {
      await action();
    } catch (error) {
      if (!isModelProblem(error)) throw error;
      this.send({ type: 'error', code: 'model', message: error.message });
    }
  }

  /** The library's list; files that cannot be used are left out, and the log says why. */
  async #libraryList(): Promise<Extract<ServerMessage, { type: 'library' }>> {
    const { entries, skipped } = await this.context.library.list();
    for (const { file, reason } of skipped) this.context.log?.(`Library: skipped ${file}: ${reason}`);
    return { type: 'library', entries };
  }

  /** A library action refused for the entry's sake (missing, too large, full) is answered in words; anything else is the engine's. */
  async #libraryAction(action: () => Promise<void>): Promise<void> {
    try {
      await action();
    } catch (error) {
      if (!(error instanceof LibraryProblem)) throw error;
      this.send({ type: 'error', code: 'library', message: error.message });
    }
  }

  #reject(message: string): void {
    this.send({ type: 'error', code: 'bad-message', message: clipEchoes(message) });
  }

  #unknownRun(runId: string): void {
    this.send({ type: 'error', code: 'unknown-run', message: `No run "${runId}" is known to this engine (it may have finished long ago).`, runId });
  }
}

function messageBytes(data: Buffer | ArrayBuffer | Buffer[]): number {
  if (Array.isArray(data)) return data.reduce((sum, part) => sum + part.length, 0);
  return data.byteLength;
}

function unreachable(message: never): never {
  throw new Error(`Unhandled message ${JSON.stringify(message)}`);
}
