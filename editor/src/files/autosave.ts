/** The open pipeline, kept in localStorage so a reload (or a crash) brings it back. */
import type { PipelineDocument } from '../document/pipeline-types.ts';
import { readPipeline } from './pipeline-file.ts';

const KEY = 'reelgraph.autosave.v1';

export function loadAutosave(storage: Pick<Storage, 'getItem'> = localStorage): PipelineDocument | undefined {
  const text = storage.getItem(KEY);
  if (text === null) return undefined;
  try {
    const parsed = readPipeline(JSON.parse(text));
    return parsed.ok ? parsed.doc : undefined;
  } catch {
    return undefined;
  }
}

/** Returns false when the browser refused (storage full or disabled); the editor says so once. */
export function saveAutosave(doc: PipelineDocument, storage: Pick<Storage, 'setItem'> = localStorage): boolean {
  try {
    storage.setItem(KEY, JSON.stringify(doc));
    return true;
  } catch {
    return false;
  }
}
