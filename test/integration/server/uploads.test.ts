/**
 * `POST /upload` over real HTTP: bounded in size (with nothing left behind
 * when refused), refused by declared pixel count before decoding (bombs),
 * content-addressed by sha256, stored once, type-checked by decoding rather
 * than by name, and usable by a pipeline run over the socket.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { tmpdir } from 'node:os';
import { createDeflate } from 'node:zlib';
import path from 'node:path';
import { ffmpegPath } from '@reelgraph/nodes';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startTestServer, TestClient, type TestServer } from '../../support/test-server.ts';

const LIMIT = 64 * 1024;

let media: string;
let smallPng: Buffer;
let noisePng: Buffer;
let clipMp4: Buffer;

function ffmpeg(...args: string[]): void {
  execFileSync(ffmpegPath(), ['-hide_banner', '-loglevel', 'error', '-y', ...args]);
}

const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

beforeAll(async () => {
  media = await mkdtemp(path.join(tmpdir(), 'reelgraph-upload-media-'));
  ffmpeg('-f', 'lavfi', '-i', 'testsrc2=size=64x64', '-frames:v', '1', path.join(media, 'small.png'));
  // Random pixels do not compress: a real PNG well over the 64 KiB limit.
  ffmpeg('-f', 'lavfi', '-i', 'nullsrc=size=256x256,geq=r=random(1)*255:g=random(2)*255:b=random(3)*255', '-frames:v', '1', path.join(media, 'noise.png'));
  ffmpeg('-f', 'lavfi', '-i', 'testsrc2=size=64x48:rate=12:duration=1', '-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p', path.join(media, 'clip.mp4'));
  smallPng = await readFile(path.join(media, 'small.png'));
  noisePng = await readFile(path.join(media, 'noise.png'));
  clipMp4 = await readFile(path.join(media, 'clip.mp4'));
});
afterAll(async () => {
  await rm(media, { recursive: true, force: true });
});

interface Reply {
  status: number;
  headers: IncomingHttpHeaders;
  json: Record<string, unknown>;
}

/**
 * One HTTP request. `chunked` sends the body in pieces without a
 * Content-Length, so only the server's own count can stop it.
 */
function send(
  server: TestServer,
  options: { method?: string; path: string; body?: Buffer; chunked?: boolean; headers?: Record<string, string> },
): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const body = options.body ?? Buffer.alloc(0);
    const req = httpRequest({
      host: '127.0.0.1',
      port: server.port,
      method: options.method ?? 'POST',
      path: options.path,
      agent: false,
      headers: { ...(options.chunked ? {} : { 'Content-Length': String(body.length) }), ...options.headers },
    });
    req.on('response', (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        let json: Record<string, unknown> = {};
        try {
          json = JSON.parse(text) as Record<string, unknown>;
        } catch {
          json = { unparsed: text };
        }
        resolve({ status: response.statusCode ?? 0, headers: response.headers, json });
      });
    });
    // A server that answers before reading the whole body may close the connection under our writes.
    req.on('error', reject);
    if (options.chunked) {
      for (let offset = 0; offset < body.length; offset += 16 * 1024) req.write(body.subarray(offset, offset + 16 * 1024));
      req.end();
    } else {
      req.end(body);
    }
  });
}

const upload = (server: TestServer, name: string, body: Buffer, extra: { chunked?: boolean } = {}) =>
  send(server, { path: `/upload?name=${encodeURIComponent(name)}`, body, ...extra });

async function assetFiles(server: TestServer): Promise<string[]> {
  return (await readdir(path.join(server.dataDir, 'assets')).catch(() => [] as string[])).sort();
}

let server: TestServer;
beforeEach(async () => {
  server = await startTestServer({ uploadLimitBytes: LIMIT });
});
afterEach(async () => {
  await server.dispose();
});

