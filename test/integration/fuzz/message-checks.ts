/**
 * What the engine owes each client message (see client-messages.fuzz.test.ts):
 * the message and a probe are sent, and the answers before the probe's answer
 * are checked against what the published schema makes of the message.
 */
import { clientMessageSchema, type ClientMessage } from '@reelgraph/engine';
import { preview } from './clean-text.ts';
import type { ClientCase } from './client-message-arbitraries.ts';
import { DEEPEST_ACCEPTABLE } from './document-checks.ts';
import { depthOf, hasOwnKeyAnywhere } from './json-tools.ts';
import { missingRequiredFileParams } from './pipeline-arbitraries.ts';
import { expectServerMessage, RUN_EVENT_TYPES, type RecordingClient } from './server-messages.ts';

const ANSWER_TIMEOUT_MS = 30_000;

/**
 * Real messages nest about seven deep (run → pipeline → nodes → node → params →
 * keyframes → keyframe). One far deeper, or with a `__proto__` key, may be
 * refused as malformed (`bad-message`) before its type is looked at, instead
 * of getting the type's own refusal; it must never be accepted.
 */
const STRUCTURE_DEPTH = 20;

type Expectation = { kind: 'bad-message' } | { kind: 'message'; message: ClientMessage; mayBeMalformed: boolean; mustRefuse: boolean };

/** What the engine's published schema makes of the frame, as the server will see it (UTF-8 decoded). */
export function classify(frame: string | Uint8Array): Expectation {
  if (typeof frame !== 'string') return { kind: 'bad-message' };
  let json: unknown;
  try {
    json = JSON.parse(Buffer.from(frame, 'utf8').toString('utf8'));
  } catch {
    return { kind: 'bad-message' };
  }
  const parsed = clientMessageSchema.safeParse(json);
  if (!parsed.success) return { kind: 'bad-message' };
  const depth = depthOf(json);
  const proto = hasOwnKeyAnywhere(json, '__proto__');
  return { kind: 'message', message: parsed.data, mayBeMalformed: proto || depth > STRUCTURE_DEPTH, mustRefuse: proto || depth > DEEPEST_ACCEPTABLE };
}

function describeAnswers(answers: Record<string, unknown>[]): string {
  return answers.length === 0 ? 'no answer' : answers.map((a) => preview(JSON.stringify(a), 300)).join(' + ');
}

function expectAnswers(answers: Record<string, unknown>[], ok: boolean, what: string): void {
  if (!ok) throw new Error(`${what}; got ${describeAnswers(answers)}`);
}

export class MessageChecker {
  probes = 0;
  sent = 0;
  /** Every run id the server accepted from us, and whether it was cancelled (by us or by a fuzz message). */
  readonly accepted = new Map<string, { cancelled: boolean }>();
  readonly answers = new Map<string, number>();

  /** `leftToFinish`: accepted runs left to finish on their own; the others are cancelled at once, so a batch ends promptly. */
  constructor(
    private readonly client: RecordingClient,
    private leftToFinish: number,
  ) {}

  /** Sends the frame and a probe; checks every message up to the probe's answer; returns the direct answers. */
  async exchange(frame: string | Uint8Array): Promise<Record<string, unknown>[]> {
    const from = this.client.received.length;
    this.client.send(frame);
    const probe = `probe-${++this.probes}`;
    this.client.send(JSON.stringify({ type: 'validate', requestId: probe, pipeline: null }));
    const end = await this.client.waitFor((m) => m.type === 'validation' && m.requestId === probe, from, ANSWER_TIMEOUT_MS, `the answer to ${probe}`);
    const window = this.client.received.slice(from, end + 1);
    for (const r of window) expectServerMessage(r);
    return window
      .slice(0, -1)
      .map((r) => r.message!)
      .filter((m) => !RUN_EVENT_TYPES.has(m.type as string));
  }

