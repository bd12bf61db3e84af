import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DeleteObjectCommand, GetObjectCommand, HeadObjectCommand, ListObjectsV2Command, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startS3TestServer, type S3TestServer } from '../testing/s3-test-server.ts';
import { FolderStore } from './folder-store.ts';
import { openSharedStore } from './open-shared-store.ts';
import { S3Store } from './s3-store.ts';
import type { SharedStore } from './shared-store.ts';

const MiB = 1024 * 1024;
const KEY_AB = `ab${'0123456789abcdef'.repeat(4).slice(2)}`;
const KEY_CD = `cd${'fedcba9876543210'.repeat(4).slice(2)}`;

/** What the contract suite needs besides the store: a way to reach its objects behind its back. */
interface Harness {
  store: SharedStore;
  /** Puts bytes as the data object of `key` and nothing else, as a writer killed before its manifest would. */
  writeData(key: string, bytes: Buffer): Promise<void>;
  readData(key: string): Promise<Buffer>;
  /** Every object or file, relative to the store's root or prefix, sorted. */
  list(): Promise<string[]>;
  dispose(): Promise<void>;
}

let work: string;
let server: S3TestServer;
let admin: S3Client;
let runs = 0;

beforeAll(async () => {
  work = await mkdtemp(path.join(tmpdir(), 'reelgraph-shared-store-'));
  server = await startS3TestServer();
  admin = testClient(server);
});

afterAll(async () => {
  admin?.destroy();
  await server?.stop();
  await rm(work, { recursive: true, force: true });
});

function testClient(s: S3TestServer): S3Client {
  return new S3Client({
    endpoint: s.endpoint,
    region: 'us-east-1',
    forcePathStyle: true,
    credentials: s.credentials,
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  });
}

async function folderHarness(): Promise<Harness> {
  const root = path.join(work, `folder-${++runs}`);
  await mkdir(root);
  const dataPath = (key: string) => path.join(root, key.slice(0, 2), `${key}.rgc`);
  return {
    store: new FolderStore(root),
    async writeData(key, bytes) {
      await mkdir(path.dirname(dataPath(key)), { recursive: true });
      await writeFile(dataPath(key), bytes);
    },
    readData: (key) => readFile(dataPath(key)),
    async list() {
      const entries = await readdir(root, { recursive: true, withFileTypes: true });
      return entries
        .filter((e) => e.isFile())
        .map((e) => path.relative(root, path.join(e.parentPath, e.name)).split(path.sep).join('/'))
        .sort();
    },
    dispose: async () => undefined,
  };
}

async function s3Harness(): Promise<Harness> {
  // A fresh prefix per test: one server, no test sees another's objects.
  const prefix = `farm/run-${++runs}/`;
  const store = new S3Store({ endpoint: server.endpoint, bucket: server.bucket, prefix, credentials: server.credentials });
  const dataName = (key: string) => `${prefix}${key.slice(0, 2)}/${key}.rgc`;
  return {
    store,
    async writeData(key, bytes) {
      await admin.send(new PutObjectCommand({ Bucket: server.bucket, Key: dataName(key), Body: bytes }));
    },
    async readData(key) {
      const response = await admin.send(new GetObjectCommand({ Bucket: server.bucket, Key: dataName(key) }));
      return Buffer.from(await response.Body!.transformToByteArray());
    },
    async list() {
      const response = await admin.send(new ListObjectsV2Command({ Bucket: server.bucket, Prefix: prefix }));
      return (response.Contents ?? []).map((o) => o.Key!.slice(prefix.length)).sort();
    },
    dispose: () => store.close(),
  };
}

async function sourceFile(bytes: Buffer): Promise<string> {
  const file = path.join(work, `source-${++runs}.rgc`);
  await writeFile(file, bytes);
  return file;
}

const target = () => path.join(work, `downloaded-${++runs}.rgc`);

