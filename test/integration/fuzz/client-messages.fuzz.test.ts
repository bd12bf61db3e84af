/**
 * Property-based fuzzing of client messages over a real socket to a real
 * engine server (startTestServer): two thousand messages per run at scale 1,
 * valid and hostile, each followed by a probe (`validate` with a fresh
 * requestId) so the answers to each message are exactly those before the
 * probe's answer (message-checks.ts).
 *
 * Each message that deserves an answer gets a well-formed one of the types in
 * protocol.ts: a malformed one exactly one `error` `bad-message`, a `hello` a
 * `welcome`, a `run` `run.accepted` or `run.rejected`, a `validate` its
 * `validation`, a `cancel` or `subscribe` of an unknown run `unknown-run`, a
 * `list-runs` its `runs`. What counts as malformed is what the published
 * `clientMessageSchema` refuses (a message with a `__proto__` key or nested
 * far deeper than any real one may also be refused as malformed).
 * Never an `error` with code `server`, never a stack trace. A pipeline with a
 * `__proto__` key, extreme nesting or a node missing required media is never
 * accepted. After the batch every accepted run finishes (the few left to run
 * succeed or fail, never "cancelled" unless cancelled), a fresh client is
 * welcomed, and a small valid run succeeds.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, TestClient, type TestServer } from '../../support/test-server.ts';
import { clientMessageArb } from './client-message-arbitraries.ts';
import { announce, checkProperty, fcParams, fuzzTimeout, runsAtScale } from './fuzz-settings.ts';
import { MessageChecker } from './message-checks.ts';
import { TINY_RUN } from './pipeline-arbitraries.ts';
import { expectServerMessage, RecordingClient } from './server-messages.ts';

const MESSAGES = 2_000;
/** Accepted runs left to finish on their own; the others are cancelled as soon as they are accepted. */
const RUNS_LEFT_TO_FINISH = 12;

let server: TestServer;
let client: RecordingClient;
let checker: MessageChecker;

announce('client messages');

beforeAll(async () => {
  server = await startTestServer();
  client = await RecordingClient.connect(server.wsUrl);
  checker = new MessageChecker(client, Math.min(runsAtScale(RUNS_LEFT_TO_FINISH), 300));
});

afterAll(async () => {
  if (checker) console.log(`[fuzz] client messages: ${checker.summary()}`);
  await client?.close();
  await server?.dispose();
});

describe('client messages over a real socket', () => {
  it('every message gets a well-formed answer, never a server error', async () => {
    await checkProperty('client messages', fc.asyncProperty(clientMessageArb, (c) => checker.check(c)), fcParams(MESSAGES));
  }, fuzzTimeout(60_000));

  it('after the batch, every accepted run finishes and a fresh client still works', async () => {
    const batchEnd = client.received.length;
    await checker.waitForRuns(120_000);
    for (const r of client.received.slice(batchEnd)) expectServerMessage(r);

    const fresh = await TestClient.connect(server.wsUrl);
    try {
      fresh.send({ type: 'hello', protocolVersion: 1, client: 'fuzz-after' });
      expect((await fresh.next('welcome')).protocolVersion).toBe(1);
      fresh.send({ type: 'run', runId: 'after-the-fuzz', pipeline: TINY_RUN });
      await fresh.next('run.accepted', (m) => m.runId === 'after-the-fuzz');
      const finished = await fresh.next('run.finished', (m) => m.runId === 'after-the-fuzz', 60_000);
      expect(finished.status).toBe('succeeded');
    } finally {
      await fresh.close();
    }
  }, fuzzTimeout(120_000));
});
