/**
 * A real HTTP server that offers a model the way a registry does: the
 * built-in ESRGAN slim ×2 files with a `reelgraph-model.json` beside them
 * (at `/esrgan/`), serving Range requests. Tests pull from it.
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { esrganSlimFolder } from '@reelgraph/models/esrgan-slim-files';

export interface ModelServer {
  base: string;
  /** The manifest URL of the ESRGAN ×2 model offered under `id`. */
  manifestUrl(id: string): string;
  close(): Promise<void>;
}

/** The ESRGAN slim ×2 files, by name. */
export async function esrganX2Files(): Promise<Map<string, Buffer>> {
  const x2 = path.join(esrganSlimFolder(), 'models', 'x2');
  return new Map(await Promise.all(['model.json', 'group1-shard1of1.bin'].map(async (name) => [name, await readFile(path.join(x2, name))] as const)));
}

/** A reelgraph-model.json offering `files` as the model `id`; `entry` may change what a file's entry says (a hostile or wrong manifest). */
export function esrganManifest(id: string, files: ReadonlyMap<string, Buffer>, entry: (name: string, fields: { path: string; sha256: string; bytes: number }) => object = (_, f) => f): string {
  return JSON.stringify({
    id,
    name: 'ESRGAN slim ×2, served',
    family: 'esrgan',
    tasks: ['upscale'],
    description: 'Pulled over HTTP in a test.',
    licence: 'MIT',
    source: 'a test server',
    files: [...files].map(([name, bytes]) => entry(name, { path: name, sha256: createHash('sha256').update(bytes).digest('hex'), bytes: bytes.length })),
  });
}

export async function startModelServer(): Promise<ModelServer> {
  const files = await esrganX2Files();
  const manifest = (id: string) => esrganManifest(id, files);
  const server = createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://models');
    const [, folder, name] = url.pathname.split('/');
    const bytes = folder === 'esrgan' && name === 'reelgraph-model.json' ? Buffer.from(manifest(url.searchParams.get('id') ?? 'served/esrgan-x2')) : files.get(name ?? '');
    if (folder !== 'esrgan' || !bytes) {
      response.writeHead(404).end();
      return;
    }
    const range = /^bytes=(\d+)-$/.exec(request.headers.range ?? '');
    const start = range ? Number(range[1]) : 0;
    response.writeHead(range ? 206 : 200, { 'content-length': bytes.length - start, ...(range ? { 'content-range': `bytes ${start}-${bytes.length - 1}/${bytes.length}` } : {}) });
    response.end(bytes.subarray(start));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    base,
    manifestUrl: (id) => `${base}/esrgan/reelgraph-model.json?id=${encodeURIComponent(id)}`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
