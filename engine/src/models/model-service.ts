/**
 * Model management for clients of the server (the editor's Models panel):
 * verify, remove and pull through the model store, keeping the engine's
 * known models in step and telling every client when the list changes.
 * Pulls run in the background, one per model id at a time, with progress.
 */
import { LayersModelError, NcnnModelError, registerModel, unregisterModel, UnsupportedModelError } from '@reelgraph/models';
import { modelSummaries } from '../device-report.ts';
import type { ServerMessage } from '../protocol/protocol.ts';
import { manifestUrlFor, ModelStore, ModelStoreError, type PullProgress, type VerifyResult } from './model-store.ts';

/** At most this many progress messages a second per pull. */
const PROGRESS_PER_SECOND = 5;

export class ModelService {
  readonly #pulling = new Set<string>();

  constructor(
    private readonly store: ModelStore,
    private readonly broadcast: (message: ServerMessage) => void,
  ) {}

  verify(id?: string): Promise<VerifyResult[]> {
    return this.store.verify(id);
  }

  async remove(id: string): Promise<void> {
    await this.store.remove(id);
    unregisterModel(id);
    this.broadcast({ type: 'models', models: modelSummaries() });
  }

  /** Installs a model from a manifest URL or a registry id; the result says what happened, in words when it failed. */
  async pull(source: string, onProgress: (progress: PullProgress) => void): Promise<{ ok: true; id: string } | { ok: false; error: string }> {
    if (this.#pulling.has(source)) return { ok: false, error: `"${source}" is being pulled already.` };
    this.#pulling.add(source);
    let last = 0;
    try {
      const manifest = await this.store.pull(manifestUrlFor(source), {
        onProgress: (progress) => {
          const now = Date.now();
          if (progress.done < progress.total && now - last < 1000 / PROGRESS_PER_SECOND) return;
          last = now;
          onProgress(progress);
        },
      });
      registerModel(manifest);
      this.broadcast({ type: 'models', models: modelSummaries() });
      return { ok: true, id: manifest.id };
    } catch (error) {
      if (isModelProblem(error)) return { ok: false, error: error.message };
      return { ok: false, error: `The pull failed: ${(error as Error).message}` };
    } finally {
      this.#pulling.delete(source);
    }
  }
}

/** Errors that are about the model or its source (said as they are), not a fault of the engine. */
export function isModelProblem(error: unknown): error is Error {
  return error instanceof ModelStoreError || error instanceof UnsupportedModelError || error instanceof LayersModelError || error instanceof NcnnModelError;
}
