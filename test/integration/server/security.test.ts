/**
 * The engine server's security promises (engine/PROTOCOL.md, "Security"), each checked over a
 * real socket on 127.0.0.1: loopback by default and a loud warning otherwise,
 * Origin and Host checks (DNS rebinding) on HTTP and on the WebSocket upgrade,
 * the optional token, media that names registry entries and never paths, and
 * media that can never be a page.
 */
import { execFileSync, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { connect } from 'node:net';
import { networkInterfaces, tmpdir } from 'node:os';
import path from 'node:path';
import { Catalog, Engine, startServer } from '@reelgraph/engine';
import { builtinNodes, ffmpegPath } from '@reelgraph/nodes';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { spawnCli } from '../../support/run-cli.ts';
import { embeddedExample, startTestServer, TestClient, type TestServer } from '../../support/test-server.ts';

interface Reply {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

/** An HTTP request with exactly these headers (Host included, when given). */
function http(
  port: number,
  options: { method?: string; path?: string; headers?: Record<string, string>; body?: Buffer; address?: string },
): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = httpRequest({
      host: options.address ?? '127.0.0.1',
      port,
      method: options.method ?? 'GET',
      path: options.path ?? '/',
      agent: false,
      headers: { ...(options.body ? { 'Content-Length': String(options.body.length) } : {}), ...options.headers },
    });
    req.on('response', (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, headers: response.headers, body: Buffer.concat(chunks) }));
    });
    req.on('error', reject);
    req.end(options.body);
  });
}

/**
 * A request line written byte for byte on a TCP socket, so neither Node's
 * client nor a URL parser normalises `..` or percent-escapes before the server sees them.
 */
function rawGet(port: number, target: string): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    const chunks: Buffer[] = [];
    socket.on('connect', () => socket.write(`GET ${target} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nConnection: close\r\n\r\n`));
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.on('error', reject);
    socket.on('close', () => {
      const text = Buffer.concat(chunks).toString('latin1');
      resolve({ status: Number(/^HTTP\/1\.1 (\d{3})/.exec(text)?.[1] ?? 0), text });
    });
  });
}

/** The status a WebSocket upgrade gets: 101 when it opens (the socket is closed again at once). */
async function upgradeStatus(url: string, headers: Record<string, string> = {}): Promise<number> {
  try {
    const client = await TestClient.connect(url, { headers });
    await client.close();
    return 101;
  } catch (error) {
    const status = /^HTTP (\d{3})$/.exec((error as Error).message)?.[1];
    if (!status) throw error;
    return Number(status);
  }
}

/** This machine's first non-loopback IPv4 address, if it has one. */
function lanAddress(): string | undefined {
  for (const addresses of Object.values(networkInterfaces())) {
    for (const address of addresses ?? []) if (address.family === 'IPv4' && !address.internal) return address.address;
  }
  return undefined;
}

/** Whether anything accepts TCP connections at address:port. */
function accepts(address: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, address);
    socket.setTimeout(2000, () => {
      socket.destroy();
      resolve(false);
    });
    socket.on('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.on('error', () => resolve(false));
  });
}

const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

