/**
 * A real HTTP server that offers models the way a registry does, each file
 * with a `reelgraph-model.json` beside it, serving Range requests: the
 * built-in ESRGAN slim ×2 files (at `/esrgan/`) and a tiny SD-Turbo-style
 * diffusion export in the Optimum layout (at `/diffusion/`, files in
 * subfolders). Tests pull from it.
 */
import { createHash } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { esrganSlimFolder } from '@reelgraph/models/esrgan-slim-files';
import { writeTinyDiffusionFolder } from '@reelgraph/models/testing/tiny-diffusion';

export interface ModelServer {
  base: string;
  /** The manifest URL of the ESRGAN ×2 model offered under `id`. */
  manifestUrl(id: string): string;
  /** The manifest URL of the tiny diffusion export offered under `id`. */
  diffusionManifestUrl(id: string): string;
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
  const offered = { esrgan: await esrganX2Files(), diffusion: await tinyDiffusionFiles() };
  const manifestOf = (folder: keyof typeof offered, id: string) =>
    folder === 'esrgan'
      ? esrganManifest(id, offered.esrgan)
      : JSON.stringify({
          id,
          name: 'Tiny SD-Turbo-style export, served',
          family: 'diffusion',
          tasks: ['text-to-video', 'image-to-video', 'inpaint'],
          description: 'A tiny Stable Diffusion export with the real signatures, pulled over HTTP in a test.',
          licence: 'MIT',
          source: 'a test server',
          files: [...offered.diffusion].map(([name, bytes]) => ({ path: name, sha256: createHash('sha256').update(bytes).digest('hex'), bytes: bytes.length })),
        });
  const server = createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://models');
    const [, folder = '', ...rest] = url.pathname.split('/');
    const name = rest.join('/');
    const files = folder === 'esrgan' || folder === 'diffusion' ? offered[folder] : undefined;
    const bytes = !files ? undefined : name === 'reelgraph-model.json' ? Buffer.from(manifestOf(folder as keyof typeof offered, url.searchParams.get('id') ?? `served/${folder}`)) : files.get(name);
    if (!bytes) {
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
    diffusionManifestUrl: (id) => `${base}/diffusion/reelgraph-model.json?id=${encodeURIComponent(id)}`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/** A tiny SD-Turbo-style export's files, by path inside the folder. */
async function tinyDiffusionFiles(): Promise<Map<string, Buffer>> {
  const dir = await mkdtemp(path.join(tmpdir(), 'reelgraph-served-diffusion-'));
  try {
    await writeTinyDiffusionFolder(dir);
    const names = (await readdir(dir, { recursive: true, withFileTypes: true })).filter((entry) => entry.isFile()).map((entry) => path.relative(dir, path.join(entry.parentPath, entry.name)));
    return new Map(await Promise.all(names.sort().map(async (name) => [name, await readFile(path.join(dir, name))] as const)));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
