import { describe, expect, it } from 'vitest';
import { testCatalog, testDocument } from '../testing/test-catalog.ts';
import { DocumentStore } from './document-store.ts';
import { addNode, moveNodes, setParam } from './node-operations.ts';
import { emptyDocument } from './pipeline-types.ts';
import { makeReusable } from '../reusable/make-reusable.ts';

function storeWithClock() {
  let now = 1000;
  const store = new DocumentStore(testDocument(), () => now);
  return { store, advance: (ms: number) => (now += ms) };
}

const textOf = (store: DocumentStore) => store.getSnapshot().nodes.find((node) => node.id === 'p1')!.params.text;

describe('DocumentStore undo/redo', () => {
  it('undoes and redoes an edit', () => {
    const { store } = storeWithClock();
    store.apply((doc) => setParam(doc, 'g1', 'width', 640));
    expect(store.getSnapshot().nodes[1]!.params.width).toBe(640);
    expect(store.undo()).toBe(true);
    expect(store.getSnapshot().nodes[1]!.params.width).toBe(512);
    expect(store.redo()).toBe(true);
    expect(store.getSnapshot().nodes[1]!.params.width).toBe(640);
  });

  it('folds an amending edit (the tidy layout after opening) into the opening step', () => {
    const { store, advance } = storeWithClock();
    const before = store.getSnapshot();
    store.replace(emptyDocument(), { label: 'Open pipeline' });
    store.replace(testDocument(), { label: 'Open example' });
    advance(5000);
    store.apply((doc) => moveNodes(doc, new Map([['p1', { x: 300, y: 40 }]])), { label: 'Auto-layout', amend: true });
    expect(store.getSnapshot().nodes.find((node) => node.id === 'p1')!.ui).toMatchObject({ x: 300, y: 40 });
    store.undo();
    expect(store.getSnapshot().nodes).toEqual([]);
    store.undo();
    expect(store.getSnapshot()).toBe(before);
    expect(store.getHistoryState().canUndo).toBe(false);
  });

  it('records no step for an amending edit when there is nothing to undo', () => {
    const { store } = storeWithClock();
    store.apply((doc) => setParam(doc, 'g1', 'width', 640), { amend: true });
    expect(store.getSnapshot().nodes[1]!.params.width).toBe(640);
    expect(store.getHistoryState().canUndo).toBe(false);
  });

  it('groups typing into one param within a second into a single step', () => {
    const { store, advance } = storeWithClock();
    for (const text of ['d', 'di', 'din', 'dino']) {
      store.apply((doc) => setParam(doc, 'p1', 'text', text), { mergeKey: 'param:p1:text' });
      advance(300);
    }
    expect(textOf(store)).toBe('dino');
    store.undo();
    expect(textOf(store)).toBe('dinosaurs in Paris');
    expect(store.getHistoryState().canUndo).toBe(false);
  });

  it('starts a new step after a pause longer than a second, or on another param', () => {
    const { store, advance } = storeWithClock();
    store.apply((doc) => setParam(doc, 'p1', 'text', 'a'), { mergeKey: 'param:p1:text' });
    advance(1500);
    store.apply((doc) => setParam(doc, 'p1', 'text', 'ab'), { mergeKey: 'param:p1:text' });
    store.apply((doc) => setParam(doc, 'g1', 'width', 256), { mergeKey: 'param:g1:width' });
    store.undo();
    expect(textOf(store)).toBe('ab');
    store.undo();
    expect(textOf(store)).toBe('a');
    store.undo();
    expect(textOf(store)).toBe('dinosaurs in Paris');
  });

  it('does not merge typing into the step before an undo', () => {
    const { store } = storeWithClock();
    store.apply((doc) => setParam(doc, 'p1', 'text', 'one'), { mergeKey: 'param:p1:text' });
    store.apply((doc) => setParam(doc, 'p1', 'text', 'one two'), { mergeKey: 'param:p1:text' });
    store.undo();
    store.apply((doc) => setParam(doc, 'p1', 'text', 'three'), { mergeKey: 'param:p1:text' });
    store.undo();
    expect(textOf(store)).toBe('dinosaurs in Paris');
    expect(store.getHistoryState().canRedo).toBe(true);
  });

  it('makes a transaction (a drag from start to stop) one step, however long it takes', () => {
    const { store, advance } = storeWithClock();
    store.beginTransaction();
    for (let x = 10; x <= 100; x += 10) {
      store.apply((doc) => moveNodes(doc, new Map([['p1', { x, y: 0 }]])));
      advance(2000);
    }
    store.endTransaction();
    store.apply((doc) => moveNodes(doc, new Map([['p1', { x: 500, y: 0 }]])));
    store.undo();
    expect(store.getSnapshot().nodes[0]!.ui).toMatchObject({ x: 100 });
    store.undo();
    expect(store.getSnapshot().nodes[0]!.ui).toMatchObject({ x: 0 });
  });

  it('records nothing for an edit that changes nothing', () => {
    const { store } = storeWithClock();
    expect(store.apply((doc) => setParam(doc, 'g1', 'width', 512))).toBe(false);
    expect(store.getHistoryState().canUndo).toBe(false);
  });

  it('keeps unchanged nodes identical across edits, so memoised views skip them', () => {
    const { store } = storeWithClock();
    const before = store.getSnapshot();
    store.apply((doc) => setParam(doc, 'g1', 'width', 1024));
    const after = store.getSnapshot();
    expect(after.nodes[0]).toBe(before.nodes[0]);
    expect(after.nodes[1]).not.toBe(before.nodes[1]);
  });

  it('can undo opening another pipeline, and forgets history when told to', () => {
    const { store } = storeWithClock();
    store.replace(emptyDocument('Other'));
    expect(store.getSnapshot().name).toBe('Other');
    store.undo();
    expect(store.getSnapshot().name).toBe('Test');
    store.replace(emptyDocument('Fresh'), { resetHistory: true });
    expect(store.getHistoryState()).toEqual({ canUndo: false, canRedo: false });
  });

  it('undoes an added node with its default params', () => {
    const { store } = storeWithClock();
    store.apply((doc) => void addNode(doc, testCatalog.get('concat')!, { x: 5, y: 5 }), { label: 'Add Concat' });
    expect(store.getHistoryState().undoLabel).toBe('Add Concat');
    expect(store.getSnapshot().nodes.at(-1)).toMatchObject({ id: 'concat', params: { duration: 0.5 } });
    store.undo();
    expect(store.getSnapshot().nodes.some((node) => node.id === 'concat')).toBe(false);
  });
});