describe('binding', () => {
  const LAN = lanAddress();

  it.skipIf(LAN === undefined)('listens on loopback only when no host is given', async () => {
    const dataDir = await mkdtemp(path.join(tmpdir(), 'reelgraph-bind-'));
    const server = await startServer({ engine: new Engine({ catalog: new Catalog(builtinNodes), dataDir }), port: 0, log: () => undefined });
    try {
      expect(server.host).toBe('127.0.0.1');
      expect(server.url).toBe(`http://127.0.0.1:${server.port}`);
      expect(await accepts('127.0.0.1', server.port)).toBe(true);
      expect(await accepts(LAN!, server.port)).toBe(false);
    } finally {
      await server.close();
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});

describe('`reelgraph serve` from the real CLI', () => {
  const children: ChildProcess[] = [];
  const dirs: string[] = [];

  afterEach(async () => {
    for (const child of children.splice(0)) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    for (const dir of dirs.splice(0)) await rm(dir, { recursive: true, force: true });
  });

  /**
   * Starts `serve` on a port the system picks (so no other test can take it
   * first), resolves once it says where it listens; rejects if it exits first.
   */
  async function serve(args: string[], env: NodeJS.ProcessEnv = {}) {
    const dataDir = await mkdtemp(path.join(tmpdir(), 'reelgraph-serve-'));
    dirs.push(dataDir);
    // A token in the environment of whoever runs the tests must not leak in (undefined drops the variable).
    const child = spawnCli(['serve', '--data-dir', dataDir, '--port', '0', ...args], { env: { REELGRAPH_TOKEN: undefined, ...env } });
    children.push(child);
    let stdout = '';
    let stderr = '';
    child.stdout!.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    const port = await new Promise<number>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`serve did not start within 30 s:\n${stdout}\n${stderr}`)), 30_000);
      const check = () => {
        // The startup line names the URL to open; its wording may change, the URL is what matters.
        const listening = /http:\/\/[^\s/]+:(\d+)/.exec(stdout);
        if (listening) {
          clearTimeout(timer);
          resolve(Number(listening[1]));
        }
      };
      child.stdout!.on('data', check);
      void exited.then((code) => reject(new Error(`serve exited with ${code} before listening:\n${stdout}\n${stderr}`)));
    });
    return {
      port,
      stdout: () => stdout,
      stderr: () => stderr,
      /** stderr once it matches (it is a separate pipe: it may arrive after the stdout line we waited for), or as it is after 5 s. */
      async stderrMatching(pattern: RegExp): Promise<string> {
        for (let waited = 0; waited < 5000 && !pattern.test(stderr); waited += 20) await new Promise((r) => setTimeout(r, 20));
        return stderr;
      },
      async stop(): Promise<number | null> {
        child.kill('SIGTERM');
        return exited;
      },
    };
  }

  it('binds to 127.0.0.1 without --host, and says nothing alarming', async () => {
    const cli = await serve([]);
    const { port } = cli;
    expect(cli.stdout()).toContain(`http://127.0.0.1:${port}`);
    expect((await http(port, { path: '/' })).status).toBe(200);
    const lan = lanAddress();
    if (lan) expect(await accepts(lan, port)).toBe(false);
    expect(cli.stderr()).not.toMatch(/WARNING/);
    expect(await cli.stop()).toBe(0);
  });

  it('warns loudly on stderr when bound to every interface, and still refuses foreign Host names', async () => {
    const cli = await serve(['--host', '0.0.0.0']);
    const { port } = cli;
    const warning = await cli.stderrMatching(/No token is set/);
    expect(warning).toMatch(/WARNING: Reelgraph is listening on 0\.0\.0\.0, reachable from other machines/);
    expect(warning).toMatch(/No token is set/);
    const lan = lanAddress();
    if (lan) {
      // Reached through the machine's own address, which is an allowed Host there.
      expect((await http(port, { address: lan, headers: { Host: `${lan}:${port}` } })).status).toBe(200);
    }
    expect((await http(port, { headers: { Host: `evil.example:${port}` } })).status).toBe(403);
    expect(await cli.stop()).toBe(0);
  });

  it('requires --token on every request, and says so in the warning', async () => {
    const cli = await serve(['--host', '0.0.0.0', '--token', 'cli-secret']);
    const { port } = cli;
    const warning = await cli.stderrMatching(/Every request must carry the token/);
    expect(warning).toMatch(/WARNING/);
    expect(warning).toMatch(/Every request must carry the token/);
    expect((await http(port, { path: '/' })).status).toBe(401);
    expect((await http(port, { path: '/', headers: { Authorization: 'Bearer cli-secret' } })).status).toBe(200);
    expect(await upgradeStatus(`ws://127.0.0.1:${port}/ws`)).toBe(401);
    expect(await upgradeStatus(`ws://127.0.0.1:${port}/ws?token=cli-secret`)).toBe(101);
    expect(await cli.stop()).toBe(0);
  });

  it('takes the token from REELGRAPH_TOKEN, and extra origins from --allow-origin', async () => {
    const cli = await serve(['--allow-origin', 'http://localhost:5173'], { REELGRAPH_TOKEN: 'env-secret' });
    const { port } = cli;
    expect((await http(port, { path: '/' })).status).toBe(401);
    expect((await http(port, { path: '/?token=env-secret' })).status).toBe(200);
    const ws = `ws://127.0.0.1:${port}/ws?token=env-secret`;
    expect(await upgradeStatus(ws, { Origin: 'http://localhost:5173' })).toBe(101);
    expect(await upgradeStatus(ws, { Origin: 'http://localhost:5174' })).toBe(403);
    expect(await cli.stop()).toBe(0);
  });

  it('treats an empty REELGRAPH_TOKEN as no token, as its own startup message says', async () => {
    const cli = await serve(['--host', '0.0.0.0'], { REELGRAPH_TOKEN: '' });
    const { port } = cli;
    expect(await cli.stderrMatching(/No token is set/)).toMatch(/No token is set/);
    // The message above says anyone may connect; an engine that then answers 401 to every client is locked for no reason.
    expect((await http(port, { path: '/' })).status).toBe(200);
    expect(await cli.stop()).toBe(0);
  });
});

