/**
 * The shared tier on S3-compatible object storage (AWS S3, MinIO, Ceph RGW,
 * Garage, R2, ...): `<prefix><ab>/<key>.rgc`, then `<prefix><ab>/<key>.json`
 * beside it. A PUT is atomic per object, so the order is the whole protocol:
 * the manifest goes up only after the data object is complete, and readers go
 * by the manifest. A writer killed between the two leaves a data object no
 * manifest names, which counts as absent (and is overwritten by the next
 * upload of that key).
 *
 * Addressing is path-style (`http://host:port/bucket/key`), which every
 * S3-compatible server accepts; virtual-host style needs DNS per bucket.
 * Checksums are only computed or checked where an operation requires them
 * (`WHEN_REQUIRED`): since SDK 3.729 the default adds CRC32 trailers
 * (aws-chunked uploads) and checks response checksums, which many non-AWS
 * servers reject or do not send. Integrity is ours anyway: the manifest's
 * size and sha256, checked on every download.
 */
import { createHash, type Hash } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { rm, stat } from 'node:fs/promises';
import { Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { checkKey, manifestFor, parseManifest, type EntryManifest, type SharedStore } from './shared-store.ts';

const MiB = 1024 * 1024;

export interface S3StoreOptions {
  /** The server's URL, e.g. `http://127.0.0.1:9000` or `https://s3.eu-central-1.amazonaws.com`. */
  endpoint: string;
  bucket: string;
  /** Put before every object name; a `/` is added when missing (`farm/cache` → `farm/cache/…`). */
  prefix?: string;
  /** Signing region; most non-AWS servers accept any. Default `us-east-1`. */
  region?: string;
  /**
   * Access keys. Without them the SDK's default chain is used, which reads
   * `AWS_ACCESS_KEY_ID` / `AWS_SECRET_ACCESS_KEY` / `AWS_SESSION_TOKEN` first
   * (then `AWS_PROFILE` and the shared config files).
   */
  credentials?: { accessKeyId: string; secretAccessKey: string; sessionToken?: string };
  /** Files larger than this go up as a multipart upload. Default 64 MiB. */
  multipartThreshold?: number;
  /** Part size of a multipart upload; S3 wants at least 5 MiB. Default 16 MiB. */
  partSize?: number;
}

export class S3Store implements SharedStore {
  readonly bucket: string;
  readonly prefix: string;
  readonly endpoint: string;
  readonly description: string;
  readonly #client: S3Client;
  readonly #multipartThreshold: number;
  readonly #partSize: number;

  constructor(options: S3StoreOptions) {
    let endpoint: URL;
    try {
      endpoint = new URL(options.endpoint);
    } catch {
      throw new Error(`The S3 endpoint "${options.endpoint}" is not a URL (for example http://127.0.0.1:9000).`);
    }
    if (endpoint.protocol !== 'http:' && endpoint.protocol !== 'https:') {
      throw new Error(`The S3 endpoint "${options.endpoint}" must be an http:// or https:// URL.`);
    }
    if (!options.bucket) throw new Error('An S3 shared store needs a bucket.');
    this.bucket = options.bucket;
    this.prefix = normalizePrefix(options.prefix ?? '');
    // Origin and path only: user:password in the URL must not reach messages.
    this.endpoint = endpoint.origin + (endpoint.pathname === '/' ? '' : endpoint.pathname.replace(/\/$/, ''));
    this.description = `s3://${this.bucket}/${this.prefix.replace(/\/$/, '')} at ${this.endpoint}`;
    this.#multipartThreshold = options.multipartThreshold ?? 64 * MiB;
    this.#partSize = Math.max(options.partSize ?? 16 * MiB, 5 * MiB);
    this.#client = new S3Client({
      endpoint: this.endpoint,
      region: options.region ?? 'us-east-1',
      forcePathStyle: true,
      requestChecksumCalculation: 'WHEN_REQUIRED',
      responseChecksumValidation: 'WHEN_REQUIRED',
      ...(options.credentials ? { credentials: options.credentials } : {}),
    });
  }

  async has(key: string): Promise<boolean> {
    return (await this.#manifest(key)) !== undefined;
  }

  async download(key: string, file: string): Promise<boolean> {
    const manifest = await this.#manifest(key);
    if (!manifest) return false;
    const name = this.#dataName(key);
    const response = await this.#send('read', name, () => this.#client.send(new GetObjectCommand({ Bucket: this.bucket, Key: name })));
    if (!response) {
      throw new Error(`The shared entry ${key} in ${this.description} has a manifest but no data object (${name}).`);
    }
    const counted = counting();
    try {
      await pipeline(response.Body as Readable, counted.stream, createWriteStream(file));
    } catch (error) {
      await rm(file, { force: true });
      throw new Error(`Downloading ${name} from ${this.description} failed: ${messageOf(error)}`, { cause: error });
    }
    const { bytes, sha256 } = counted.result();
    if (bytes !== manifest.bytes || sha256 !== manifest.sha256) {
      await rm(file, { force: true });
      throw new Error(
        `The shared entry ${key} in ${this.description} does not match its manifest (${bytes} bytes read, ${manifest.bytes} listed${bytes === manifest.bytes ? '; sha256 differs' : ''}).`,
      );
    }
    return true;
  }

  async upload(key: string, file: string): Promise<void> {
    const name = this.#dataName(key);
    const size = (await stat(file)).size;
    // Hashed as it is sent, so the manifest describes exactly the bytes that went up.
    const counted = counting();
    const source = createReadStream(file);
    const body = source.on('error', (error) => counted.stream.destroy(error)).pipe(counted.stream);
    try {
      await this.#send('write', name, async () => {
        if (size > this.#multipartThreshold) {
          // Aborts the multipart upload (and drops its parts) when it fails.
          await new Upload({ client: this.#client, params: { Bucket: this.bucket, Key: name, Body: body }, partSize: this.#partSize, queueSize: 4 }).done();
        } else {
          await this.#client.send(new PutObjectCommand({ Bucket: this.bucket, Key: name, Body: body, ContentLength: size }));
        }
      });
    } finally {
      // A failed request may leave the file open.
      source.destroy();
      body.destroy();
    }
    const { bytes, sha256 } = counted.result();
    if (bytes !== size) {
      // The file changed while it went up: no manifest, so the entry stays absent.
      throw new Error(`The cache file ${file} changed size while it was uploaded to ${this.description} (${size} → ${bytes} bytes).`);
    }
    const manifestName = this.#manifestName(key);
    const manifest = Buffer.from(JSON.stringify(manifestFor(key, bytes, sha256)));
    await this.#send('write', manifestName, () =>
      this.#client.send(
        new PutObjectCommand({ Bucket: this.bucket, Key: manifestName, Body: manifest, ContentLength: manifest.byteLength, ContentType: 'application/json' }),
      ),
    );
  }

  async close(): Promise<void> {
    this.#client.destroy();
  }

  async #manifest(key: string): Promise<EntryManifest | undefined> {
    const name = this.#manifestName(key);
    const text = await this.#send('read', name, async () => {
      const response = await this.#client.send(new GetObjectCommand({ Bucket: this.bucket, Key: name }));
      return response.Body!.transformToString('utf8');
    });
    return text === undefined ? undefined : parseManifest(text, key);
  }

  /** Runs one request; a missing object on a read is `undefined`, any other failure an error naming the store. */
  async #send<T>(verb: 'read' | 'write', name: string, request: () => Promise<T>): Promise<T | undefined> {
    try {
      return await request();
    } catch (error) {
      if (verb === 'read' && isMissingObject(error)) return undefined;
      throw new Error(`Could not ${verb} ${name} in ${this.description}: ${messageOf(error)}`, { cause: error });
    }
  }

  #dataName(key: string): string {
    return `${this.prefix}${checkKey(key).slice(0, 2)}/${key}.rgc`;
  }

  #manifestName(key: string): string {
    return `${this.prefix}${checkKey(key).slice(0, 2)}/${key}.json`;
  }
}

