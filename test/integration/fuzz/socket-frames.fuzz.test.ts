/**
 * Property-based fuzzing of raw WebSocket frames against the real
 * `reelgraph serve` child process: about three hundred connections per run at
 * scale 1, each with one to four arbitrary frames or raw bytes (frame-
 * arbitraries.ts), run a few at a time.
 *
 * After each connection's bytes, the server has closed it (with a close code
 * valid on the wire, never 1011 "internal error" unless the client sent it)
 * or the connection still works: a hello gets a welcome, and every message
 * the server sent is a well-formed server message. A connection whose
 * headers lie may instead leave the server waiting for bytes that never
 * come. The process stays alive throughout, prints no stack trace, and at the
 * end a normal client is welcomed and a tiny run succeeds.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeFrame, openRawWebSocket, serverFrames, type RawConnection } from '../../support/raw-websocket.ts';
import { startServeProcess, type ServeProcess } from '../../support/serve-process.ts';
import { TestClient } from '../../support/test-server.ts';
import { connectionScriptArb, HELLO_BYTES, pieceBytes, type ConnectionScript } from './frame-arbitraries.ts';
import { announce, checkProperty, fcParams, fuzzTimeout } from './fuzz-settings.ts';
import { TINY_RUN } from './pipeline-arbitraries.ts';
import { expectServerMessage } from './server-messages.ts';

/** Batches of one to ten connections run side by side: about 300 connections in all. */
const BATCHES = 60;
/** How long a connection whose headers lie may sit silent before the client gives up on it. */
const LYING_GRACE_MS = 300;
/** An honest connection that neither answers nor closes in this time hangs. */
const HONEST_ANSWER_MS = 10_000;
/** Codes a server may put in a close frame (RFC 6455 §7.4). */
const VALID_CLOSE_CODES = (code: number) => (code >= 1000 && code <= 1003) || (code >= 1007 && code <= 1014) || (code >= 3000 && code <= 4999);

let work: string;
let engine: ServeProcess;
const counts = { connections: 0, frames: 0, closedByServer: 0, welcomed: 0, leftWaiting: 0, hungUpByClient: 0, restarts: 0 };

announce('socket frames');

beforeAll(async () => {
  work = await mkdtemp(path.join(tmpdir(), 'reelgraph-fuzz-frames-'));
  engine = await startServeProcess(path.join(work, 'data'));
});

afterAll(async () => {
  console.log(
    `[fuzz] socket frames: ${counts.connections} connections, ${counts.frames} frames; ${counts.closedByServer} closed by the server, ` +
      `${counts.welcomed} still answered hello, ${counts.leftWaiting} left waiting for lying lengths, ${counts.hungUpByClient} hung up by the client` +
      (counts.restarts > 0 ? `; the server died and was restarted ${counts.restarts} times` : ''),
  );
  await engine?.stop('SIGKILL');
  await rm(work, { recursive: true, force: true });
});

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function expectAlive(what: string): void {
  if (!engine.alive()) throw new Error(`reelgraph serve died ${what}:\n${engine.output().stderr.slice(-3_000)}`);
}

/**
 * A crashed server is restarted before the next batch, so that fast-check can
 * shrink the batch that killed it to the smallest one that still does.
 */
async function ensureEngine(): Promise<void> {
  if (engine.alive()) return;
  counts.restarts++;
  engine = await startServeProcess(path.join(work, `data-${counts.restarts}`));
}

/** Resolves true once a welcome arrives, false once the connection closes or the time is up. */
async function welcomed(raw: RawConnection, ms: number): Promise<boolean> {
  const deadline = Date.now() + ms;
  let closed = false;
  void raw.closed.then(() => (closed = true));
  while (Date.now() < deadline) {
    if (serverFrames(raw.received()).some((f) => f.opcode === 0x1 && f.payload.toString().includes('"type":"welcome"'))) return true;
    if (closed) return false;
    await sleep(10);
  }
  return false;
}

