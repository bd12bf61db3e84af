import { produce } from 'immer';
import { describe, expect, it } from 'vitest';
import type { NodeRunView } from '../run/run-store.ts';
import { makeReusable } from './make-reusable.ts';
import { shotDocument } from './reusable-test-doc.ts';
import { useOutputPaths, useRunView } from './use-run-view.ts';

const outputs = { video: { node: 'shot/shot', port: 'video' } };
const video = { kind: 'video', url: '/media/a.mp4' } as NonNullable<NodeRunView['outputs']>[string];
const members = (entries: Record<string, Partial<NodeRunView>>) => new Map(Object.entries(entries).map(([id, view]) => [id, { stale: false, ...view }]));

describe('useRunView', () => {
  it('runs while any inner node runs, with its progress and live picture', () => {
    const view = useRunView(members({ 'shot/prompt': { state: 'done' }, 'shot/shot': { state: 'running', progress: { done: 3, total: 8 }, preview: 'data:x' } }), outputs);
    expect(view).toMatchObject({ state: 'running', progress: { done: 3, total: 8 }, preview: 'data:x' });
  });

  it('fails when an inner node failed, with its message', () => {
    const view = useRunView(members({ 'shot/prompt': { state: 'error', error: 'no text' }, 'shot/shot': { state: 'skipped' } }), outputs);
    expect(view).toMatchObject({ state: 'error', error: 'no text' });
  });

  it('is done or cached as its output node is, and shows that node’s result under the use’s port', () => {
    const view = useRunView(members({ 'shot/prompt': { state: 'done' }, 'shot/shot': { state: 'cached', outputs: { video } } }), outputs);
    expect(view).toEqual({ state: 'cached', outputs: { video }, stale: false });
    expect(useRunView(members({ 'shot/shot': { state: 'done', stale: true, outputs: { video } } }), outputs).stale).toBe(true);
    expect(useRunView(new Map(), outputs)).toEqual({ stale: false });
  });
});

describe('useOutputPaths', () => {
  it('maps each use’s outputs to expanded ends, following nested uses', () => {
    const doc = produce(shotDocument(), (draft) => void makeReusable(draft, ['prompt', 'camera', 'shot'], { name: 'Shot' }));
    expect(useOutputPaths(doc).get('shot')).toEqual({ video: { node: 'shot/shot', port: 'video' } });
    const nested = produce(doc, (draft) => void makeReusable(draft, ['shot'], { name: 'Film' }));
    expect(nested.nodes.map((node) => node.type)).toContain('graph:film');
    expect(useOutputPaths(nested).get('film')).toEqual({ video: { node: 'film/shot/shot', port: 'video' } });
    // The use inside Film's definition has its ends too, under its path, for when that definition is open.
    expect(useOutputPaths(nested).get('film/shot')).toEqual({ video: { node: 'film/shot/shot', port: 'video' } });
  });
});