describe('DocumentStore editing a definition', () => {
  it('shows and edits the open definition on the same undo history, and returns to the pipeline', () => {
    const { store } = storeWithClock();
    store.apply((doc) => void makeReusable(doc, ['p1', 'g1'], { name: 'Shot' }), { label: 'Make reusable' });
    store.setEditing('shot');
    expect(store.getSnapshot().nodes.map((node) => node.id)).toEqual(['p1', 'g1']);
    store.apply((doc) => setParam(doc, 'p1', 'text', 'a harbour'));
    expect(store.getFullSnapshot().definitions!.shot!.nodes[0]!.params.text).toBe('a harbour');
    expect(store.getFullSnapshot().nodes.map((node) => node.id)).toEqual(['g2', 'out', 'shot']);
    store.setEditing(undefined);
    expect(store.getSnapshot()).toBe(store.getFullSnapshot());
    store.undo();
    expect(store.getFullSnapshot().definitions!.shot!.nodes[0]!.params.text).toBe('dinosaurs in Paris');
  });

  it('goes back to the pipeline when an undo removes the open definition, or another pipeline opens', () => {
    const { store } = storeWithClock();
    store.apply((doc) => void makeReusable(doc, ['p1', 'g1'], { name: 'Shot' }));
    store.setEditing('shot');
    store.undo();
    expect(store.getEditing()).toBeUndefined();
    expect(store.getSnapshot().nodes.map((node) => node.id)).toEqual(['p1', 'g1', 'g2', 'out']);
    store.redo();
    store.setEditing('shot');
    store.replace(emptyDocument());
    expect(store.getEditing()).toBeUndefined();
    store.setEditing('nothing');
    expect(store.getEditing()).toBeUndefined();
  });
});