describe('upload size limit', () => {
  it('refuses a body whose declared length is over the limit with 413 and a JSON error naming the limit', async () => {
    expect(noisePng.length).toBeGreaterThan(LIMIT);
    const reply = await upload(server, 'noise.png', noisePng);
    expect(reply.status).toBe(413);
    expect(reply.headers['content-type']).toMatch(/^application\/json/);
    expect(reply.json.error).toMatch(/larger than/);
    expect(await assetFiles(server)).toEqual([]);
  });

  it('states the limit it enforces, even one under a MiB', async () => {
    const reply = await upload(server, 'noise.png', noisePng);
    expect(reply.status).toBe(413);
    // "larger than 0 MiB" would tell the user nothing; the message must name a limit of about 64 KiB.
    const stated = /([\d.]+)\s*(bytes|B|KiB|KB|kB|MiB|MB)\b/.exec(String(reply.json.error));
    expect(stated, String(reply.json.error)).not.toBeNull();
    const unit = { bytes: 1, B: 1, KiB: 1024, KB: 1000, kB: 1000, MiB: 1024 ** 2, MB: 1000 ** 2 }[stated![2]!]!;
    const bytes = Number(stated![1]) * unit;
    expect(bytes).toBeGreaterThan(LIMIT * 0.9);
    expect(bytes).toBeLessThan(LIMIT * 1.1);
  });

  it('refuses a chunked body (no Content-Length) once it passes the limit, with 413, and leaves no temp file', async () => {
    const reply = await upload(server, 'noise.png', noisePng, { chunked: true });
    expect(reply.status).toBe(413);
    expect(reply.json.error).toMatch(/larger than/);
    expect(await assetFiles(server)).toEqual([]);
  });

  it('accepts a chunked body under the limit', async () => {
    const reply = await upload(server, 'small.png', smallPng, { chunked: true });
    expect(reply.status).toBe(201);
    expect(reply.json.ref).toBe(`sha256:${sha256(smallPng)}`);
  });

  it('keeps serving after refusing oversized uploads, and a client that hangs up mid-upload leaves no temp file', async () => {
    // Half the limit is sent; once the server is writing it to a temp file, the connection is dropped.
    const req = httpRequest({ host: '127.0.0.1', port: server.port, method: 'POST', path: '/upload?name=half.png', agent: false });
    req.on('error', () => undefined);
    req.write(noisePng.subarray(0, LIMIT / 2));
    await expect.poll(() => assetFiles(server), { timeout: 10_000, interval: 20 }).toEqual([expect.stringMatching(/\.tmp$/)]);
    const closed = new Promise((resolve) => req.on('close', resolve));
    req.destroy();
    await closed;
    // The server sees the hang-up asynchronously, then removes the temp file.
    await expect.poll(() => assetFiles(server), { timeout: 10_000, interval: 20 }).toEqual([]);
    const reply = await upload(server, 'small.png', smallPng);
    expect(reply.status).toBe(201);
  });
});

/**
 * A valid greyscale PNG of width×height, all black: 144 MB of pixels deflate
 * to about 140 KiB. Rows are streamed through zlib, never held whole.
 */
async function blackPng(width: number, height: number): Promise<Buffer> {
  const { crc32 } = await import('node:zlib');
  const chunk = (type: string, data: Buffer) => {
    const head = Buffer.alloc(8);
    head.writeUInt32BE(data.length, 0);
    head.write(type, 4, 'latin1');
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])) >>> 0, 0);
    return Buffer.concat([head, data, crc]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8; // bit depth; colour type 0 (grey), no interlace
  const deflate = createDeflate({ level: 9 });
  const parts: Buffer[] = [];
  deflate.on('data', (part: Buffer) => parts.push(part));
  const done = new Promise((resolve) => deflate.on('end', resolve));
  const row = Buffer.alloc(width + 1);
  for (let y = 0; y < height; y++) if (!deflate.write(row)) await new Promise((resolve) => deflate.once('drain', resolve));
  deflate.end();
  await done;
  const signature = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  return Buffer.concat([signature, chunk('IHDR', ihdr), chunk('IDAT', Buffer.concat(parts)), chunk('IEND', Buffer.alloc(0))]);
}

describe('decompression bombs', () => {
  it('refuses a small PNG declaring 12000×12000 with 413 and a sentence, from its header, storing nothing', async () => {
    const bomb = await blackPng(12_000, 12_000);
    expect(bomb.length).toBeLessThan(512 * 1024);
    const roomy = await startTestServer();
    try {
      const replies = await Promise.all([1, 2, 3, 4].map((i) => upload(roomy, `bomb-${i}.png`, bomb)));
      for (const [i, reply] of replies.entries()) {
        expect(reply.status).toBe(413);
        expect(reply.json.error).toBe(
          `"bomb-${i + 1}.png" is too large to decode: the picture declares 12000×12000 pixels (144 megapixels); pictures up to 67 megapixels are decoded. Scale it down first.`,
        );
      }
      expect(await assetFiles(roomy)).toEqual([]);
      // A picture of an ordinary size still goes through.
      expect((await upload(roomy, 'small.png', smallPng)).status).toBe(201);
    } finally {
      await roomy.dispose();
    }
  });
});

