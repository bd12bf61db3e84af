/**
 * A full disk during an upload: the real `reelgraph serve` runs with its data
 * dir on a 2 MiB tmpfs (mounted in a user and mount namespace of its own, so
 * no privileges are needed and nothing outside the test sees it). An upload
 * that does not fit is answered 507 with a sentence, and nothing partial is
 * kept: the space is free again for the next upload.
 */
import { execFileSync, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ffmpegPath } from '@reelgraph/nodes';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../support/run-cli.ts';

const unshareWorks = spawnSync('unshare', ['--user', '--map-root-user', '--mount', 'true']).status === 0;

let work: string;
let serve: ChildProcess | undefined;
let port: number;
let picture: Buffer;

beforeAll(async () => {
  work = await mkdtemp(path.join(tmpdir(), 'reelgraph-full-disk-'));
  if (!unshareWorks) return;
  // Random pixels do not compress: a real PNG of about 1.2 MiB.
  const raw = path.join(work, 'noise.rgb');
  await writeFile(raw, randomBytes(640 * 640 * 3));
  execFileSync(ffmpegPath(), ['-hide_banner', '-loglevel', 'error', '-f', 'rawvideo', '-pix_fmt', 'rgb24', '-s', '640x640', '-i', raw, path.join(work, 'noise.png')]);
  picture = await readFile(path.join(work, 'noise.png'));
  const dataDir = path.join(work, 'data');
  execFileSync('mkdir', ['-p', dataDir]);
  serve = spawn(
    'unshare',
    [
      ...['--user', '--map-root-user', '--mount', 'sh', '-c'],
      'mount -t tmpfs -o size=2m tmpfs "$1" && exec "$0" --import tsx "$2" serve --port 0 --data-dir "$1"',
      ...[process.execPath, dataDir, path.join(REPO_ROOT, 'engine/src/cli/main.ts')],
    ],
    { cwd: REPO_ROOT, env: { ...process.env, REELGRAPH_TOKEN: '' }, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let stdout = '';
  let stderr = '';
  serve.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  port = await new Promise<number>((resolve, reject) => {
    serve!.stdout!.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      const listening = /http:\/\/[^\s/]+:(\d+)/.exec(stdout);
      if (listening) resolve(Number(listening[1]));
    });
    serve!.on('exit', (code) => reject(new Error(`serve exited with ${code}:\n${stdout}\n${stderr}`)));
  });
});
afterAll(async () => {
  serve?.kill('SIGKILL');
  await rm(work, { recursive: true, force: true });
});

async function post(route: string, body: Buffer): Promise<{ status: number; json: Record<string, unknown> }> {
  const response = await fetch(`http://127.0.0.1:${port}${route}`, { method: 'POST', body });
  return { status: response.status, json: (await response.json()) as Record<string, unknown> };
}

describe.skipIf(!unshareWorks)('a full disk during upload', () => {
  it('answers 507 with a sentence, keeps nothing partial, and the space is there for the next upload', async () => {
    const tooBig = randomBytes(3 * 1024 * 1024);
    const refused = await post('/upload?name=huge.mp4', tooBig);
    expect(refused.status).toBe(507);
    expect(refused.json.error).toBe(
      "The engine's disk is full, so the file could not be stored; free some space (or empty the cache folder) and try again.",
    );
    const imported = await post('/import?name=huge.mp4', tooBig);
    expect(imported.status).toBe(507);

    // 1.2 MiB fits on the 2 MiB disk only if nothing of the 3 MiB attempts was kept.
    expect(picture.length).toBeGreaterThan(1024 * 1024);
    const stored = await post('/upload?name=noise.png', picture);
    expect(stored.status, JSON.stringify(stored.json)).toBe(201);
    expect(stored.json).toMatchObject({ kind: 'image', width: 640, height: 640 });
    expect(serve!.exitCode).toBeNull();
  });
});
