/**
 * Signing and reading C2PA manifests with c2pa-rs, the C2PA reference
 * implementation, compiled to WebAssembly (`@contentauth/c2pa-wasm`): no
 * native binary, runs on Node 20. See the README's "Provenance" for why this
 * library.
 *
 * The module is compiled once per process on first use (about 60 ms). The
 * whole asset passes through WebAssembly memory, so signing holds the file in
 * memory about twice: MAX_SIGNED_BYTES bounds it.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { initSync, WasmBuilder, WasmReader } from '@contentauth/c2pa-wasm';
import { coseReserveSize, coseSign1 } from './cose.ts';
import type { SigningCredentials } from './credentials.ts';

/** WebAssembly memory is 4 GiB at most and holds the asset and the signed copy. */
export const MAX_SIGNED_BYTES = 1024 ** 3;

/** The formats c2pa-rs embeds manifests into that exports write. WebM has no C2PA binding. */
export type SignableFormat = 'video/mp4' | 'image/gif' | 'image/png';

let ready = false;

function ensureModule(): void {
  if (ready) return;
  installFileReaderSync();
  const require = createRequire(import.meta.url);
  initSync({ module: readFileSync(require.resolve('@contentauth/c2pa-wasm/c2pa.wasm')) });
  ready = true;
}

/**
 * An in-memory Blob the module can read synchronously. c2pa-wasm reads a Blob
 * with the browser's FileReaderSync, which Node lacks; the stand-in below
 * reads only these.
 */
class BytesBlob extends Blob {
  readonly data: Uint8Array;
  constructor(data: Uint8Array) {
    super([]);
    this.data = data;
    Object.defineProperty(this, 'size', { value: data.byteLength });
  }
  override slice(start = 0, end = this.data.byteLength): BytesBlob {
    return new BytesBlob(this.data.subarray(start, end));
  }
}

function installFileReaderSync(): void {
  const scope = globalThis as { FileReaderSync?: unknown };
  if (scope.FileReaderSync !== undefined) return;
  scope.FileReaderSync = class FileReaderSync {
    readAsArrayBuffer(blob: unknown): ArrayBuffer {
      if (!(blob instanceof BytesBlob)) throw new TypeError('Only Reelgraph’s in-memory blobs can be read synchronously here.');
      return new Uint8Array(blob.data).buffer;
    }
  };
}

/** A C2PA manifest definition (c2pa-rs's ManifestDefinition, as JSON). */
export interface ManifestDefinition {
  claim_generator_info: { name: string; version: string }[];
  title: string;
  format: string;
  assertions: { label: string; data: unknown }[];
}

/** An ingredient recorded by its description only (the asset itself is not read). */
export interface IngredientDefinition {
  title: string;
  format?: string;
  relationship: 'parentOf' | 'componentOf' | 'inputTo';
  /** Lets an action name it in `parameters.ingredientIds`. */
  label: string;
  metadata?: Record<string, unknown>;
}

export interface SignRequest {
  bytes: Uint8Array;
  format: SignableFormat;
  manifest: ManifestDefinition;
  ingredients: readonly IngredientDefinition[];
  credentials: SigningCredentials;
}

/** The asset with the manifest embedded. */
export async function signAsset(request: SignRequest): Promise<Uint8Array> {
  const { bytes, format, manifest, ingredients, credentials } = request;
  if (bytes.byteLength > MAX_SIGNED_BYTES) {
    throw new RangeError(`The file is ${bytes.byteLength.toLocaleString('en')} bytes; C2PA signing here handles up to ${MAX_SIGNED_BYTES.toLocaleString('en')}.`);
  }
  ensureModule();
  const size = coseReserveSize(credentials.chain);
  const builder = WasmBuilder.fromJson(JSON.stringify(manifest), JSON.stringify(SIGN_SETTINGS));
  try {
    for (const ingredient of ingredients) builder.addIngredient(JSON.stringify(ingredient));
    return await builder.sign(
      {
        alg: credentials.algorithm,
        reserveSize: size,
        sign: (payload) => Promise.resolve(coseSign1(payload, { ...credentials, size }) as Uint8Array<ArrayBuffer>),
      },
      [],
      format,
      new BytesBlob(bytes),
    );
  } finally {
    builder.free();
  }
}

/** Building and signing need no network: no thumbnails (they would decode the asset), no trust fetches. */
const SIGN_SETTINGS = { builder: { thumbnail: { enabled: false } } };

/** What the reader reports (c2pa-rs's Reader JSON, the parts used here). */
export interface ManifestReport {
  active_manifest?: string;
  manifests: Record<string, ReadManifest>;
  validation_state?: 'Invalid' | 'Valid' | 'Trusted';
  validation_results?: { activeManifest?: { success: StatusEntry[]; informational: StatusEntry[]; failure: StatusEntry[] } };
  validation_status?: StatusEntry[];
}

export interface StatusEntry {
  code: string;
  explanation?: string;
  url?: string;
}

export interface ReadManifest {
  title?: string;
  claim_generator_info?: { name: string; version?: string }[];
  assertions: { label: string; data: unknown }[];
  ingredients?: (Record<string, unknown> & { title?: string; relationship?: string; metadata?: Record<string, unknown> })[];
  signature_info?: { alg?: string; common_name?: string; issuer?: string; cert_serial_number?: string };
}

/** Reads and validates the manifest store embedded in `bytes`; throws when there is none. */
export async function readManifest(bytes: Uint8Array, format: SignableFormat): Promise<ManifestReport> {
  ensureModule();
  const reader = await WasmReader.fromBytes(format, bytes);
  try {
    return JSON.parse(reader.json()) as ManifestReport;
  } finally {
    reader.free();
  }
}
