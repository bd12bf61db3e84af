/**
 * One HTTP server on loopback (by default): the WebSocket at `/ws`, media at
 * `GET /media/…` (Range requests), uploads at `POST /upload`, and the editor
 * at `/` once it is built. Every request passes the guard first.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { networkInterfaces } from 'node:os';
import type { Duplex } from 'node:stream';
import { WebSocketServer } from 'ws';
import type { Engine } from '../engine.ts';
import type { ModelSummary, ServerMessage } from '../protocol/protocol.ts';
import { PROTOCOL_VERSION } from '../protocol/protocol.ts';
import { deviceReport, modelSummaries } from '../device-report.ts';
import { ModelService } from '../models/model-service.ts';
import { GraphLibrary } from '../library/graph-library.ts';
import { ModelStore } from '../models/model-store.ts';
import type { LoadedPipeline } from '../pipeline/load-pipeline.ts';
import { ClientConnection, MAX_FRAME_BYTES } from './client-connection.ts';
import { ENGINE_VERSION } from './engine-version.ts';
import { exampleForClient, listExamples } from './examples-route.ts';
import { importPipeline, ImportError } from './import-route.ts';
import { MediaRegistry, MIME_BY_FORMAT } from './media-registry.ts';
import { createPresenter, registerOutputs } from './present-event.ts';
import { PreviewRenderer } from './preview-renderer.ts';
import { guardRequest, LOOPBACK_HOSTNAMES, type GuardConfig } from './request-guard.ts';
import { RunJournal } from './run-journal.ts';
import { RunQueue } from './run-queue.ts';
import { sendFile } from './send-file.ts';
import { serveEditor } from './static-route.ts';
import { DEFAULT_UPLOAD_LIMIT_BYTES, receiveUpload, UploadError } from './upload-route.ts';

export interface ServerOptions {
  engine: Engine;
  host?: string;
  /** 0 picks a free port. */
  port?: number;
  token?: string;
  /** Origins allowed besides the engine's own, e.g. a Vite dev server. */
  extraOrigins?: string[];
  uploadLimitBytes?: number;
  /** The built editor, served at `/` when present. */
  editorDir?: string;
  /** Example pipelines offered at `/examples`. */
  examplesDir?: string;
  /** The device in use, for `welcome`; by default the one the models runtime chose. */
  device?: () => Promise<{ name: string; reasons: string[] }>;
  models?: () => Promise<ModelSummary[]>;
  log?: (message: string) => void;
}

export interface RunningServer {
  url: string;
  host: string;
  port: number;
  close(): Promise<void>;
}

export const DEFAULT_HOST = '127.0.0.1';
export const DEFAULT_PORT = 8790;

