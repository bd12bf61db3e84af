/**
 * A real engine server on an ephemeral loopback port, and a real `ws` client
 * that records every message it receives and can wait for one.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Catalog, Engine, startServer, type RunningServer, type ServerMessage, type ServerOptions } from '@reelgraph/engine';
import { builtinNodes } from '@reelgraph/nodes';
import WebSocket from 'ws';
import { REPO_ROOT } from './run-cli.ts';

export interface TestServer extends RunningServer {
  dataDir: string;
  engine: Engine;
  wsUrl: string;
  dispose(): Promise<void>;
}

export async function startTestServer(options: Partial<Omit<ServerOptions, 'engine'>> = {}): Promise<TestServer> {
  const dataDir = await mkdtemp(path.join(tmpdir(), 'reelgraph-server-'));
  const engine = new Engine({ catalog: new Catalog(builtinNodes), dataDir, warn: () => undefined });
  const server = await startServer({ engine, port: 0, log: () => undefined, ...options });
  return {
    ...server,
    dataDir,
    engine,
    wsUrl: `ws://127.0.0.1:${server.port}/ws`,
    async dispose() {
      await server.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

export class TestClient {
  readonly messages: ServerMessage[] = [];
  readonly #waiters: { match: (m: ServerMessage) => boolean; resolve: (m: ServerMessage) => void }[] = [];

  private constructor(readonly socket: WebSocket) {
    socket.on('message', (data) => {
      const message = JSON.parse(data.toString()) as ServerMessage;
      this.messages.push(message);
      for (const waiter of [...this.#waiters]) {
        if (waiter.match(message)) {
          this.#waiters.splice(this.#waiters.indexOf(waiter), 1);
          waiter.resolve(message);
        }
      }
    });
  }

  static async connect(url: string, options: WebSocket.ClientOptions = {}): Promise<TestClient> {
    const socket = new WebSocket(url, options);
    await new Promise<void>((resolve, reject) => {
      socket.once('open', () => resolve());
      socket.once('error', reject);
      socket.once('unexpected-response', (_request, response) => reject(new Error(`HTTP ${response.statusCode}`)));
    });
    return new TestClient(socket);
  }

  send(message: unknown): void {
    this.socket.send(typeof message === 'string' ? message : JSON.stringify(message));
  }

  /** The first message (already received or still to come) that matches. */
  next<T extends ServerMessage['type']>(type: T, where: (m: Extract<ServerMessage, { type: T }>) => boolean = () => true, timeoutMs = 30_000) {
    const match = (m: ServerMessage) => m.type === type && where(m as Extract<ServerMessage, { type: T }>);
    const seen = this.messages.find(match);
    if (seen) return Promise.resolve(seen as Extract<ServerMessage, { type: T }>);
    return new Promise<Extract<ServerMessage, { type: T }>>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no ${type} message within ${timeoutMs} ms`)), timeoutMs);
      this.#waiters.push({
        match,
        resolve: (m) => {
          clearTimeout(timer);
          resolve(m as Extract<ServerMessage, { type: T }>);
        },
      });
    });
  }

  of<T extends ServerMessage['type']>(type: T, runId?: string): Extract<ServerMessage, { type: T }>[] {
    return this.messages.filter((m) => m.type === type && (runId === undefined || ('runId' in m && m.runId === runId))) as Extract<
      ServerMessage,
      { type: T }
    >[];
  }

  async close(): Promise<void> {
    if (this.socket.readyState === WebSocket.CLOSED) return;
    await new Promise<void>((resolve) => {
      this.socket.once('close', () => resolve());
      this.socket.close();
    });
  }
}

/** An example pipeline with its media embedded as assets, as the editor would send it. */
export async function embeddedExample(name: string, file = `${name}.reel.json`): Promise<Record<string, unknown>> {
  const folder = path.join(REPO_ROOT, 'examples', name);
  const document = JSON.parse(await readFile(path.join(folder, file), 'utf8')) as {
    nodes: { params: Record<string, unknown> }[];
    assets?: Record<string, unknown>;
  };
  const { createHash } = await import('node:crypto');
  const assets: Record<string, unknown> = { ...document.assets };
  for (const node of document.nodes) {
    for (const [param, value] of Object.entries(node.params)) {
      if (typeof value !== 'string' || !value.startsWith('media/')) continue;
      const bytes = await readFile(path.join(folder, value));
      const ref = `sha256:${createHash('sha256').update(bytes).digest('hex')}`;
      assets[ref] = { name: path.basename(value), mime: value.endsWith('.mp4') ? 'video/mp4' : 'image/png', data: bytes.toString('base64') };
      node.params[param] = ref;
    }
  }
  return { ...document, assets };
}
