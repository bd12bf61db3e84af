/**
 * The engine server's overhead over the wire, each case against the same work
 * done without Reelgraph's protocol layer, in the same process and run:
 * - hello → welcome round trips, against a plain `ws` server answering each
 *   message with a reply of the same size;
 * - a fully cached run over the socket, against `engine.run` in-process;
 * - progress events broadcast to 10 clients through a real run, against a
 *   plain `ws` server sending the same number of same-shaped JSON messages.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Catalog, Engine, loadPipelineValue, PROTOCOL_VERSION, startServer, type LoadedPipeline, type ServerMessage } from '@reelgraph/engine';
import { builtinNodes, defineNode, param, port, type PromptValue } from '@reelgraph/nodes';
import WebSocket, { WebSocketServer } from 'ws';
import type { BenchCase } from './bench-harness.ts';
import { sinkPipeline } from './pipeline-fixtures.ts';

/** A `ws` client that hands each message to whoever waits for it next. */
class Wire {
  #handlers = new Set<(text: string) => void>();

  private constructor(readonly socket: WebSocket) {
    socket.on('message', (data) => {
      const text = data.toString();
      for (const handler of this.#handlers) handler(text);
    });
  }

  static async open(url: string): Promise<Wire> {
    const socket = new WebSocket(url);
    await new Promise<void>((resolve, reject) => {
      socket.once('open', () => resolve());
      socket.once('error', reject);
    });
    return new Wire(socket);
  }

  /** Resolves once `done` returns true for a received message. */
  until(done: (text: string) => boolean): Promise<void> {
    return new Promise((resolve) => {
      const handler = (text: string) => {
        if (!done(text)) return;
        this.#handlers.delete(handler);
        resolve();
      };
      this.#handlers.add(handler);
    });
  }

  /** Sends and resolves with the next message. */
  ask(text: string): Promise<string> {
    return new Promise((resolve) => {
      const handler = (reply: string) => {
        this.#handlers.delete(handler);
        resolve(reply);
      };
      this.#handlers.add(handler);
      this.socket.send(text);
    });
  }

  close(): void {
    this.socket.terminate();
  }
}

async function plainServer(onConnection: (socket: WebSocket) => void = () => undefined): Promise<{ wss: WebSocketServer; url: string }> {
  const wss = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  await new Promise<void>((resolve) => wss.once('listening', () => resolve()));
  wss.on('connection', onConnection);
  return { wss, url: `ws://127.0.0.1:${(wss.address() as AddressInfo).port}` };
}

function closePlain(wss: WebSocketServer): Promise<void> {
  for (const client of wss.clients) client.terminate();
  return new Promise((resolve) => wss.close(() => resolve()));
}

async function engineServer(catalog = new Catalog(builtinNodes)) {
  const dataDir = await mkdtemp(path.join(tmpdir(), 'reelgraph-bench-server-'));
  const engine = new Engine({ catalog, dataDir, warn: () => undefined });
  const server = await startServer({ engine, port: 0, log: () => undefined });
  return {
    engine,
    server,
    wsUrl: `ws://127.0.0.1:${server.port}/ws`,
    async dispose() {
      await server.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

const isType = (text: string, type: ServerMessage['type'], runId?: string) => {
  const message = JSON.parse(text) as ServerMessage;
  return message.type === type && (runId === undefined || ('runId' in message && message.runId === runId));
};

export function helloRoundTripCase(roundTrips = 50): BenchCase {
  let engine: Awaited<ReturnType<typeof engineServer>>;
  let plain: Awaited<ReturnType<typeof plainServer>>;
  let ours: Wire;
  let theirs: Wire;
  let welcomeBytes = 0;
  const hello = JSON.stringify({ type: 'hello', protocolVersion: PROTOCOL_VERSION, client: 'bench' });
  return {
    name: `hello → welcome round trip ×${roundTrips}`,
    baselineName: 'plain ws round trip, same-size reply',
    runs: 9,
    async setup() {
      engine = await engineServer();
      ours = await Wire.open(engine.wsUrl);
      const welcome = await ours.ask(hello);
      if (!isType(welcome, 'welcome')) throw new Error(`expected welcome, got ${welcome.slice(0, 100)}`);
      welcomeBytes = Buffer.byteLength(welcome);
      // The baseline answers with a message as big as the welcome (its catalog makes it large), so both move the same bytes.
      plain = await plainServer((socket) => socket.on('message', () => socket.send(welcome)));
      theirs = await Wire.open(plain.url);
    },
    async teardown() {
      ours.close();
      theirs.close();
      await closePlain(plain.wss);
      await engine.dispose();
    },
    async subject() {
      for (let i = 0; i < roundTrips; i++) await ours.ask(hello);
    },
    async baseline() {
      for (let i = 0; i < roundTrips; i++) await theirs.ask(hello);
    },
    detail: (ms, baselineMs) =>
      `${((ms * 1000) / roundTrips).toFixed(0)} µs vs ${((baselineMs * 1000) / roundTrips).toFixed(0)} µs per round trip, welcome ${(welcomeBytes / 1024).toFixed(1)} KiB`,
  };
}

export function cachedRunOverSocketCase(count = 200): BenchCase {
  let engine: Awaited<ReturnType<typeof engineServer>>;
  let wire: Wire;
  let pipeline: LoadedPipeline;
  let round = 0;
  const document = sinkPipeline(count);
  return {
    name: `fully cached run over the socket, ${count} nodes`,
    baselineName: 'engine.run in-process',
    runs: 7,
    async setup() {
      engine = await engineServer();
      pipeline = loadPipelineValue(document, engine.engine.catalog);
      await engine.engine.run({ pipeline });
      wire = await Wire.open(engine.wsUrl);
    },
    async teardown() {
      wire.close();
      await engine.dispose();
    },
    async subject() {
      const runId = `cached-${round++}`;
      let finished: { stats: { executed: number; cached: number } } | undefined;
      const done = wire.until((text) => {
        if (!isType(text, 'run.finished', runId)) return false;
        finished = JSON.parse(text) as typeof finished;
        return true;
      });
      wire.socket.send(JSON.stringify({ type: 'run', runId, pipeline: document }));
      await done;
      if (finished?.stats.executed !== 0 || finished.stats.cached !== count) throw new Error('the run over the socket was not fully cached');
    },
    async baseline() {
      const result = await engine.engine.run({ pipeline }, () => undefined);
      if (result.stats.executed !== 0 || result.stats.cached !== count) throw new Error('the run was not fully cached');
    },
    detail: (ms, baselineMs) => `${(((ms - baselineMs) * 1000) / count).toFixed(1)} µs/node protocol overhead (${2 * count + 1} messages)`,
  };
}

/** Until the bench opens it, a burst node waits, so every client is subscribed before the first event. */
let gate: { promise: Promise<void>; open(): void } = openGate();

function openGate() {
  let open = () => undefined as void;
  const promise = new Promise<void>((resolve) => (open = resolve));
  return { promise, open };
}

/** Events are sent in batches, with a turn of the event loop between, as a node doing real work would. */
const BATCH = 100;

const progressBurst = defineNode({
  type: 'bench-progress-burst',
  version: 1,
  title: 'Progress burst',
  category: 'Bench',
  description: 'Reports `count` progress steps as fast as it can.',
  inputs: {},
  outputs: { out: port.prompt() },
  params: { count: param.int({ default: 1000, min: 1, max: 1_000_000 }) },
  device: 'cpu',
  deterministic: false,
  async run({ params, ctx }) {
    await gate.promise;
    for (let done = 1; done <= params.count; done++) {
      ctx.progress(done, params.count);
      if (done % BATCH === 0) await new Promise((resolve) => setImmediate(resolve));
    }
    const out: PromptValue = { kind: 'prompt', text: 'done', negative: '', schedule: [] };
    return { out };
  },
});

export function progressBroadcastCase(clientCount = 10, events = 5000): BenchCase {
  let engine: Awaited<ReturnType<typeof engineServer>>;
  let plain: Awaited<ReturnType<typeof plainServer>>;
  let ours: Wire[] = [];
  let theirs: Wire[] = [];
  let round = 0;
  let shortfall = 0;
  const document = {
    format: 'reelgraph.pipeline',
    version: 1,
    nodes: [{ id: 'burst', type: progressBurst.type, params: { count: events } }],
  };

  /** Each client counts the progress of one run; resolves with the counts once every client saw it finish. */
  const countProgress = (wires: Wire[], runId: string) =>
    Promise.all(
      wires.map((wire) => {
        let seen = 0;
        return wire
          .until((text) => {
            const message = JSON.parse(text) as ServerMessage;
            if (message.type === 'node.progress' && message.runId === runId) seen++;
            return message.type === 'run.finished' && message.runId === runId;
          })
          .then(() => seen);
      }),
    );

  return {
    name: `progress to ${clientCount} clients, ${events} events`,
    baselineName: 'plain ws broadcast, same messages',
    runs: 5,
    async setup() {
      engine = await engineServer(new Catalog([...builtinNodes, progressBurst]));
      ours = await Promise.all(Array.from({ length: clientCount }, () => Wire.open(engine.wsUrl)));
      plain = await plainServer();
      theirs = await Promise.all(Array.from({ length: clientCount }, () => Wire.open(plain.url)));
    },
    async teardown() {
      for (const wire of [...ours, ...theirs]) wire.close();
      await closePlain(plain.wss);
      await engine.dispose();
    },
    async subject() {
      const runId = `burst-${round++}`;
      gate = openGate();
      const [first, ...others] = ours;
      const accepted = first!.until((text) => isType(text, 'run.accepted', runId));
      first!.socket.send(JSON.stringify({ type: 'run', runId, pipeline: document }));
      await accepted;
      await Promise.all(
        others.map((wire) => {
          const state = wire.until((text) => isType(text, 'run.state', runId));
          wire.socket.send(JSON.stringify({ type: 'subscribe', runId }));
          return state;
        }),
      );
      const counted = countProgress(ours, runId);
      gate.open();
      const counts = await counted;
      // A client behind by more than the backpressure limit loses progress messages; say so rather than hide it.
      shortfall = Math.max(shortfall, ...counts.map((seen) => events - seen));
    },
    async baseline() {
      const runId = `plain-${round++}`;
      const counted = countProgress(theirs, runId);
      const clients = [...plain.wss.clients];
      for (let done = 1; done <= events; done++) {
        const text = JSON.stringify({ type: 'node.progress', runId, nodeId: 'burst', done, total: events });
        for (const client of clients) client.send(text);
        if (done % BATCH === 0) await new Promise((resolve) => setImmediate(resolve));
      }
      const finished = JSON.stringify({ type: 'run.finished', runId, status: 'succeeded', stats: { executed: 1, cached: 0, ms: 0 } });
      for (const client of clients) client.send(finished);
      await counted;
    },
    detail: (ms, baselineMs) => {
      const rate = (elapsed: number) => ((events * clientCount) / (elapsed / 1000) / 1000).toFixed(0);
      return `${rate(ms)}k msg/s vs ${rate(baselineMs)}k msg/s delivered${shortfall > 0 ? `, up to ${shortfall} progress messages dropped per client` : ''}`;
    },
  };
}
