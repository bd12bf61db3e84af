/**
 * Malformed WebSocket frames against the real `reelgraph serve`: each one
 * closes its own socket with the code RFC 6455 names for it, and the engine
 * keeps serving everyone else — a run queued before still finishes, and a
 * new client still gets `welcome`.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeFrame, openRawWebSocket, type FrameSpec } from '../../support/raw-websocket.ts';
import { startServeProcess, type ServeProcess } from '../../support/serve-process.ts';
import { TestClient } from '../../support/test-server.ts';

let work: string;
let engine: ServeProcess;

beforeAll(async () => {
  work = await mkdtemp(path.join(tmpdir(), 'reelgraph-frames-'));
  engine = await startServeProcess(path.join(work, 'data'));
});
afterAll(async () => {
  await engine?.stop('SIGKILL');
  await rm(work, { recursive: true, force: true });
});

/** A run of a few seconds, so that it is still going while the bad frames arrive. */
const slowRun = {
  format: 'reelgraph.pipeline',
  version: 1,
  nodes: [
    { id: 'prompt', type: 'prompt', params: { text: 'misty forest at dawn' } },
    { id: 'shot', type: 'generate', params: { width: 256, height: 144, duration: 4, fps: 24, seed: 5 } },
  ],
  edges: [{ from: { node: 'prompt', port: 'prompt' }, to: { node: 'shot', port: 'prompt' } }],
};

const INVALID_UTF8 = Uint8Array.from([0x7b, 0x22, 0xc3, 0x28, 0xff, 0xfe, 0x22, 0x7d]);

const cases: { name: string; frames: FrameSpec[]; code: number }[] = [
  { name: 'text frame with invalid UTF-8', frames: [{ opcode: 0x1, payload: INVALID_UTF8 }], code: 1007 },
  { name: 'reserved data opcode 0x3', frames: [{ opcode: 0x3, payload: Buffer.from('{}') }], code: 1002 },
  { name: 'reserved control opcode 0xB', frames: [{ opcode: 0xb }], code: 1002 },
  { name: 'RSV1 set without an extension', frames: [{ opcode: 0x1, rsv: 4, payload: Buffer.from('{}') }], code: 1002 },
  { name: 'unmasked client frame', frames: [{ opcode: 0x1, masked: false, payload: Buffer.from('{"type":"hello"}') }], code: 1002 },
  { name: 'control frame longer than 125 bytes', frames: [{ opcode: 0x9, payload: new Uint8Array(200) }], code: 1002 },
  { name: 'fragmented control frame', frames: [{ opcode: 0x9, fin: false }], code: 1002 },
  { name: 'continuation with nothing to continue', frames: [{ opcode: 0x0, payload: Buffer.from('x') }], code: 1002 },
  // An honest client sending one message over the limit announces it in the header: refused before any payload is read.
  { name: 'header announcing more than the message limit', frames: [{ opcode: 0x1, declaredLength: 65 * 1024 ** 2 }], code: 1009 },
  { name: 'header announcing 2^53 - 1 bytes', frames: [{ opcode: 0x2, declaredLength: Number.MAX_SAFE_INTEGER }], code: 1009 },
];

describe('malformed frames close one socket, never the engine', () => {
  it('runs a job across every bad frame, then still welcomes a new client', async () => {
    const runner = await TestClient.connect(`ws://127.0.0.1:${engine.port}/ws`);
    runner.send({ type: 'run', runId: 'survivor', pipeline: slowRun });
    await runner.next('run.accepted', (m) => m.runId === 'survivor');

    for (const { name, frames, code } of cases) {
      const raw = await openRawWebSocket(engine.port);
      for (const frame of frames) raw.send(encodeFrame(frame));
      expect(await raw.closed, name).toBe(code);
      expect(engine.alive(), `${name}: ${engine.output().stderr}`).toBe(true);
    }

    const finished = await runner.next('run.finished', (m) => m.runId === 'survivor', 120_000);
    expect(finished.status).toBe('succeeded');
    expect(finished.stats.executed).toBe(2);

    const late = await TestClient.connect(`ws://127.0.0.1:${engine.port}/ws`);
    late.send({ type: 'hello', protocolVersion: 1 });
    expect((await late.next('welcome')).protocolVersion).toBe(1);
    runner.socket.terminate();
    late.socket.terminate();
    expect(engine.output().stderr).toContain('malformed frame');
  });

  it('a peer that resets the connection after a refused handshake leaves the engine up', async () => {
    // The engine answers 403 to a foreign Origin and ends the socket; a reset arriving meanwhile
    // raised an 'error' on that socket, which nothing handled.
    for (let i = 0; i < 20; i++) {
      const socket = connect(engine.port, '127.0.0.1');
      socket.on('error', () => undefined);
      await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
      socket.write(
        `GET /ws HTTP/1.1\r\nHost: 127.0.0.1:${engine.port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
          `Sec-WebSocket-Key: ${Buffer.alloc(16, i).toString('base64')}\r\nSec-WebSocket-Version: 13\r\nOrigin: http://evil.example\r\n\r\n`,
      );
      socket.resetAndDestroy();
    }
    const client = await TestClient.connect(`ws://127.0.0.1:${engine.port}/ws`);
    client.send({ type: 'hello', protocolVersion: 1 });
    await client.next('welcome');
    client.socket.terminate();
    expect(engine.alive(), engine.output().stderr).toBe(true);
  });
});
