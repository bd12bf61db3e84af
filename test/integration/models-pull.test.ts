/**
 * `reelgraph models pull` against a real HTTP server started here: a
 * download that breaks off resumes with a Range request, every file is
 * checked against the manifest's sha256, and a hostile manifest is refused
 * before anything is fetched.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { esrganManifest, esrganX2Files } from '../support/model-server.ts';
import { runCli } from '../support/run-cli.ts';

let dir: string;
let server: Server;
let base: string;
const files = new Map<string, Buffer>();
/** Requests the server saw, and whether to cut the next download of a file short. */
const requests: { path: string; range?: string }[] = [];
let cutNextShard = false;


beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'reelgraph-pull-'));
  for (const [name, bytes] of await esrganX2Files()) files.set(`/esrgan/${name}`, bytes);
  const served = new Map(['model.json', 'group1-shard1of1.bin'].map((name) => [name, files.get(`/esrgan/${name}`)!]));
  const manifest = (id: string, override: Partial<{ sha256: string; path: string }> = {}) =>
    esrganManifest(id, served, (name, fields) => (name === 'group1-shard1of1.bin' ? { ...fields, ...override } : fields));
  files.set('/esrgan/reelgraph-model.json', Buffer.from(manifest('served/esrgan-x2')));
  files.set('/esrgan/wrong-hash.json', Buffer.from(manifest('served/wrong', { sha256: '0'.repeat(64) })));
  files.set('/esrgan/escape.json', Buffer.from(manifest('served/escape', { path: '../../secret.bin' })));
  server = createServer((request, response) => {
    const bytes = files.get(request.url ?? '');
    requests.push({ path: request.url ?? '', ...(request.headers.range ? { range: request.headers.range } : {}) });
    if (!bytes) {
      response.writeHead(404).end();
      return;
    }
    const range = /^bytes=(\d+)-$/.exec(request.headers.range ?? '');
    const start = range ? Number(range[1]) : 0;
    response.writeHead(range ? 206 : 200, { 'content-length': bytes.length - start, ...(range ? { 'content-range': `bytes ${start}-${bytes.length - 1}/${bytes.length}` } : {}) });
    if (request.url!.endsWith('.bin') && cutNextShard) {
      cutNextShard = false;
      // Half the file, then the connection drops: a network that failed mid-download.
      response.write(bytes.subarray(start, start + Math.floor((bytes.length - start) / 2)), () => response.destroy());
      return;
    }
    response.end(bytes.subarray(start));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.close();
  await rm(dir, { recursive: true, force: true });
});

describe('reelgraph models pull', () => {
  it('resumes a broken download where it stopped, checks every file, and installs the model whole', async () => {
    const dataDir = path.join(dir, 'data');
    cutNextShard = true;
    const broken = await runCli(['models', 'pull', `${base}/esrgan/reelgraph-model.json`, '--data-dir', dataDir]);
    expect(broken.code, broken.stderr).toBe(2);
    expect(broken.stderr).toMatch(/The download of .*group1-shard1of1\.bin broke off at \d+ of \d+ bytes .*run the same command again to resume\./);
    // Nothing looks installed while it is partial.
    expect((await runCli(['models', 'list', '--json', '--data-dir', dataDir])).stdout).not.toContain('served/esrgan-x2');

    requests.length = 0;
    const resumed = await runCli(['models', 'pull', `${base}/esrgan/reelgraph-model.json`, '--data-dir', dataDir]);
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(resumed.stdout).toMatch(/^Pulled served\/esrgan-x2 \(esrgan; upscale\), 2 files, /);
    // It asks for the rest from where the broken download's bytes end (what reached the disk, at most the half sent).
    const kept = Number(/broke off at (\d+) of/.exec(broken.stderr)![1]);
    expect(kept).toBeGreaterThan(0);
    expect(kept).toBeLessThanOrEqual(Math.floor(files.get('/esrgan/group1-shard1of1.bin')!.length / 2));
    expect(requests.find((r) => r.path.endsWith('.bin'))!.range).toBe(`bytes=${kept}-`);
    expect((await runCli(['models', 'verify', 'served/esrgan-x2', '--data-dir', dataDir])).stdout).toBe('served/esrgan-x2: ok\n');
    expect(await readdir(path.join(dataDir, 'models', '.partial', 'served'))).toEqual([]);
  });

  it('deletes a file whose sha256 is not the manifest\'s, and refuses paths outside the model', async () => {
    const dataDir = path.join(dir, 'data-bad');
    const wrong = await runCli(['models', 'pull', `${base}/esrgan/wrong-hash.json`, '--data-dir', dataDir]);
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toContain("group1-shard1of1.bin from " + `${base}/esrgan/wrong-hash.json does not match the manifest's sha256; it was deleted.`);
    requests.length = 0;
    const escape = await runCli(['models', 'pull', `${base}/esrgan/escape.json`, '--data-dir', dataDir]);
    expect(escape.code).toBe(2);
    expect(escape.stderr).toContain('lists a file Reelgraph will not download');
    expect(requests.map((r) => r.path)).toEqual(['/esrgan/escape.json']);
    const noRegistry = await runCli(['models', 'pull', 'someone/model', '--data-dir', dataDir], { env: { REELGRAPH_MODELS_URL: '' } });
    expect(noRegistry.code).toBe(2);
    expect(noRegistry.stderr).toContain('no model registry is set');
    const viaRegistry = await runCli(['models', 'pull', 'esrgan', '--id', 'served/by-id', '--data-dir', dataDir], { env: { REELGRAPH_MODELS_URL: base } });
    expect(viaRegistry.code, viaRegistry.stderr).toBe(0);
  });
});