describe('content-addressed storage', () => {
  it('answers with the sha256 ref and the decoded facts, and stores the exact bytes under the hash', async () => {
    const reply = await upload(server, 'small.png', smallPng);
    expect(reply.status).toBe(201);
    const hex = sha256(smallPng);
    expect(reply.json).toMatchObject({
      ref: `sha256:${hex}`,
      sha256: hex,
      name: 'small.png',
      kind: 'image',
      mime: 'image/png',
      bytes: smallPng.length,
      width: 64,
      height: 64,
    });
    expect(await assetFiles(server)).toEqual([hex]);
    expect(sha256(await readFile(path.join(server.dataDir, 'assets', hex)))).toBe(hex);
  });

  it('stores the same file once, whatever name it is uploaded under', async () => {
    const first = await upload(server, 'small.png', smallPng);
    const second = await upload(server, 'small.png', smallPng);
    const renamed = await upload(server, 'another name.png', smallPng);
    expect([first.status, second.status, renamed.status]).toEqual([201, 201, 201]);
    expect(second.json.ref).toBe(first.json.ref);
    expect(renamed.json.ref).toBe(first.json.ref);
    expect(renamed.json.name).toBe('another name.png');
    expect(await assetFiles(server)).toEqual([sha256(smallPng)]);
  });

  it('uses the name only as a label: a name with a path stores nothing outside the asset store', async () => {
    const reply = await upload(server, '../../escape.png', smallPng);
    expect(reply.status).toBe(201);
    expect(reply.json.ref).toBe(`sha256:${sha256(smallPng)}`);
    expect(await assetFiles(server)).toEqual([sha256(smallPng)]);
    // runs/ holds the engine's queue and its lock, made at start.
    expect((await readdir(server.dataDir)).sort()).toEqual(['assets', 'runs']);
    expect(await readdir(path.join(server.dataDir, 'runs'))).toEqual(['engine.lock']);
  });

  it('accepts a video and reports it as one', async () => {
    const reply = await upload(server, 'clip.mp4', clipMp4);
    expect(reply.status).toBe(201);
    expect(reply.json).toMatchObject({ ref: `sha256:${sha256(clipMp4)}`, kind: 'video', mime: 'video/mp4', width: 64, height: 48, fps: 12, frameCount: 12 });
  });
});

describe('type checked by decoding', () => {
  it('refuses a text file named .png with 415', async () => {
    const reply = await upload(server, 'notes.png', Buffer.from('These are my notes, not a picture.\n'.repeat(20)));
    expect(reply.status).toBe(415);
    expect(reply.json.error).toMatch(/notes\.png/);
    expect(await assetFiles(server)).toEqual([]);
  });

  it('refuses a truncated PNG and a PNG with damaged pixel data with 415', async () => {
    const truncated = smallPng.subarray(0, Math.floor(smallPng.length * 0.6));
    const damaged = Buffer.from(smallPng);
    // Flip the compressed pixel data, keeping the signature and header chunk intact.
    for (let i = 100; i < damaged.length - 20; i++) damaged[i]! ^= 0x5a;
    for (const [name, bytes] of [['truncated.png', truncated], ['damaged.png', damaged]] as const) {
      const reply = await upload(server, name, bytes);
      expect(reply.status, name).toBe(415);
    }
    expect(await assetFiles(server)).toEqual([]);
  });

  it('refuses an empty body with 400 and a GET with 405', async () => {
    expect((await upload(server, 'empty.png', Buffer.alloc(0))).status).toBe(400);
    expect((await send(server, { method: 'GET', path: '/upload' })).status).toBe(405);
    expect(await assetFiles(server)).toEqual([]);
  });
});

describe('an uploaded image in a pipeline run over the socket', () => {
  it('runs a reference-image node that names the upload by its ref', async () => {
    const reply = await upload(server, 'small.png', smallPng);
    expect(reply.status).toBe(201);
    const client = await TestClient.connect(server.wsUrl);
    try {
      client.send({
        type: 'run',
        runId: 'uses-upload',
        pipeline: {
          format: 'reelgraph.pipeline',
          version: 1,
          nodes: [{ id: 'ref', type: 'reference-image', params: { image: reply.json.ref, width: 32, height: 24 } }],
        },
      });
      await client.next('run.accepted', (m) => m.runId === 'uses-upload');
      const finished = await client.next('run.finished', (m) => m.runId === 'uses-upload');
      expect(finished.status).toBe('succeeded');
      const output = await client.next('node.output', (m) => m.runId === 'uses-upload' && m.nodeId === 'ref');
      expect(output.outputs.image).toMatchObject({ kind: 'image', width: 32, height: 24 });

      // A ref that was never uploaded is refused before the run starts: the first run really read the store.
      client.send({
        type: 'run',
        runId: 'never-uploaded',
        pipeline: {
          format: 'reelgraph.pipeline',
          version: 1,
          nodes: [{ id: 'ref', type: 'reference-image', params: { image: `sha256:${sha256(noisePng)}` } }],
        },
      });
      const rejected = await client.next('run.rejected', (m) => m.runId === 'never-uploaded');
      expect(rejected.errors[0]).toMatchObject({ code: 'media', nodeId: 'ref', param: 'image' });
    } finally {
      await client.close();
    }
  });
});
