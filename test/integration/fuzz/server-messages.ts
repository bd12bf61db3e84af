/**
 * A socket client that records every frame the engine sends, raw, and a
 * checker for the messages in it: each must be JSON of one of the types in
 * engine/src/protocol/protocol.ts, well formed, never an `error` with code
 * `server` (the engine failing to handle a message), and with clean text.
 */
import WebSocket from 'ws';
import { expectClean, expectCleanIssues, preview } from './clean-text.ts';

export interface Received {
  /** Parsed JSON; undefined when the frame was not JSON. */
  message: Record<string, unknown> | undefined;
  text: string;
  binary: boolean;
}

export class RecordingClient {
  readonly received: Received[] = [];
  closed: { code: number; reason: string } | undefined;
  readonly #waiters = new Set<() => void>();

  private constructor(readonly socket: WebSocket) {
    socket.on('message', (data, isBinary) => {
      const text = Buffer.isBuffer(data) ? data.toString('utf8') : Buffer.concat(data as Buffer[]).toString('utf8');
      let message: Record<string, unknown> | undefined;
      try {
        const parsed: unknown = JSON.parse(text);
        if (parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed)) message = parsed as Record<string, unknown>;
      } catch {
        message = undefined;
      }
      this.received.push({ message, text, binary: isBinary });
      for (const wake of [...this.#waiters]) wake();
    });
    socket.on('close', (code, reason) => {
      this.closed = { code, reason: reason.toString() };
      for (const wake of [...this.#waiters]) wake();
    });
    socket.on('error', () => undefined);
  }

  static async connect(url: string): Promise<RecordingClient> {
    const socket = new WebSocket(url, { maxPayload: 256 * 1024 * 1024 });
    await new Promise<void>((resolve, reject) => {
      socket.once('open', () => resolve());
      socket.once('error', reject);
      socket.once('unexpected-response', (_request, response) => reject(new Error(`HTTP ${response.statusCode}`)));
    });
    return new RecordingClient(socket);
  }

  send(frame: string | Uint8Array): void {
    this.socket.send(frame, { binary: typeof frame !== 'string' });
  }

  /** The index of the first message from `from` on that matches, waiting up to `timeoutMs` for it. */
  async waitFor(match: (m: Record<string, unknown>) => boolean, from: number, timeoutMs: number, what: string): Promise<number> {
    const find = () => this.received.findIndex((r, i) => i >= from && r.message !== undefined && match(r.message));
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const index = find();
      if (index >= 0) return index;
      if (this.closed) throw new Error(`the server closed the socket (${this.closed.code} ${this.closed.reason}) before ${what}`);
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`no ${what} within ${timeoutMs} ms (a hang)`);
      await new Promise<void>((resolve) => {
        const wake = () => {
          this.#waiters.delete(wake);
          clearTimeout(timer);
          resolve();
        };
        const timer = setTimeout(wake, left);
        this.#waiters.add(wake);
      });
    }
  }

  async close(): Promise<void> {
    if (this.socket.readyState === WebSocket.CLOSED) return;
    await new Promise<void>((resolve) => {
      this.socket.once('close', () => resolve());
      this.socket.close();
      setTimeout(() => {
        this.socket.terminate();
        resolve();
      }, 2_000).unref();
    });
  }
}

const NODE_STATES = new Set(['queued', 'cached', 'running', 'done', 'error', 'cancelled', 'skipped']);
const RUN_STATUSES = new Set(['succeeded', 'failed', 'cancelled']);
const RUN_PHASES = new Set(['queued', 'running', 'finished']);
const ERROR_CODES = new Set(['bad-message', 'protocol-version', 'unknown-run', 'server']);
/** Messages about a run's progress, which may arrive at any time for runs the client follows. */
export const RUN_EVENT_TYPES = new Set(['node.status', 'node.progress', 'node.output', 'run.finished']);

function isText(value: unknown): value is string {
  return typeof value === 'string';
}
function isCount(value: unknown): boolean {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0;
}
function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function expectStats(stats: unknown, where: string): void {
  if (!isRecord(stats) || !['executed', 'cached', 'ms'].every((k) => Number.isInteger(stats[k]) && (stats[k] as number) >= 0)) {
    throw new Error(`${where}: stats ${preview(JSON.stringify(stats))} are not { executed, cached, ms } counts`);
  }
}

/** No string anywhere in the message may carry a stack trace. */
function expectNoStackTrace(value: unknown, where: string): void {
  const stack: unknown[] = [value];
  while (stack.length > 0) {
    const current = stack.pop();
    if (typeof current === 'string') {
      if (/\n\s+at \S/.test(current) || /Maximum call stack/.test(current)) throw new Error(`${where}: a string carries a stack trace: ${preview(current)}`);
    } else if (current !== null && typeof current === 'object') {
      stack.push(...Object.values(current));
    }
  }
}

/** Throws unless `r` is a well-formed server message with clean text. */
export function expectServerMessage(r: Received): void {
  const where = `server message ${preview(r.text, 200)}`;
  if (r.binary) throw new Error(`${where}: sent as a binary frame`);
  const m = r.message;
  if (!m) throw new Error(`${where}: not a JSON object`);
  expectNoStackTrace(m, where);
  const want = (ok: boolean, what: string) => {
    if (!ok) throw new Error(`${where}: ${what}`);
  };
  switch (m.type) {
    case 'welcome':
      want(isText(m.engineVersion) && typeof m.protocolVersion === 'number', 'engineVersion or protocolVersion missing');
      want(isRecord(m.device) && isText(m.device.name) && Array.isArray(m.device.reasons) && m.device.reasons.every(isText), 'device is not { name, reasons[] }');
      want(Array.isArray(m.catalog) && m.catalog.length > 0 && Array.isArray(m.models), 'catalog or models missing');
      return;
    case 'run.accepted':
      want(isText(m.runId) && Number.isInteger(m.position) && (m.position as number) >= 0, 'not { runId, position }');
      return;
    case 'run.rejected':
      want(isText(m.runId), 'runId missing');
      expectCleanIssues(m.errors, `run.rejected ${preview(String(m.runId), 40)}`);
      return;
    case 'validation':
      want(m.requestId === undefined || isText(m.requestId), 'requestId is not text');
      expectCleanIssues(m.errors, 'validation', { allowEmpty: true });
      return;
    case 'node.status':
      want(isText(m.runId) && isText(m.nodeId) && isText(m.key) && NODE_STATES.has(m.state as string), 'not { runId, nodeId, state, key }');
      if (m.error !== undefined) expectClean(m.error, `node.status of node ${preview(String(m.nodeId), 40)} (${String(m.state)})`);
      return;
    case 'node.progress':
      want(isText(m.runId) && isText(m.nodeId) && isCount(m.done) && isCount(m.total), 'not { runId, nodeId, done, total }');
      want(m.preview === undefined || (isText(m.preview) && m.preview.startsWith('data:image/jpeg;base64,')), 'preview is not a JPEG data URL');
      return;
    case 'node.output':
      want(isText(m.runId) && isText(m.nodeId) && isText(m.key) && isRecord(m.outputs), 'not { runId, nodeId, key, outputs }');
      for (const [port, summary] of Object.entries(m.outputs as Record<string, unknown>)) {
        want(isRecord(summary) && isText(summary.kind) && (summary.url === undefined || (isText(summary.url) && summary.url.startsWith('/media/'))), `output ${port} is not { kind, url? }`);
      }
      return;
    case 'run.finished':
      want(isText(m.runId) && RUN_STATUSES.has(m.status as string), 'not { runId, status }');
      expectStats(m.stats, where);
      return;
    case 'run.state':
      want(isText(m.runId) && RUN_PHASES.has(m.phase as string) && isRecord(m.nodes), 'not { runId, phase, nodes }');
      want(m.status === undefined || RUN_STATUSES.has(m.status as string), 'status is not a run status');
      if (m.stats !== undefined) expectStats(m.stats, where);
      for (const [nodeId, node] of Object.entries(m.nodes as Record<string, unknown>)) {
        want(isRecord(node) && NODE_STATES.has(node.state as string) && isText(node.key), `node ${nodeId} is not { state, key }`);
        if (isRecord(node) && node.error !== undefined) expectClean(node.error, `run.state node ${preview(nodeId, 40)}`);
      }
      return;
    case 'runs':
      want(Array.isArray(m.runs), 'runs is not a list');
      for (const run of m.runs as unknown[]) {
        want(isRecord(run) && isText(run.runId) && isText(run.name) && RUN_PHASES.has(run.phase as string) && isText(run.submittedAt), `run ${preview(JSON.stringify(run), 200)} is not { runId, name, phase, submittedAt }`);
        const r = run as Record<string, unknown>;
        want(r.status === undefined || RUN_STATUSES.has(r.status as string), 'a run status is not a run status');
        want(r.position === undefined || (Number.isInteger(r.position) && (r.position as number) >= 0), 'a run position is not a count');
        if (r.stats !== undefined) expectStats(r.stats, where);
      }
      return;
    case 'error':
      want(ERROR_CODES.has(m.code as string), `unknown error code ${JSON.stringify(m.code)}`);
      want(m.runId === undefined || isText(m.runId), 'runId is not text');
      if (m.code === 'server') throw new Error(`the engine failed to handle a message (error code "server"): ${preview(String(m.message), 600)}`);
      expectClean(m.message, `error ${String(m.code)}`);
      return;
    default:
      throw new Error(`${where}: type ${JSON.stringify(m.type)} is not a server message type`);
  }
}
