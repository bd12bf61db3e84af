import type { ServerMessage } from '@reelgraph/engine';
import { describe, expect, it } from 'vitest';
import { testCatalog, testDocument } from '../testing/test-catalog.ts';
import { contentHashes } from './content-hash.ts';
import type { UseOutputs } from '../reusable/use-run-view.ts';
import { RunStore } from './run-store.ts';

const RUN = 'run-1';
const status = (nodeId: string, state: 'queued' | 'cached' | 'running' | 'done' | 'error', error?: string): ServerMessage => ({
  type: 'node.status',
  runId: RUN,
  nodeId,
  state,
  key: `k-${nodeId}`,
  ...(error ? { error } : {}),
});

function started() {
  const doc = testDocument();
  const store = new RunStore();
  const hashes = contentHashes(doc, testCatalog);
  store.setCurrentHashes(hashes);
  store.beginRun(RUN, hashes);
  store.handle({ type: 'run.accepted', runId: RUN, position: 0 });
  return { doc, store };
}

describe('RunStore', () => {
  it('shows results the cache holds without a run, as cached and current; a running node is left to its run', () => {
    const doc = testDocument();
    const store = new RunStore();
    const hashes = contentHashes(doc, testCatalog);
    store.setCurrentHashes(hashes);
    const video = { video: { kind: 'video', url: '/media/preview/k-g1/video.mp4' } };
    store.showCached({ g1: { outputs: video } }, hashes);
    expect(store.getNode('g1')).toEqual({ state: 'cached', outputs: video, stale: false });
    expect(store.getSummary().phase).toBe('idle');

    // An edit after the results were asked about: they show, marked stale.
    const before = new Map([...hashes].map(([id, hash]) => [id, id === 'p1' ? 'older' : hash]));
    store.showCached({ p1: { outputs: {} } }, before);
    expect(store.getNode('p1')).toMatchObject({ state: 'cached', stale: true });

    store.beginRun(RUN, hashes);
    store.handle({ type: 'run.accepted', runId: RUN, position: 0 });
    store.handle(status('g1', 'running'));
    store.showCached({ g1: { outputs: video } }, hashes);
    expect(store.getNode('g1').state).toBe('running');
  });

  it('follows a run from queued to done, with progress, live preview and outputs', () => {
    const { store } = started();
    store.handle(status('p1', 'cached'));
    store.handle(status('g1', 'queued'));
    store.handle(status('g1', 'running'));
    store.handle({ type: 'node.progress', runId: RUN, nodeId: 'g1', done: 3, total: 12, preview: 'data:image/jpeg;base64,AAA' });
    expect(store.getNode('g1')).toMatchObject({ state: 'running', progress: { done: 3, total: 12 }, preview: 'data:image/jpeg;base64,AAA' });
    expect(store.getSummary()).toMatchObject({ phase: 'running', total: 2, settled: 1, current: 'g1' });
    store.handle(status('g1', 'done'));
    store.handle({ type: 'node.output', runId: RUN, nodeId: 'g1', key: 'k', outputs: { video: { kind: 'video', url: '/media/preview/k/video.mp4' } } });
    expect(store.getNode('g1')).toEqual({ state: 'done', outputs: { video: { kind: 'video', url: '/media/preview/k/video.mp4' } }, stale: false });
    store.handle({ type: 'run.finished', runId: RUN, status: 'succeeded', stats: { executed: 1, cached: 1, ms: 1200 } });
    expect(store.getSummary()).toMatchObject({ phase: 'finished', status: 'succeeded', settled: 2 });
  });

  it('keeps the error message on the node', () => {
    const { store } = started();
    store.handle(status('g1', 'error', 'The model file is missing.'));
    expect(store.getNode('g1')).toMatchObject({ state: 'error', error: 'The model file is missing.' });
  });

  it('keeps the farm worker that runs and ran a node, and drops it when a later state has none', () => {
    const { store } = started();
    store.handle({ ...status('g1', 'running'), worker: 'gpu-a' } as ServerMessage);
    expect(store.getNode('g1')).toMatchObject({ state: 'running', worker: 'gpu-a' });
    store.handle({ ...status('g1', 'done'), worker: 'gpu-b' } as ServerMessage);
    expect(store.getNode('g1')).toMatchObject({ state: 'done', worker: 'gpu-b' });
    store.handle(status('g1', 'cached'));
    expect(store.getNode('g1').worker).toBeUndefined();
  });

  it('ignores events of runs it does not follow', () => {
    const { store } = started();
    store.handle({ ...status('g1', 'running'), runId: 'someone-else' } as ServerMessage);
    expect(store.getNode('g1').state).toBeUndefined();
  });

  it('marks a result stale when the node or anything upstream changes, and fresh again when changed back', () => {
    const { doc, store } = started();
    for (const id of ['p1', 'g1', 'out']) store.handle(status(id, 'done'));
    const edited = { ...doc, nodes: doc.nodes.map((node) => (node.id === 'p1' ? { ...node, params: { text: 'mammoths' } } : node)) };
    store.setCurrentHashes(contentHashes(edited, testCatalog));
    expect(['p1', 'g1', 'out'].map((id) => store.getNode(id).stale)).toEqual([true, true, true]);
    expect(store.getNode('g2').stale).toBe(false);
    store.setCurrentHashes(contentHashes(doc, testCatalog));
    expect(store.getNode('g1').stale).toBe(false);
  });

  it('judges a result by the document that was sent, even when edited during the run', () => {
    const { doc, store } = started();
    const edited = { ...doc, nodes: doc.nodes.map((node) => (node.id === 'g1' ? { ...node, params: { width: 64 } } : node)) };
    store.setCurrentHashes(contentHashes(edited, testCatalog));
    store.handle(status('g1', 'done'));
    expect(store.getNode('g1').stale).toBe(true);
  });

  it('notifies only the subscribers of the node that changed', () => {
    const { store } = started();
    const calls: string[] = [];
    store.subscribeNode('g1', () => calls.push('g1'));
    store.subscribeNode('g2', () => calls.push('g2'));
    store.handle({ type: 'node.progress', runId: RUN, nodeId: 'g1', done: 1, total: 2 });
    expect(calls).toEqual(['g1']);
  });

  it('re-attaches from a run.state snapshot', () => {
    const store = new RunStore();
    store.adoptRun(RUN);
    store.handle({
      type: 'run.state',
      runId: RUN,
      phase: 'running',
      nodes: { p1: { state: 'cached', key: 'a' }, g1: { state: 'running', key: 'b', progress: { done: 5, total: 10 } } },
    });
    expect(store.getNode('g1')).toMatchObject({ state: 'running', progress: { done: 5, total: 10 } });
    expect(store.getSummary()).toMatchObject({ phase: 'running', total: 2, settled: 1 });
  });

  it('clears running marks when the engine has forgotten the run', () => {
    const { store } = started();
    store.handle(status('g1', 'running'));
    store.abandonRun();
    expect(store.getNode('g1').state).toBeUndefined();
    expect(store.getSummary().phase).toBe('lost');
  });

  it('derives a use node’s view from the inner nodes the engine reports by path', () => {
    const { store } = started();
    const seen: string[] = [];
    store.setUses(new Map([['shot', { video: { node: 'shot/gen', port: 'video' } }]]));
    store.subscribeNode('shot', () => seen.push(store.getNode('shot').state ?? 'none'));
    store.handle(status('shot/prompt', 'done'));
    store.handle(status('shot/gen', 'running'));
    expect(store.getNode('shot').state).toBe('running');
    const video = { video: { kind: 'video', url: '/media/preview/k/video.mp4' } };
    store.handle({ type: 'node.output', runId: RUN, nodeId: 'shot/gen', key: 'k', outputs: video } as unknown as ServerMessage);
    store.handle(status('shot/gen', 'done'));
    expect(store.getNode('shot')).toMatchObject({ state: 'done', outputs: video });
    expect(seen).toContain('running');
    store.setUses(new Map());
    expect(store.getNode('shot')).toEqual({ stale: false });
  });

  it('derives the view of a use nested in a definition, under its path, as well as the outer use’s', () => {
    const { store } = started();
    const uses: UseOutputs = new Map<string, Record<string, { node: string; port: string }>>([
      ['shot', { video: { node: 'shot/gen', port: 'video' } }],
      ['shot/look', { prompt: { node: 'shot/look/prompt', port: 'prompt' } }],
    ]);
    store.setUses(uses);
    store.handle(status('shot/look/prompt', 'running'));
    expect(store.getNode('shot/look').state).toBe('running');
    expect(store.getNode('shot').state).toBe('running');
    store.handle(status('shot/look/prompt', 'done'));
    expect(store.getNode('shot/look').state).toBe('done');
    expect(store.getNode('shot').state).toBeUndefined();
  });
});