export async function startServer(options: ServerOptions): Promise<RunningServer> {
  const { engine } = options;
  const log = options.log ?? ((message: string) => console.error(message));
  const swept = await engine.sweepOrphans();
  if (swept > 0) log(`Removed ${swept} half-written file${swept === 1 ? '' : 's'} left by a killed engine.`);
  const host = options.host ?? DEFAULT_HOST;
  const registry = new MediaRegistry(engine.dataDir);
  const previews = new PreviewRenderer(engine.dataDir, engine.cache);
  const journal = new RunJournal(path.join(engine.dataDir, 'runs'), log);
  await journal.lock();
  const queue = new RunQueue(engine, createPresenter(registry, log), {
    journal,
    restoreOutputs: (snapshot) => (snapshot.outputs ? { ...snapshot, outputs: registerOutputs(snapshot.key, snapshot.outputs, registry) } : snapshot),
    warn: log,
  });
  const uploadLimit = options.uploadLimitBytes ?? DEFAULT_UPLOAD_LIMIT_BYTES;
  const guard: GuardConfig = {
    port: 0,
    allowedHostnames: allowedHostnames(host),
    extraOrigins: new Set(options.extraOrigins ?? []),
    token: options.token,
  };

  const welcome = async (): Promise<ServerMessage> => ({
    type: 'welcome',
    engineVersion: ENGINE_VERSION,
    protocolVersion: PROTOCOL_VERSION,
    device: await (options.device ?? defaultDevice)(),
    catalog: engine.catalog.describe(),
    models: await (options.models ?? (async () => modelSummaries()))(),
  });

  const handle = async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
    const verdict = guardRequest({ method: request.method ?? 'GET', url: request.url ?? '/', headers: request.headers, upgrade: false }, guard);
    if (!verdict.ok) return sendJson(response, verdict.status, { error: verdict.message });
    const url = new URL(request.url ?? '/', 'http://engine');
    if ((request.method === 'GET' || request.method === 'HEAD') && url.pathname.startsWith('/media/')) {
      return serveMedia(request, response, url.pathname.slice('/media/'.length));
    }
    if (url.pathname === '/upload') {
      if (request.method !== 'POST') return sendJson(response, 405, { error: 'Upload with POST.' });
      try {
        return sendJson(response, 201, await receiveUpload(request, engine.assets, uploadLimit));
      } catch (error) {
        if (error instanceof UploadError) return sendJson(response, error.status, { error: error.message });
        throw error;
      }
    }
    if (url.pathname === '/import') {
      if (request.method !== 'POST') return sendJson(response, 405, { error: 'Import with POST.' });
      try {
        return sendJson(response, 200, await importPipeline(request, path.join(engine.dataDir, 'imports'), uploadLimit));
      } catch (error) {
        if (error instanceof ImportError) return sendJson(response, error.status, { error: error.message });
        throw error;
      }
    }
    if (request.method === 'GET' && url.pathname === '/examples') {
      return sendJson(response, 200, options.examplesDir ? await listExamples(options.examplesDir) : []);
    }
    if (request.method === 'GET' && url.pathname.startsWith('/examples/')) {
      const name = url.pathname.slice('/examples/'.length);
      const example = options.examplesDir ? await exampleForClient(options.examplesDir, name, engine) : undefined;
      return example ? sendJson(response, 200, example) : sendJson(response, 404, { error: `No example "${name}".` });
    }
    if (request.method === 'GET' || request.method === 'HEAD') {
      if (options.editorDir && (await serveEditor(request, response, options.editorDir, url.pathname))) return;
      if (url.pathname === '/') {
        response.writeHead(200, { 'Content-Type': 'text/plain; charset=utf-8', 'X-Content-Type-Options': 'nosniff' });
        response.end(`Reelgraph engine ${ENGINE_VERSION}. The editor is not built (run \`npx pnpm@10 start\`); clients connect to /ws (protocol ${PROTOCOL_VERSION}).\n`);
        return;
      }
    }
    sendJson(response, 404, { error: 'Not found.' });
  };

  const serveMedia = async (request: IncomingMessage, response: ServerResponse, id: string): Promise<void> => {
    const entry = registry.lookup(id);
    if (entry?.kind === 'file') return sendFile(request, response, entry.path, entry.mime).catch(() => sendJson(response, 404, { error: 'Not found.' }));
    if (entry?.kind === 'preview') {
      const file = await previews.file(entry.key, entry.port, entry.format);
      if (file) return sendFile(request, response, file, MIME_BY_FORMAT[entry.format]);
    }
    sendJson(response, 404, { error: 'Not found.' });
  };

  const server = createServer((request, response) => {
    handle(request, response).catch((error: Error) => {
      log(`Request ${request.method} ${request.url} failed: ${error.stack ?? error.message}`);
      if (!response.headersSent) sendJson(response, 500, { error: 'The engine failed to answer this request.' });
      else response.destroy();
    });
  });
  const sockets = new WebSocketServer({ noServer: true, maxPayload: MAX_FRAME_BYTES });
  const connections = new Set<ClientConnection>();
  const broadcast = (message: ServerMessage) => {
    for (const connection of connections) connection.send(message);
  };
  const models = new ModelService(new ModelStore(engine.dataDir), broadcast);
  const results = async (pipeline: LoadedPipeline) => {
    const cached = await engine.cachedResults(pipeline);
    return Object.fromEntries([...cached].map(([id, { key, outputs }]) => [id, { key, outputs: registerOutputs(key, outputs, registry) }]));
  };
  const library = new GraphLibrary(path.join(engine.dataDir, 'library'));
  const context = { catalog: engine.catalog, queue, welcome, models, library, broadcast, results, log };

  server.on('upgrade', (request: IncomingMessage, socket: Duplex, head: Buffer) => {
    // A peer that resets the connection mid-handshake must not raise an unhandled 'error'.
    socket.on('error', () => socket.destroy());
    const verdict = guardRequest({ method: 'GET', url: request.url ?? '/', headers: request.headers, upgrade: true }, guard);
    const pathname = new URL(request.url ?? '/', 'http://engine').pathname;
    if (!verdict.ok || pathname !== '/ws') {
      const [status, text] = verdict.ok ? [404, 'Not Found'] : [verdict.status, verdict.status === 401 ? 'Unauthorized' : 'Forbidden'];
      socket.end(`HTTP/1.1 ${status} ${text}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
      return;
    }
    sockets.handleUpgrade(request, socket, head, (ws) => {
      const connection = new ClientConnection(ws, context);
      connections.add(connection);
      ws.on('close', () => connections.delete(connection));
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? DEFAULT_PORT, host, () => resolve());
  }).catch(async (error: Error) => {
    await journal.unlock();
    throw error;
  });
  // Only once the port is ours: a second engine that fails to listen must not run the queue.
  const restored = await queue.restore();
  if (restored.requeued > 0) log(`Resuming ${restored.requeued} run${restored.requeued === 1 ? '' : 's'} left waiting by the last engine.`);
  const { port } = server.address() as AddressInfo;
  guard.port = port;
  const urlHost = host.includes(':') ? `[${host}]` : host;

  return {
    url: `http://${urlHost}:${port}`,
    host,
    port,
    async close() {
      await queue.close();
      await journal.unlock();
      for (const client of sockets.clients) client.close(1001, 'The engine is shutting down.');
      sockets.close();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}

async function defaultDevice(): Promise<{ name: string; reasons: string[] }> {
  const { name, reasons } = await deviceReport();
  return { name, reasons };
}

/** Loopback names, the bound address, and when bound to every interface, each interface's address. */
function allowedHostnames(host: string): Set<string> {
  const names = new Set([...LOOPBACK_HOSTNAMES, host.toLowerCase()]);
  if (host === '0.0.0.0' || host === '::') {
    for (const addresses of Object.values(networkInterfaces())) for (const address of addresses ?? []) names.add(address.address.toLowerCase());
  }
  return names;
}

export function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127\./.test(host);
}

function sendJson(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', 'X-Content-Type-Options': 'nosniff' });
  response.end(JSON.stringify(body));
}