describe('Origin and Host checks', () => {
  let server: TestServer;
  let png: Buffer;
  let pngDir: string;

  beforeAll(async () => {
    server = await startTestServer({ extraOrigins: ['http://localhost:5173'] });
    pngDir = await mkdtemp(path.join(tmpdir(), 'reelgraph-origin-'));
    execFileSync(ffmpegPath(), ['-hide_banner', '-loglevel', 'error', '-f', 'lavfi', '-i', 'testsrc2=size=32x32', '-frames:v', '1', path.join(pngDir, 'x.png')]);
    png = await readFile(path.join(pngDir, 'x.png'));
  });
  afterAll(async () => {
    await server.dispose();
    await rm(pngDir, { recursive: true, force: true });
  });

  const assets = async () => (await readdir(path.join(server.dataDir, 'assets')).catch(() => [] as string[])).sort();
  const own = () => `http://127.0.0.1:${server.port}`;

  it('opens the socket for the engine’s own origin, an allowed extra origin, and a client that sends none', async () => {
    for (const headers of [{ Origin: own() }, { Origin: 'http://localhost:5173' }, {}] as Record<string, string>[]) {
      const client = await TestClient.connect(server.wsUrl, { headers });
      client.send({ type: 'hello', protocolVersion: 1 });
      expect((await client.next('welcome')).protocolVersion).toBe(1);
      await client.close();
    }
  });

  it('refuses the upgrade with 403 for any other origin, Origin: null included', async () => {
    const others = ['http://evil.example', 'null', `http://127.0.0.1:${server.port + 1}`, `https://127.0.0.1:${server.port}`, `http://localhost:5174`];
    for (const origin of others) expect(await upgradeStatus(server.wsUrl, { Origin: origin }), origin).toBe(403);
  });

  it('refuses POST /upload with 403 for a foreign or null origin, storing nothing, and accepts its own', async () => {
    for (const origin of ['http://evil.example', 'null']) {
      const reply = await http(server.port, { method: 'POST', path: '/upload?name=x.png', headers: { Origin: origin }, body: png });
      expect(reply.status, origin).toBe(403);
      expect(JSON.parse(reply.body.toString()).error).toMatch(/may not control this engine/);
    }
    expect(await assets()).toEqual([]);
    // Importing is state-changing too (it writes a scratch file): the same rule holds.
    for (const origin of ['http://evil.example', 'null']) {
      const reply = await http(server.port, { method: 'POST', path: '/import?name=x.png', headers: { Origin: origin }, body: png });
      expect(reply.status, origin).toBe(403);
    }
    for (const origin of [own(), 'http://localhost:5173']) {
      const reply = await http(server.port, { method: 'POST', path: '/upload?name=x.png', headers: { Origin: origin }, body: png });
      expect(reply.status, origin).toBe(201);
    }
    expect(await assets()).toEqual([sha256(png)]);
  });

  it('refuses HTTP requests whose Host is not a loopback name or the bound address (DNS rebinding)', async () => {
    for (const host of [`evil.example:${server.port}`, 'evil.example', `127.0.0.1.evil.example:${server.port}`, `localhost:${server.port + 1}`]) {
      const reply = await http(server.port, { path: '/', headers: { Host: host } });
      expect(reply.status, host).toBe(403);
      expect(JSON.parse(reply.body.toString()).error).toMatch(/is not this engine/);
    }
    // A rebinding page is same-origin with itself: its Origin matches its Host, and it is still refused.
    const rebound = await http(server.port, {
      method: 'POST',
      path: '/upload?name=x.png',
      headers: { Host: `evil.example:${server.port}`, Origin: `http://evil.example:${server.port}` },
      body: png,
    });
    expect(rebound.status).toBe(403);
    for (const host of [`127.0.0.1:${server.port}`, `localhost:${server.port}`, `LOCALHOST:${server.port}`, `[::1]:${server.port}`]) {
      expect((await http(server.port, { path: '/', headers: { Host: host } })).status, host).toBe(200);
    }
  });

  it('refuses a WebSocket upgrade whose Host is foreign, even with a matching Origin', async () => {
    const rebinding = { Host: `evil.example:${server.port}`, Origin: `http://evil.example:${server.port}` };
    expect(await upgradeStatus(server.wsUrl, rebinding)).toBe(403);
    expect(await upgradeStatus(server.wsUrl, { Host: `evil.example:${server.port}` })).toBe(403);
    expect(await upgradeStatus(server.wsUrl, { Host: `localhost:${server.port}`, Origin: `http://localhost:${server.port}` })).toBe(101);
  });

  it('answers an upgrade on another path with 404', async () => {
    expect(await upgradeStatus(`ws://127.0.0.1:${server.port}/not-ws`)).toBe(404);
  });
});

