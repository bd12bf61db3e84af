import { describe, expect, it } from 'vitest';
import { testDocument } from '../testing/test-catalog.ts';
import { loadAutosave, saveAutosave, type AutosaveStores } from './autosave.ts';

/** A Storage as the browser gives it: strings by key, and a quota that can run out. */
class MemoryStore {
  readonly items = new Map<string, string>();
  full = false;
  getItem(key: string): string | null {
    return this.items.get(key) ?? null;
  }
  setItem(key: string, value: string): void {
    if (this.full) throw new DOMException('quota exceeded', 'QuotaExceededError');
    this.items.set(key, value);
  }
}

/** Two tabs of one browser: their own sessionStorage, one localStorage. */
function browser() {
  const shared = new MemoryStore();
  const tab = (): AutosaveStores & { tab: MemoryStore } => ({ tab: new MemoryStore(), shared });
  return { shared, tab };
}

const named = (name: string) => ({ ...testDocument(), name });

describe('autosave', () => {
  it('gives each tab back its own pipeline after a reload, whichever tab saved last', () => {
    const { tab } = browser();
    const first = tab();
    const second = tab();
    expect(saveAutosave(named('Fox'), first)).toBe(true);
    expect(saveAutosave(named('Boat'), second)).toBe(true);
    expect(loadAutosave(first)?.name).toBe('Fox');
    expect(loadAutosave(second)?.name).toBe('Boat');
  });

  it('opens the latest save from any tab in a tab with no copy of its own', () => {
    const { tab } = browser();
    saveAutosave(named('Fox'), tab());
    saveAutosave(named('Boat'), tab());
    expect(loadAutosave(tab())?.name).toBe('Boat');
  });

  it('reads back exactly what was saved', () => {
    const { tab } = browser();
    const stores = tab();
    saveAutosave(testDocument(), stores);
    expect(loadAutosave(stores)).toEqual(testDocument());
  });

  it('has nothing to give in a fresh browser, and ignores a damaged copy', () => {
    const { tab, shared } = browser();
    const stores = tab();
    expect(loadAutosave(stores)).toBeUndefined();
    stores.tab.items.set('reelgraph.autosave.v1', '{"format":');
    shared.items.set('reelgraph.autosave.v1', JSON.stringify(named('Fox')));
    expect(loadAutosave(stores)?.name).toBe('Fox');
  });

  it('reports a tab copy the browser refused, so the editor can warn', () => {
    const { tab } = browser();
    const stores = tab();
    stores.tab.full = true;
    expect(saveAutosave(named('Fox'), stores)).toBe(false);
  });
});