/** `a/b` → `a/b/`, `/a/` → `a/`, `` → ``. */
function normalizePrefix(prefix: string): string {
  const trimmed = prefix.replace(/^\/+/, '');
  return trimmed === '' || trimmed.endsWith('/') ? trimmed : `${trimmed}/`;
}

/** NoSuchKey (GET) or NotFound (HEAD); NoSuchBucket is a setup error and propagates. */
function isMissingObject(error: unknown): boolean {
  const e = error as { name?: string; Code?: string; $metadata?: { httpStatusCode?: number } };
  if (e?.name === 'NoSuchBucket' || e?.Code === 'NoSuchBucket') return false;
  return e?.name === 'NoSuchKey' || e?.Code === 'NoSuchKey' || e?.name === 'NotFound';
}

function messageOf(error: unknown): string {
  const e = error as { name?: string; message?: string; $metadata?: { httpStatusCode?: number } };
  const status = e?.$metadata?.httpStatusCode;
  const message = e?.message && e.message !== 'UnknownError' ? e.message : (e?.name ?? String(error));
  return status ? `${message} (HTTP ${status})` : message;
}

/** A pass-through that counts and hashes what flows through it. */
function counting(): { stream: Transform; result(): { bytes: number; sha256: string } } {
  const hash: Hash = createHash('sha256');
  let bytes = 0;
  const stream = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      bytes += chunk.byteLength;
      hash.update(chunk);
      callback(null, chunk);
    },
  });
  return { stream, result: () => ({ bytes, sha256: hash.digest('hex') }) };
}