describe('token', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ token: 'test-token-1234' });
  });
  afterAll(async () => {
    await server.dispose();
  });

  it('answers 401 without the token or with a wrong one, on every route', async () => {
    for (const target of ['/', '/media/file/x/y.mp4', '/nowhere']) {
      expect((await http(server.port, { path: target })).status, target).toBe(401);
    }
    const upload = await http(server.port, { method: 'POST', path: '/upload?name=x.png', body: Buffer.from('x'), headers: { Origin: `http://127.0.0.1:${server.port}` } });
    expect(upload.status).toBe(401);
    expect(JSON.parse(upload.body.toString()).error).toMatch(/token/);
    for (const wrong of ['Bearer test-token-123', 'Bearer test-token-12345', 'Basic dGVzdC10b2tlbi0xMjM0']) {
      expect((await http(server.port, { path: '/', headers: { Authorization: wrong } })).status, wrong).toBe(401);
    }
    expect((await http(server.port, { path: '/?token=nope' })).status).toBe(401);
  });

  it('lets a request through with Authorization: Bearer or ?token=', async () => {
    expect((await http(server.port, { path: '/', headers: { Authorization: 'Bearer test-token-1234' } })).status).toBe(200);
    expect((await http(server.port, { path: '/?token=test-token-1234' })).status).toBe(200);
  });

  it('guards the socket too: 401 without, a working session with ?token= or the header', async () => {
    expect(await upgradeStatus(server.wsUrl)).toBe(401);
    expect(await upgradeStatus(`${server.wsUrl}?token=wrong`)).toBe(401);
    for (const [url, headers] of [
      [`${server.wsUrl}?token=test-token-1234`, {}],
      [server.wsUrl, { Authorization: 'Bearer test-token-1234' }],
    ] as const) {
      const client = await TestClient.connect(url, { headers });
      client.send({ type: 'hello', protocolVersion: 1 });
      expect((await client.next('welcome')).type).toBe('welcome');
      await client.close();
    }
  });
});

