/**
 * One InferenceSession per (model content, device), kept in a least-recently
 * used list bounded by bytes. Keying by the sha256 of the model's bytes means
 * a graph rebuilt in code, or the same file found under two paths, reuses the
 * open session; keying by device keeps a CPU session from standing in for a
 * GPU one.
 *
 * Callers get a PooledSession, a handle rather than the session itself: when
 * opening another model takes the pool past its budget, the least recently
 * used sessions with no run in flight are released, and a handle whose
 * session was released opens it again on its next run. So a node can hold a
 * model across many frames while switching between models never keeps more
 * than the budget (plus the models in use right now) loaded.
 */
import { createHash } from 'node:crypto';
import { readdir, stat } from 'node:fs/promises';
import { totalmem } from 'node:os';
import path from 'node:path';
import * as ort from 'onnxruntime-node';
import { sha256File } from '../file-hash.ts';
import { chooseDevice } from './device-choice.ts';
import type { Device } from './device.ts';
import { summariseOrtError } from './probe-provider.ts';
import { sessionOptionsFor } from './session-options.ts';

/** Model bytes, or the path of a .onnx file (kept as a path so external weight files beside it load). */
export type ModelSource = Uint8Array | string;

export type SessionFactory = (model: ModelSource, options: ort.InferenceSession.SessionOptions) => Promise<ort.InferenceSession>;

/** What a pooled model offers its holder: the session's names and its run, which reopens the session if the pool released it. */
export interface PooledSession {
  readonly inputNames: readonly string[];
  readonly outputNames: readonly string[];
  /** Each input's and output's element type and shape (names for dynamic axes), as the model file declares them. */
  readonly inputMetadata: readonly ort.InferenceSession.ValueMetadata[];
  readonly outputMetadata: readonly ort.InferenceSession.ValueMetadata[];
  run(feeds: ort.InferenceSession.FeedsType, options?: ort.InferenceSession.RunOptions): Promise<ort.InferenceSession.ReturnType>;
}

export interface SessionPoolOptions {
  /**
   * Bytes of models kept loaded (a model's size: its bytes, or its file and
   * the weight files beside it). Default: REELGRAPH_SESSION_BUDGET_MB, else a
   * quarter of the machine's memory.
   */
  budgetBytes?: number;
}

const openSession: SessionFactory = (model, options) =>
  typeof model === 'string' ? ort.InferenceSession.create(model, options) : ort.InferenceSession.create(model, options);

export function defaultSessionBudget(): number {
  const fromEnv = Number(process.env.REELGRAPH_SESSION_BUDGET_MB);
  return Number.isFinite(fromEnv) && fromEnv > 0 ? fromEnv * 1024 * 1024 : Math.floor(totalmem() / 4);
}

interface Entry {
  readonly key: string;
  readonly bytes: number;
  readonly session: Promise<ort.InferenceSession>;
  readonly handle: Handle;
  inFlight: number;
  lastUsed: number;
}

class Handle implements PooledSession {
  constructor(
    private readonly pool: SessionPool,
    /** The pool's key (content hash and device), fixed when the handle is made: a run need not hash the model again. */
    readonly key: string,
    readonly model: ModelSource,
    readonly device: Device,
    readonly inputNames: readonly string[],
    readonly outputNames: readonly string[],
    readonly inputMetadata: readonly ort.InferenceSession.ValueMetadata[],
    readonly outputMetadata: readonly ort.InferenceSession.ValueMetadata[],
  ) {}

  run(feeds: ort.InferenceSession.FeedsType, options?: ort.InferenceSession.RunOptions): Promise<ort.InferenceSession.ReturnType> {
    return this.pool.runOn(this, feeds, options);
  }
}

export class SessionPool {
  readonly #entries = new Map<string, Entry>();
  readonly #opening = new Map<string, Promise<Entry>>();
  readonly #bufferHashes = new WeakMap<Uint8Array, string>();
  readonly #budget: number;
  #clock = 0;

  constructor(
    readonly open: SessionFactory = openSession,
    options: SessionPoolOptions = {},
  ) {
    this.#budget = options.budgetBytes ?? defaultSessionBudget();
  }

