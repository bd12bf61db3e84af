/**
 * One InferenceSession per (model content, device). Keying by the sha256 of
 * the model's bytes means a graph rebuilt in code, or the same file found
 * under two paths, reuses the open session; keying by device keeps a CPU
 * session from standing in for a GPU one.
 */
import { createHash } from 'node:crypto';
import * as ort from 'onnxruntime-node';
import { sha256File } from '../file-hash.ts';
import { chooseDevice } from './device-choice.ts';
import type { Device } from './device.ts';
import { summariseOrtError } from './probe-provider.ts';
import { sessionOptionsFor } from './session-options.ts';

/** Model bytes, or the path of a .onnx file (kept as a path so external weight files beside it load). */
export type ModelSource = Uint8Array | string;

export type SessionFactory = (model: ModelSource, options: ort.InferenceSession.SessionOptions) => Promise<ort.InferenceSession>;

const openSession: SessionFactory = (model, options) =>
  typeof model === 'string' ? ort.InferenceSession.create(model, options) : ort.InferenceSession.create(model, options);

export class SessionPool {
  readonly #sessions = new Map<string, Promise<ort.InferenceSession>>();
  readonly #bufferHashes = new WeakMap<Uint8Array, string>();

  constructor(readonly open: SessionFactory = openSession) {}

  /** Sessions currently open or opening. */
  get size(): number {
    return this.#sessions.size;
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
  async sessionFor(model: ModelSource, device: Device): Promise<ort.InferenceSession> {
    const key = `${await this.contentHash(model)}:${device}`;
    let session = this.#sessions.get(key);
    if (session === undefined) {
      session = this.#open(model, device);
      this.#sessions.set(key, session);
      // A failed opening is not cached: the next caller tries again.
      session.catch(() => {
        if (this.#sessions.get(key) === session) this.#sessions.delete(key);
      });
    }
    return session;
  }

  /** Closes every session; the pool stays usable and reopens on demand. */
  async release(): Promise<void> {
    const sessions = [...this.#sessions.values()];
    this.#sessions.clear();
    const opened = await Promise.allSettled(sessions);
    await Promise.all(opened.map((s) => (s.status === 'fulfilled' ? s.value.release() : undefined)));
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

/** The process-wide pool. */
export const sessionPool = new SessionPool();

/** The pooled session for `model`, on `device` or else the chosen device. */
export async function sessionFor(model: ModelSource, device?: Device): Promise<ort.InferenceSession> {
  return sessionPool.sessionFor(model, device ?? (await chooseDevice()).device);
}
