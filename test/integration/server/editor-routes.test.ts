/**
 * What the editor needs from the engine besides the socket: the built editor
 * at `/`, example pipelines with their media as assets, and a pipeline
 * recovered from an exported video.
 */
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../support/run-cli.ts';
import { embeddedExample, startTestServer, TestClient, type TestServer } from '../../support/test-server.ts';

let server: TestServer;
let editorDir: string;

beforeAll(async () => {
  editorDir = await mkdtemp(path.join(tmpdir(), 'reelgraph-dist-'));
  await mkdir(path.join(editorDir, 'assets'));
  await writeFile(path.join(editorDir, 'index.html'), '<!doctype html><title>Reelgraph</title><script src="/assets/app.js"></script>');
  await writeFile(path.join(editorDir, 'assets', 'app.js'), 'console.log("editor")');
  await writeFile(path.join(editorDir, '.env'), 'SECRET=1');
  server = await startTestServer({ editorDir, examplesDir: path.join(REPO_ROOT, 'examples') });
});
afterAll(async () => {
  await server.dispose();
  await rm(editorDir, { recursive: true, force: true });
});

/** A GET with the path sent exactly as written (fetch would normalise `..`). */
function rawGet(pathname: string): Promise<{ status: number; body: string; headers: Record<string, unknown> }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: '127.0.0.1', port: server.port, path: pathname, method: 'GET' }, (res) => {
      let body = '';
      res.on('data', (chunk: Buffer) => (body += chunk.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body, headers: res.headers }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('the editor and its helpers over HTTP', () => {
  it('serves the built editor with a strict CSP, and index.html for unknown paths', async () => {
    const page = await fetch(`${server.url}/`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(page.headers.get('content-security-policy')).toMatch(/default-src 'self'/);
    expect(page.headers.get('x-frame-options')).toBe('DENY');
    const script = await fetch(`${server.url}/assets/app.js`);
    expect(script.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(await script.text()).toBe('console.log("editor")');
    expect(await (await fetch(`${server.url}/pipelines/mine`)).text()).toContain('<title>Reelgraph</title>');
  });

  it('never serves files outside the editor folder, nor its dotfiles', async () => {
    for (const attempt of ['/../../../etc/passwd', '/%2e%2e/%2e%2e/etc/passwd', '/assets/..%2f..%2f..%2fetc%2fpasswd', '/.env']) {
      const response = await rawGet(attempt);
      expect(response.body, attempt).not.toMatch(/root:|SECRET/);
    }
  });

  it('lists the examples and gives one with its media turned into assets', async () => {
    const list = (await (await fetch(`${server.url}/examples`)).json()) as { name: string; title: string }[];
    expect(list).toEqual(expect.arrayContaining([expect.objectContaining({ name: 'two-clips', title: 'Two clips, crossfaded' })]));
    const example = (await (await fetch(`${server.url}/examples/two-clips`)).json()) as {
      nodes: { id: string; params: Record<string, string> }[];
      assets: Record<string, { name: string; mime: string; data?: string }>;
    };
    const ref = example.nodes.find((n) => n.id === 'clip-a')!.params.video!;
    expect(ref).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(example.assets[ref]).toEqual({ name: 'clip-a.mp4', mime: 'video/mp4' });
    expect(await readdir(path.join(server.dataDir, 'assets'))).toContain(ref.slice('sha256:'.length));

    const client = await TestClient.connect(server.wsUrl);
    client.send({ type: 'run', runId: 'example-run', pipeline: example });
    expect(await client.next('run.finished')).toMatchObject({ status: 'succeeded' });
    await client.close();
    expect((await fetch(`${server.url}/examples/nope`)).status).toBe(404);
    expect((await rawGet('/examples/..%2f..%2fetc')).status).toBe(404);
  });

  it('recovers the pipeline from an exported MP4, and refuses a file without one', async () => {
    const client = await TestClient.connect(server.wsUrl);
    const pipeline = await embeddedExample('two-clips');
    client.send({ type: 'run', runId: 'import-source', pipeline });
    await client.next('run.finished');
    const exported = client.messages.flatMap((m) => (m.type === 'node.output' && m.nodeId === 'export' ? [m.outputs.file!] : []))[0]!;
    await client.close();
    const bytes = await readFile(path.join(server.dataDir, exported.path as string));

    const imported = await fetch(`${server.url}/import?name=two-clips.mp4`, { method: 'POST', body: bytes });
    expect(imported.status).toBe(200);
    const { pipeline: recovered } = (await imported.json()) as { pipeline: { name: string; nodes: { id: string }[] } };
    expect(recovered.name).toBe('Two clips, crossfaded');
    expect(recovered.nodes.map((n) => n.id)).toEqual(['clip-a', 'clip-b', 'join', 'export']);

    const plain = await readFile(path.join(REPO_ROOT, 'examples/two-clips/media/clip-a.mp4'));
    const refused = await fetch(`${server.url}/import?name=clip-a.mp4`, { method: 'POST', body: plain });
    expect(refused.status).toBe(422);
    expect(((await refused.json()) as { error: string }).error).toMatch(/carries no Reelgraph pipeline/);
  });

  it('answers validate with every problem, or none', async () => {
    const client = await TestClient.connect(server.wsUrl);
    client.send({ type: 'validate', requestId: 'v1', pipeline: await embeddedExample('two-clips') });
    expect(await client.next('validation', (m) => m.requestId === 'v1')).toMatchObject({ errors: [] });
    client.send({ type: 'validate', requestId: 'v2', pipeline: { format: 'reelgraph.pipeline', version: 1, nodes: [{ id: 'c', type: 'concat', params: { transition: 'wipe' } }] } });
    const invalid = await client.next('validation', (m) => m.requestId === 'v2');
    expect(invalid.errors.map((e) => [e.code, e.nodeId, e.param ?? e.port])).toEqual(
      expect.arrayContaining([
        ['bad-param', 'c', 'transition'],
        ['missing-input', 'c', 'clip1'],
      ]),
    );
    await client.close();
  });
});
