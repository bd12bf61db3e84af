import { describe, expect, it } from 'vitest';
import { testDocument } from '../testing/test-catalog.ts';
import { restoreAutosave, saveAutosave, type AutosaveStores } from './autosave.ts';

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
    expect(restoreAutosave(first)?.name).toBe('Fox');
    expect(restoreAutosave(second)?.name).toBe('Boat');
  });

  it('opens the latest save from any tab in a tab with no copy of its own, and keeps it as that tab’s', () => {
    const { tab } = browser();
    saveAutosave(named('Fox'), tab());
    saveAutosave(named('Boat'), tab());
    const fresh = tab();
    expect(restoreAutosave(fresh)?.name).toBe('Boat');
    // Another tab saves meanwhile; reloading the fresh tab still shows what it showed.
    saveAutosave(named('Kite'), tab());
    expect(restoreAutosave(fresh)?.name).toBe('Boat');
  });

  it('reads back exactly what was saved', () => {
    const { tab } = browser();
    const stores = tab();
    saveAutosave(testDocument(), stores);
    expect(restoreAutosave(stores)).toEqual(testDocument());
  });

  it('has nothing to give in a fresh browser, and ignores a damaged copy', () => {
    const { tab, shared } = browser();
    const stores = tab();
    expect(restoreAutosave(stores)).toBeUndefined();
    stores.tab.items.set('reelgraph.autosave.v1', '{"format":');
    shared.items.set('reelgraph.autosave.v1', JSON.stringify(named('Fox')));
    expect(restoreAutosave(stores)?.name).toBe('Fox');
  });

  it('reports a tab copy the browser refused, so the editor can warn', () => {
    const { tab } = browser();
    const stores = tab();
    stores.tab.full = true;
    expect(saveAutosave(named('Fox'), stores)).toBe(false);
  });

  it('neither throws nor restores where the browser disables storage altogether', () => {
    // As in a browser with storage blocked: merely reading `sessionStorage` or `localStorage` throws.
    const blocked = {
      configurable: true,
      get(): never {
        throw new DOMException('storage is disabled', 'SecurityError');
      },
    };
    Object.defineProperty(globalThis, 'sessionStorage', blocked);
    Object.defineProperty(globalThis, 'localStorage', blocked);
    try {
      expect(restoreAutosave()).toBeUndefined();
      expect(saveAutosave(named('Fox'))).toBe(false);
    } finally {
      Reflect.deleteProperty(globalThis, 'sessionStorage');
      Reflect.deleteProperty(globalThis, 'localStorage');
    }
  });
});