describe('GET /media/…', () => {
  let server: TestServer;
  let exportUrl: string;
  let exportFile: Buffer;
  let previewUrl: string;
  let sha: string;

  beforeAll(async () => {
    server = await startTestServer();
    const client = await TestClient.connect(server.wsUrl);
    try {
      client.send({ type: 'run', runId: 'media', pipeline: await embeddedExample('two-clips') });
      const finished = await client.next('run.finished', (m) => m.runId === 'media');
      if (finished.status !== 'succeeded') throw new Error(`the example run ${finished.status}: ${JSON.stringify(client.messages)}`);
      const exported = await client.next('node.output', (m) => m.nodeId === 'export');
      const file = exported.outputs.file as unknown as { url?: string; path: string; sha256: string };
      exportUrl = file.url!;
      sha = file.sha256;
      exportFile = await readFile(path.join(server.dataDir, file.path));
      previewUrl = (await client.next('node.output', (m) => m.nodeId === 'clip-a')).outputs.video!.url!;
    } finally {
      await client.close();
    }
  });
  afterAll(async () => {
    await server.dispose();
  });

  it('serves a produced MP4 byte for byte, as video/mp4 that a browser cannot sniff or treat as a page', async () => {
    expect(exportUrl).toBe(`/media/file/${sha}/two-clips_00001.mp4`);
    const reply = await http(server.port, { path: exportUrl });
    expect(reply.status).toBe(200);
    expect(reply.headers['content-type']).toBe('video/mp4');
    expect(reply.headers['x-content-type-options']).toBe('nosniff');
    expect(reply.headers['content-security-policy']).toMatch(/\bsandbox\b/);
    expect(reply.headers['content-security-policy']).toMatch(/default-src 'none'/);
    expect(sha256(reply.body)).toBe(sha256(exportFile));
    expect(sha256(reply.body)).toBe(sha);
  });

  it('serves the preview of a node output with the same headers', async () => {
    expect(previewUrl).toMatch(/^\/media\/preview\/[0-9a-f]+\/video\.mp4$/);
    const reply = await http(server.port, { path: previewUrl });
    expect(reply.status).toBe(200);
    expect(reply.headers['content-type']).toBe('video/mp4');
    expect(reply.headers['x-content-type-options']).toBe('nosniff');
    expect(reply.headers['content-security-policy']).toMatch(/\bsandbox\b/);
    // An MP4 has an ftyp box right at the start.
    expect(reply.body.subarray(4, 8).toString('latin1')).toBe('ftyp');
  });

  it('answers 404 to every path that is not a registry entry: traversal, encoded or not, NUL bytes, real data-dir paths', async () => {
    const name = 'two-clips_00001.mp4';
    const attempts = [
      '/media/../../etc/passwd',
      '/media/..%2f..%2fetc%2fpasswd',
      '/media/..%2F..%2F..%2F..%2F..%2F..%2Fetc%2Fpasswd',
      '/media/%2e%2e/%2e%2e/%2e%2e/etc/passwd',
      '/media/%2e%2e%2f%2e%2e%2f%2e%2e%2fetc%2fpasswd',
      '/media/%252e%252e%252fetc%252fpasswd',
      '/media/..%5c..%5c..%5cetc%5cpasswd',
      '/media//etc/passwd',
      '/media/%2fetc%2fpasswd',
      `/media/file/${sha}/../x`,
      `/media/file/${sha}/../../../../../../etc/passwd`,
      `/media/file/${sha}/..%2f..%2f..%2f..%2f..%2f..%2fetc%2fpasswd`,
      `/media/file/${sha}/${name}%00`,
      `/media/file/${sha}/${name}%00.html`,
      `/media/file/${sha}/%00`,
      `/media/file/${sha}/${name}/..`,
      `/media/file/${sha}/two-clips_00002.mp4`,
      `/media/file/${'0'.repeat(64)}/${name}`,
      `/media/outputs/${name}`,
      `/media/file/${sha}/..%2f..%2foutputs%2f${name}`,
      `/media/${encodeURIComponent(path.join(server.dataDir, 'outputs', name))}`,
      `/media/file/${sha}/%E0%A4%A`,
      '/media/',
    ];
    for (const target of attempts) {
      const reply = await rawGet(server.port, target);
      expect(reply.status, target).toBe(404);
      expect(reply.text, target).not.toMatch(/root:|ftyp/);
    }
    // The same raw client gets the real file, so the 404s above are not the client's doing.
    expect((await rawGet(server.port, exportUrl)).status).toBe(200);
  });

  it('refuses a pipeline sent over the socket that names files on the engine’s disk', async () => {
    const client = await TestClient.connect(server.wsUrl);
    try {
      const names = ['/etc/passwd', '../../../../../../etc/passwd', 'media/clip-a.mp4', path.join(server.dataDir, 'outputs', 'two-clips_00001.mp4'), `sha256:${'ab'.repeat(32)}`];
      for (const [i, name] of names.entries()) {
        const runId = `path-${i}`;
        client.send({ type: 'run', runId, pipeline: { format: 'reelgraph.pipeline', version: 1, nodes: [{ id: 'load', type: 'load-video', params: { video: name } }] } });
        const rejected = await client.next('run.rejected', (m) => m.runId === runId);
        expect(rejected.errors.map((e) => [e.code, e.nodeId]), name).toEqual([['media', 'load']]);
      }
      expect(client.of('run.accepted')).toEqual([]);
    } finally {
      await client.close();
    }
  });

  it('never accepts an SVG or HTML upload, so neither can be served', async () => {
    const svg = Buffer.from(
      '<svg xmlns="http://www.w3.org/2000/svg" width="16" height="16"><script>alert(document.domain)</script><rect width="16" height="16"/></svg>',
    );
    const html = Buffer.from('<!doctype html><html><body><script>alert(document.domain)</script></body></html>');
    const before = (await readdir(path.join(server.dataDir, 'assets'))).sort();
    for (const [name, bytes] of [['x.svg', svg], ['page.html', html], ['page.png', html]] as const) {
      const reply = await http(server.port, { method: 'POST', path: `/upload?name=${name}`, body: bytes });
      expect(reply.status, name).toBe(415);
      for (const target of [`/media/file/${sha256(bytes)}/${name}`, `/media/assets/${sha256(bytes)}`, `/media/${sha256(bytes)}`]) {
        expect((await rawGet(server.port, target)).status, target).toBe(404);
      }
    }
    expect((await readdir(path.join(server.dataDir, 'assets'))).sort()).toEqual(before);
  });
});
