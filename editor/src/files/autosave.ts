/**
 * The open pipeline, kept in the browser so a reload (or a crash) brings it
 * back. Each tab keeps its own copy in sessionStorage, so two tabs never
 * overwrite each other's work; the latest save from any tab also goes to
 * localStorage, which seeds a tab that has no copy of its own (a new tab, or
 * the browser started again). ComfyUI keeps its workflows the same way.
 */
import type { PipelineDocument } from '../document/pipeline-types.ts';
import { readPipeline } from './pipeline-file.ts';

const KEY = 'reelgraph.autosave.v1';

type Store = Pick<Storage, 'getItem' | 'setItem'>;

export interface AutosaveStores {
  /** This tab's own copy (sessionStorage). */
  tab: Store;
  /** The latest copy from any tab (localStorage). */
  shared: Store;
}

/** Reached on each use: reading `sessionStorage` itself throws where the browser disables storage. */
function browserStores(): AutosaveStores {
  const lazy = (storage: () => Storage): Store => ({
    getItem: (key) => storage().getItem(key),
    setItem: (key, value) => storage().setItem(key, value),
  });
  return { tab: lazy(() => sessionStorage), shared: lazy(() => localStorage) };
}

/**
 * This tab's copy; else the latest from any tab, which becomes this tab's
 * own, so that a reload brings it back whatever other tabs save meanwhile.
 */
export function restoreAutosave(stores: AutosaveStores = browserStores()): PipelineDocument | undefined {
  const own = read(stores.tab);
  if (own) return own;
  const latest = read(stores.shared);
  if (latest) write(stores.tab, JSON.stringify(latest));
  return latest;
}

/** Returns false when the browser refused to keep this tab's copy (storage full or disabled); the editor says so once. */
export function saveAutosave(doc: PipelineDocument, stores: AutosaveStores = browserStores()): boolean {
  const text = JSON.stringify(doc);
  const kept = write(stores.tab, text);
  write(stores.shared, text);
  return kept;
}

function read(store: Store): PipelineDocument | undefined {
  try {
    const text = store.getItem(KEY);
    if (text === null) return undefined;
    const parsed = readPipeline(JSON.parse(text));
    return parsed.ok ? parsed.doc : undefined;
  } catch {
    return undefined;
  }
}

function write(store: Store, text: string): boolean {
  try {
    store.setItem(KEY, text);
    return true;
  } catch {
    return false;
  }
}