function checkServerBytes(raw: RawConnection, script: ConnectionScript): void {
  for (const frame of serverFrames(raw.received())) {
    if (frame.opcode === 0x1) expectServerMessage({ text: frame.payload.toString('utf8'), message: parseObject(frame.payload.toString('utf8')), binary: false });
    else if (frame.opcode === 0x2) throw new Error('the server sent a binary frame');
    else if (frame.opcode === 0x8 && frame.payload.length >= 2) {
      const code = frame.payload.readUInt16BE(0);
      if (!VALID_CLOSE_CODES(code)) throw new Error(`the server closed with code ${code}, which is not valid on the wire`);
      const clientSent1011 = script.pieces.some((p) => p.kind === 'frame' && p.spec.opcode === 0x8 && p.spec.payload?.[0] === 0x03 && p.spec.payload[1] === 0xf3);
      if (code === 1011 && !clientSent1011) throw new Error('the server closed with 1011 (internal error)');
    }
  }
}

function parseObject(text: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(text);
    return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

async function play(script: ConnectionScript): Promise<void> {
  counts.connections++;
  const raw = await openRawWebSocket(engine.port);
  let server = false;
  void raw.closed.then(() => (server = true));
  try {
    for (const piece of script.pieces) {
      raw.send(pieceBytes(piece));
      counts.frames++;
    }
    if (script.ending !== 'wait') {
      if (script.ending === 'reset') raw.socket.resetAndDestroy();
      else raw.socket.end();
      counts.hungUpByClient++;
      await Promise.race([raw.closed, sleep(2_000)]);
      return;
    }
    await Promise.race([raw.closed, sleep(50)]);
    if (!server) {
      raw.send(encodeFrame({ opcode: 0x1, payload: HELLO_BYTES }));
      if (await welcomed(raw, script.honest ? HONEST_ANSWER_MS : LYING_GRACE_MS)) counts.welcomed++;
      else if (!server && script.honest) throw new Error(`an honest connection neither closed nor answered hello within ${HONEST_ANSWER_MS} ms (a hang)`);
      else if (!server) counts.leftWaiting++;
    }
    if (server) counts.closedByServer++;
    checkServerBytes(raw, script);
  } finally {
    raw.socket.destroy();
  }
}

describe('raw frames against reelgraph serve', () => {
  it('every connection is closed by the server or stays usable, and the process lives', async () => {
    await checkProperty(
      'socket frames',
      // Each shrink step replays connections against the real process; a few dozen steps find a small case.
      fc.asyncProperty(fc.limitShrink(fc.array(connectionScriptArb, { minLength: 1, maxLength: 10 }), 60), async (scripts) => {
        await ensureEngine();
        const results = await Promise.allSettled(scripts.map(play));
        await Promise.race([engine.exited, sleep(50)]);
        expectAlive(`after ${scripts.length} connections`);
        const failed = results.findIndex((r) => r.status === 'rejected');
        if (failed >= 0) throw new Error(`connection ${failed}: ${((results[failed] as PromiseRejectedResult).reason as Error).message}`);
      }),
      fcParams(BATCHES),
    );
  }, fuzzTimeout(90_000));

  it('afterwards the process is alive, printed no stack trace, welcomes a client and runs a tiny pipeline', async () => {
    expect(counts.restarts, 'reelgraph serve died during the fuzz (see the first test)').toBe(0);
    expectAlive('after the fuzz');
    const client = await TestClient.connect(`ws://127.0.0.1:${engine.port}/ws`);
    try {
      client.send({ type: 'hello', protocolVersion: 1 });
      expect((await client.next('welcome')).protocolVersion).toBe(1);
      client.send({ type: 'run', runId: 'after-the-frames', pipeline: TINY_RUN });
      await client.next('run.accepted', (m) => m.runId === 'after-the-frames');
      expect((await client.next('run.finished', (m) => m.runId === 'after-the-frames', 60_000)).status).toBe('succeeded');
    } finally {
      client.socket.terminate();
    }
    const { stdout, stderr } = engine.output();
    expect(`${stdout}\n${stderr}`, 'reelgraph serve printed a stack trace').not.toMatch(/\n\s+at \S+.*:\d+:\d+/);
  }, fuzzTimeout(60_000));
});