  /** Sessions currently open or opening. */
  get size(): number {
    return new Set([...this.#entries.keys(), ...this.#opening.keys()]).size;
  }

  /** Bytes of the models whose sessions are open. */
  get loadedBytes(): number {
    let sum = 0;
    for (const entry of this.#entries.values()) sum += entry.bytes;
    return sum;
  }

  /** The sha256 (hex) of a model's content. */
  async contentHash(model: ModelSource): Promise<string> {
    if (typeof model !== 'string') {
      let hash = this.#bufferHashes.get(model);
      if (hash === undefined) {
        hash = createHash('sha256').update(model).digest('hex');
        this.#bufferHashes.set(model, hash);
      }
      return hash;
    }
    // Hashing a multi-gigabyte weight file is slow: sha256File remembers it while the file is unchanged.
    return sha256File(model);
  }

  /** The pooled session for `model` on `device`, opened on first use; concurrent callers share one opening. */
  async sessionFor(model: ModelSource, device: Device): Promise<PooledSession> {
    const entry = await this.#entryFor(`${await this.contentHash(model)}:${device}`, model, device);
    this.#touch(entry);
    await this.#evictBeyondBudget(entry);
    return entry.handle;
  }

  /** A handle's run: on its session, reopened if the pool released it; the session is not released while the run lasts. */
  async runOn(handle: Handle, feeds: ort.InferenceSession.FeedsType, options?: ort.InferenceSession.RunOptions): Promise<ort.InferenceSession.ReturnType> {
    const entry = await this.#entryFor(handle.key, handle.model, handle.device, handle);
    entry.inFlight++;
    this.#touch(entry);
    try {
      return await (await entry.session).run(feeds, options ?? {});
    } finally {
      entry.inFlight--;
      await this.#evictBeyondBudget(entry);
    }
  }

  /** Closes every session; the pool stays usable and reopens on demand (handles too). */
  async release(): Promise<void> {
    const entries = [...this.#entries.values()];
    this.#entries.clear();
    await Promise.all(entries.map((entry) => releaseQuietly(entry.session)));
  }

  async #entryFor(key: string, model: ModelSource, device: Device, handle?: Handle): Promise<Entry> {
    const open = this.#entries.get(key);
    if (open) return open;
    let opening = this.#opening.get(key);
    if (opening === undefined) {
      opening = this.#openEntry(key, model, device, handle);
      this.#opening.set(key, opening);
      // A failed opening is not kept: the next caller tries again.
      opening.then(
        (entry) => {
          this.#entries.set(key, entry);
          this.#opening.delete(key);
        },
        () => this.#opening.delete(key),
      );
    }
    return opening;
  }

  async #openEntry(key: string, model: ModelSource, device: Device, handle: Handle | undefined): Promise<Entry> {
    const [session, bytes] = await Promise.all([this.#open(model, device), modelBytes(model)]);
    return {
      key,
      bytes,
      session: Promise.resolve(session),
      handle: handle ?? new Handle(this, key, model, device, session.inputNames, session.outputNames, session.inputMetadata, session.outputMetadata),
      inFlight: 0,
      lastUsed: 0,
    };
  }

  #touch(entry: Entry): void {
    entry.lastUsed = ++this.#clock;
  }

  /** Releases the least recently used idle sessions until the loaded bytes fit the budget; `keep` (just used) stays. */
  async #evictBeyondBudget(keep: Entry): Promise<void> {
    let loaded = this.loadedBytes;
    if (loaded <= this.#budget) return;
    const idle = [...this.#entries.values()].filter((entry) => entry !== keep && entry.inFlight === 0).sort((a, b) => a.lastUsed - b.lastUsed);
    const released: Promise<void>[] = [];
    for (const entry of idle) {
      if (loaded <= this.#budget) break;
      this.#entries.delete(entry.key);
      loaded -= entry.bytes;
      released.push(releaseQuietly(entry.session));
    }
    await Promise.all(released);
  }

  async #open(model: ModelSource, device: Device): Promise<ort.InferenceSession> {
    try {
      return await this.open(model, sessionOptionsFor(device));
    } catch (error) {
      const what = typeof model === 'string' ? `model ${model}` : `an in-memory model (${model.byteLength} bytes)`;
      throw new Error(`Could not open ${what} on ${device}: ${summariseOrtError((error as Error).message)}`, { cause: error });
    }
  }
}

async function releaseQuietly(session: Promise<ort.InferenceSession>): Promise<void> {
  try {
    await (await session).release();
  } catch {
    // Already released, or never opened: nothing is held either way.
  }
}

/** Extensions of files beside a .onnx that are not its weights. */
const NOT_WEIGHTS = new Set(['.onnx', '.json', '.txt', '.md']);

/**
 * What a model costs loaded, as bytes on disk: an in-memory model's length,
 * or a file's size plus the external weight files beside it (ONNX exports
 * put large weights in `*.onnx_data`, `weights.pb` and the like in the
 * model's own folder).
 */
async function modelBytes(model: ModelSource): Promise<number> {
  if (typeof model !== 'string') return model.byteLength;
  const folder = path.dirname(model);
  let bytes = (await stat(model)).size;
  for (const entry of await readdir(folder, { withFileTypes: true })) {
    if (entry.isFile() && !NOT_WEIGHTS.has(path.extname(entry.name).toLowerCase())) bytes += (await stat(path.join(folder, entry.name))).size;
  }
  return bytes;
}

/** The process-wide pool. */
export const sessionPool = new SessionPool();

/** The pooled session for `model`, on `device` or else the chosen device. */
export async function sessionFor(model: ModelSource, device?: Device): Promise<PooledSession> {
  return sessionPool.sessionFor(model, device ?? (await chooseDevice()).device);
}