  async check(c: ClientCase): Promise<void> {
    this.sent++;
    const expectation = classify(c.frame);
    const answers = await this.exchange(c.frame);
    for (const a of answers) {
      const kind = a.type === 'error' ? `error ${String(a.code)}` : String(a.type);
      this.answers.set(kind, (this.answers.get(kind) ?? 0) + 1);
    }
    const one = answers.length === 1 ? answers[0]! : undefined;

    if (expectation.kind === 'bad-message') {
      expectAnswers(answers, one?.type === 'error' && one.code === 'bad-message', 'a malformed message must get exactly one error "bad-message"');
      return;
    }
    const message = expectation.message;
    const malformed = one?.type === 'error' && one.code === 'bad-message';
    if (expectation.mayBeMalformed && malformed) return;
    switch (message.type) {
      case 'hello':
        if (message.protocolVersion === 1) expectAnswers(answers, one?.type === 'welcome', 'hello must get exactly one welcome');
        else {
          expectAnswers(
            answers,
            answers.length === 2 && answers[0]!.type === 'error' && answers[0]!.code === 'protocol-version' && answers[1]!.type === 'welcome',
            'hello of another version must get error "protocol-version", then welcome',
          );
        }
        return;
      case 'validate':
        expectAnswers(answers, one?.type === 'validation' && one.requestId === message.requestId, 'validate must get exactly one validation with its requestId');
        if (expectation.mustRefuse) expectAnswers(answers, Array.isArray(one?.errors) && one.errors.length > 0, 'validate of a pipeline with a "__proto__" key or extreme nesting must report errors');
        return;
      case 'cancel':
      case 'subscribe': {
        const known = this.accepted.has(message.runId);
        const unknownRun = one?.type === 'error' && one.code === 'unknown-run' && one.runId === message.runId;
        if (message.type === 'cancel') {
          expectAnswers(
            answers,
            known ? answers.length === 0 || unknownRun : unknownRun,
            known ? 'cancel of a run must get no answer (or unknown-run once forgotten)' : 'cancel of an unknown run must get error "unknown-run"',
          );
          if (known) this.accepted.get(message.runId)!.cancelled = true;
        } else {
          const runState = one?.type === 'run.state' && one.runId === message.runId;
          expectAnswers(
            answers,
            known ? runState || unknownRun : unknownRun,
            known ? 'subscribe must get run.state (or unknown-run once forgotten)' : 'subscribe to an unknown run must get error "unknown-run"',
          );
        }
        return;
      }
      case 'run': {
        const duplicate =
          one?.type === 'error' && one.code === 'bad-message' && message.runId !== undefined && one.runId === message.runId && this.accepted.has(message.runId);
        const decided = (one?.type === 'run.accepted' || one?.type === 'run.rejected') && (message.runId === undefined || one.runId === message.runId);
        expectAnswers(answers, decided || duplicate, 'run must get exactly one run.accepted or run.rejected with its runId');
        if (one?.type !== 'run.accepted') return;
        const runId = String(one.runId);
        this.accepted.set(runId, { cancelled: false });
        const pipeline = message.pipeline;
        if (hasOwnKeyAnywhere(pipeline, '__proto__')) throw new Error('a run whose pipeline has a "__proto__" key was accepted');
        if (depthOf(pipeline) > DEEPEST_ACCEPTABLE) throw new Error(`a run whose pipeline nests ${depthOf(pipeline)} levels was accepted`);
        const missing = missingRequiredFileParams(pipeline as Parameters<typeof missingRequiredFileParams>[0]);
        if (missing.length > 0) throw new Error(`a run was accepted with node "${missing[0]!.nodeId}" missing its required "${missing[0]!.param}"`);
        if (this.leftToFinish > 0) {
          this.leftToFinish--;
        } else {
          this.accepted.get(runId)!.cancelled = true;
          const afterCancel = await this.exchange(JSON.stringify({ type: 'cancel', runId }));
          expectAnswers(afterCancel, afterCancel.length === 0, `cancelling the accepted run ${runId} must get no answer`);
        }
        return;
      }
      default: {
        // Message types added to the protocol after these checks were written: `list-runs` (answered by `runs`).
        const type = (message as { type: string }).type;
        if (type === 'list-runs') {
          expectAnswers(answers, one?.type === 'runs', 'list-runs must get exactly one runs');
          return;
        }
        // The library: `library.list` is answered by `library`, `library.get` by its entry or a `library` error.
        if (type === 'library.list') {
          expectAnswers(answers, one?.type === 'library', 'library.list must get exactly one library');
          return;
        }
        if (type === 'library.get') {
          expectAnswers(answers, one?.type === 'library.entry' || (one?.type === 'error' && one.code === 'library'), 'library.get must get exactly one library.entry or error "library"');
          return;
        }
        throw new Error(`the schema accepts message type "${type}", which message-checks.ts does not know; teach it what the answer should be`);
      }
    }
  }

  /** Waits for every accepted run's run.finished; a run nobody cancelled must not end "cancelled". */
  async waitForRuns(timeoutMs: number): Promise<void> {
    for (const [runId, { cancelled }] of this.accepted) {
      const index = await this.client.waitFor((m) => m.type === 'run.finished' && m.runId === runId, 0, timeoutMs, `run.finished of ${runId}`);
      const status = this.client.received[index]!.message!.status;
      if (!cancelled && status === 'cancelled') throw new Error(`run ${runId} ended "cancelled", but nobody cancelled it`);
    }
  }

  summary(): string {
    const answers = [...this.answers].map(([type, n]) => `${n} ${type}`).join(', ');
    return `${this.sent} sent (plus ${this.probes} probes), ${this.accepted.size} runs accepted; answers: ${answers}`;
  }
}