describe.each([
  ['FolderStore', folderHarness],
  ['S3Store', s3Harness],
] as const)('SharedStore contract: %s', (_name, makeHarness) => {
  let h: Harness;
  beforeEach(async () => {
    h = await makeHarness();
  });
  afterEach(async () => {
    await h.dispose();
  });

  it('reports an absent key as absent and writes no file for it', async () => {
    const file = target();
    expect(await h.store.has(KEY_AB)).toBe(false);
    expect(await h.store.download(KEY_AB, file)).toBe(false);
    expect(existsSync(file)).toBe(false);
  });

  it('gives back the identical bytes of a multi-MiB entry after an upload', async () => {
    const bytes = randomBytes(3 * MiB + 17);
    await h.store.upload(KEY_AB, await sourceFile(bytes));
    expect(await h.store.has(KEY_AB)).toBe(true);
    expect(await h.store.has(KEY_CD)).toBe(false);
    const file = target();
    expect(await h.store.download(KEY_AB, file)).toBe(true);
    const got = await readFile(file);
    expect(got.length).toBe(bytes.length);
    expect(got.equals(bytes)).toBe(true);
  });

  it('counts a data object without a manifest as absent (a writer killed after the data)', async () => {
    await h.writeData(KEY_AB, randomBytes(4096));
    expect(await h.list()).toEqual([`ab/${KEY_AB}.rgc`]);
    const file = target();
    expect(await h.store.has(KEY_AB)).toBe(false);
    expect(await h.store.download(KEY_AB, file)).toBe(false);
    expect(existsSync(file)).toBe(false);
  });

  it('refuses data changed after its manifest was written (same size) and leaves no file', async () => {
    const bytes = randomBytes(2 * MiB);
    await h.store.upload(KEY_AB, await sourceFile(bytes));
    const damaged = Buffer.from(bytes);
    damaged[MiB] = damaged[MiB]! ^ 0xff;
    await h.writeData(KEY_AB, damaged);
    expect((await h.readData(KEY_AB)).equals(damaged)).toBe(true);
    const file = target();
    await expect(h.store.download(KEY_AB, file)).rejects.toThrow(/does not match its manifest/);
    expect(existsSync(file)).toBe(false);
  });

  it('refuses truncated data and leaves no file', async () => {
    const bytes = randomBytes(MiB);
    await h.store.upload(KEY_AB, await sourceFile(bytes));
    await h.writeData(KEY_AB, bytes.subarray(0, bytes.length - 1));
    const file = target();
    await expect(h.store.download(KEY_AB, file)).rejects.toThrow(`does not match its manifest (${bytes.length - 1} bytes read, ${bytes.length} listed`);
    expect(existsSync(file)).toBe(false);
  });

  it('refuses strings that are not cache keys before touching storage', async () => {
    const source = await sourceFile(randomBytes(100));
    for (const bad of ['../../etc/passwd', 'AB0123456789ABCDEF', 'abc', `${KEY_AB}/x`, `${KEY_AB}.json`, '']) {
      await expect(h.store.has(bad)).rejects.toThrow(/is not a cache key/);
      await expect(h.store.download(bad, target())).rejects.toThrow(/is not a cache key/);
      await expect(h.store.upload(bad, source)).rejects.toThrow(/is not a cache key/);
    }
    expect(await h.list()).toEqual([]);
  });

  it('puts keys with different first two characters in different shard folders', async () => {
    await h.store.upload(KEY_AB, await sourceFile(Buffer.from('first')));
    await h.store.upload(KEY_CD, await sourceFile(Buffer.from('second')));
    expect(await h.list()).toEqual([`ab/${KEY_AB}.json`, `ab/${KEY_AB}.rgc`, `cd/${KEY_CD}.json`, `cd/${KEY_CD}.rgc`]);
    const file = target();
    await h.store.download(KEY_CD, file);
    expect(await readFile(file, 'utf8')).toBe('second');
  });
});

describe('S3Store', () => {
  it('describes itself by bucket, prefix and endpoint, without the credentials of the URL', async () => {
    const store = new S3Store({ endpoint: 'http://user:secret@127.0.0.1:9000/', bucket: 'cache', prefix: '/farm/shared' });
    expect(store.description).toBe('s3://cache/farm/shared at http://127.0.0.1:9000');
    expect(store.prefix).toBe('farm/shared/');
    await store.close();
    const bare = new S3Store({ endpoint: 'https://s3.example.org', bucket: 'cache' });
    expect(bare.description).toBe('s3://cache/ at https://s3.example.org');
    await bare.close();
  });

  it('sends a large entry as a multipart upload and reads it back whole', async () => {
    const prefix = `multipart-${++runs}/`;
    const store = new S3Store({ endpoint: server.endpoint, bucket: server.bucket, prefix, credentials: server.credentials, multipartThreshold: 5 * MiB, partSize: 5 * MiB });
    try {
      const bytes = randomBytes(11 * MiB + 3);
      await store.upload(KEY_AB, await sourceFile(bytes));
      // s3rver reports a completed multipart upload as a Post (its ETags do not show parts).
      expect(server.events.filter((e) => e.key.startsWith(prefix)).map((e) => [e.name, e.key])).toEqual([
        ['ObjectCreated:Post', `${prefix}ab/${KEY_AB}.rgc`],
        ['ObjectCreated:Put', `${prefix}ab/${KEY_AB}.json`],
      ]);
      const file = target();
      expect(await store.download(KEY_AB, file)).toBe(true);
      expect((await readFile(file)).equals(bytes)).toBe(true);
    } finally {
      await store.close();
    }
  });

  it('sends a small entry as one PUT', async () => {
    const prefix = `single-${++runs}/`;
    const store = new S3Store({ endpoint: server.endpoint, bucket: server.bucket, prefix, credentials: server.credentials, multipartThreshold: 5 * MiB });
    try {
      await store.upload(KEY_AB, await sourceFile(randomBytes(5 * MiB)));
      expect(server.events.filter((e) => e.key.startsWith(prefix)).map((e) => [e.name, e.key])).toEqual([
        ['ObjectCreated:Put', `${prefix}ab/${KEY_AB}.rgc`],
        ['ObjectCreated:Put', `${prefix}ab/${KEY_AB}.json`],
      ]);
      const head = await admin.send(new HeadObjectCommand({ Bucket: server.bucket, Key: `${prefix}ab/${KEY_AB}.rgc` }));
      expect(head.ContentLength).toBe(5 * MiB);
    } finally {
      await store.close();
    }
  });

  it('writes a manifest the shared format describes', async () => {
    const prefix = `manifest-${++runs}/`;
    const store = new S3Store({ endpoint: server.endpoint, bucket: server.bucket, prefix, credentials: server.credentials });
    try {
      await store.upload(KEY_AB, await sourceFile(Buffer.from('hello')));
      const response = await admin.send(new GetObjectCommand({ Bucket: server.bucket, Key: `${prefix}ab/${KEY_AB}.json` }));
      expect(JSON.parse(await response.Body!.transformToString())).toEqual({
        format: 'reelgraph.shared-entry',
        version: 1,
        key: KEY_AB,
        bytes: 5,
        // sha256("hello")
        sha256: '2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824',
      });
    } finally {
      await store.close();
    }
  });

  it('refuses an entry whose manifest names a data object that is gone, leaving no file', async () => {
    const prefix = `gone-${++runs}/`;
    const store = new S3Store({ endpoint: server.endpoint, bucket: server.bucket, prefix, credentials: server.credentials });
    try {
      await store.upload(KEY_AB, await sourceFile(Buffer.from('soon gone')));
      await admin.send(new DeleteObjectCommand({ Bucket: server.bucket, Key: `${prefix}ab/${KEY_AB}.rgc` }));
      expect(await store.has(KEY_AB)).toBe(true);
      const file = target();
      await expect(store.download(KEY_AB, file)).rejects.toThrow(/has a manifest but no data object/);
      expect(existsSync(file)).toBe(false);
    } finally {
      await store.close();
    }
  });

  it('reports a missing bucket as an error naming the store, not as an absent entry', async () => {
    const store = new S3Store({ endpoint: server.endpoint, bucket: 'no-such-bucket', credentials: server.credentials });
    try {
      await expect(store.has(KEY_AB)).rejects.toThrow(`in s3://no-such-bucket/ at ${server.endpoint}`);
      await expect(store.download(KEY_AB, target())).rejects.toThrow(/NoSuchBucket|bucket does not exist/);
    } finally {
      await store.close();
    }
  });

  it('reports refused credentials as an error naming the store', async () => {
    // s3rver checks the access key id only (not SigV4 signatures), so the id is the wrong part here.
    const store = new S3Store({ endpoint: server.endpoint, bucket: server.bucket, credentials: { accessKeyId: 'NOT-A-KEY', secretAccessKey: 'S3RVER' } });
    try {
      await expect(store.has(KEY_AB)).rejects.toThrow(`s3://${server.bucket}/ at ${server.endpoint}`);
      await expect(store.has(KEY_AB)).rejects.toThrow(/Access Key Id.*does not exist.*HTTP 403/);
      await expect(store.upload(KEY_AB, await sourceFile(Buffer.from('x')))).rejects.toThrow(/Could not write .*\.rgc in s3:\/\//);
    } finally {
      await store.close();
    }
  });

  it('reports an unreachable server as an error naming the store', async () => {
    const closed = await startS3TestServer();
    await closed.stop();
    const store = new S3Store({ endpoint: closed.endpoint, bucket: closed.bucket, credentials: closed.credentials });
    try {
      await expect(store.has(KEY_AB)).rejects.toThrow(`at ${closed.endpoint}`);
    } finally {
      await store.close();
    }
  });
});

describe('openSharedStore', () => {
  it('opens a folder store for a plain path or a file:// URL', async () => {
    const plain = openSharedStore(path.join(work, 'plain'), {});
    expect(plain).toBeInstanceOf(FolderStore);
    expect((plain as FolderStore).root).toBe(path.join(work, 'plain'));
    const relative = openSharedStore('cache/shared', {});
    expect((relative as FolderStore).root).toBe(path.resolve('cache/shared'));
    const url = openSharedStore('file:///srv/reel%20cache', {});
    expect(url).toBeInstanceOf(FolderStore);
    expect((url as FolderStore).root).toBe('/srv/reel cache');
  });

  it('opens an S3 store with the endpoint from the value or from REELGRAPH_S3_ENDPOINT', async () => {
    const a = openSharedStore('s3://render-cache/farm/shared?endpoint=http://127.0.0.1:9000', {}) as S3Store;
    expect(a).toBeInstanceOf(S3Store);
    expect(a.bucket).toBe('render-cache');
    expect(a.prefix).toBe('farm/shared/');
    expect(a.description).toBe('s3://render-cache/farm/shared at http://127.0.0.1:9000');
    await a.close();
    const b = openSharedStore('s3://render-cache', { REELGRAPH_S3_ENDPOINT: 'http://10.0.0.5:3900' }) as S3Store;
    expect(b.prefix).toBe('');
    expect(b.description).toBe('s3://render-cache/ at http://10.0.0.5:3900');
    await b.close();
    // The value wins over the environment.
    const c = openSharedStore('s3://render-cache/x/?endpoint=http://127.0.0.1:9000&region=eu-west-1', { REELGRAPH_S3_ENDPOINT: 'http://10.0.0.5:3900' });
    expect(c.description).toBe('s3://render-cache/x at http://127.0.0.1:9000');
    await c.close();
  });

  it('refuses values it cannot open, saying why', () => {
    expect(() => openSharedStore('s3://render-cache/farm', {})).toThrow(/needs an endpoint.*REELGRAPH_S3_ENDPOINT/);
    expect(() => openSharedStore('s3:///farm?endpoint=http://h:1', {})).toThrow(/does not name an S3 bucket/);
    expect(() => openSharedStore('s3://Render_Cache?endpoint=http://h:1', {})).toThrow(/does not name an S3 bucket/);
    expect(() => openSharedStore('s3://render-cache?endpoint=http://h:1&acl=public', {})).toThrow(/unknown option "acl"/);
    expect(() => openSharedStore('s3://render-cache?endpoint=ftp://h:1', {})).toThrow(/must be an http/);
    expect(() => openSharedStore('s3://render-cache?endpoint=not a url', {})).toThrow(/is not a URL/);
    expect(() => openSharedStore('https://bucket.s3.amazonaws.com/x', {})).toThrow(/scheme https:\/\//);
    expect(() => openSharedStore('gs://bucket/x', {})).toThrow(/scheme gs:\/\//);
    expect(() => openSharedStore('  ', {})).toThrow(/is empty/);
  });

  it('reaches the test server with credentials from the AWS environment variables', async () => {
    const saved = { id: process.env.AWS_ACCESS_KEY_ID, secret: process.env.AWS_SECRET_ACCESS_KEY };
    process.env.AWS_ACCESS_KEY_ID = server.credentials.accessKeyId;
    process.env.AWS_SECRET_ACCESS_KEY = server.credentials.secretAccessKey;
    const store = openSharedStore(`s3://${server.bucket}/env-${++runs}?endpoint=${server.endpoint}`, {});
    try {
      await store.upload(KEY_CD, await sourceFile(Buffer.from('from env')));
      expect(await store.has(KEY_CD)).toBe(true);
    } finally {
      await store.close();
      restore('AWS_ACCESS_KEY_ID', saved.id);
      restore('AWS_SECRET_ACCESS_KEY', saved.secret);
    }
  });
});

function restore(name: string, value: string | undefined): void {
  if (value === undefined) delete process.env[name];
  else process.env[name] = value;
}
