import type { ImageValue } from '@reelgraph/nodes';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ServerMessage } from '../protocol/protocol.ts';
import { MediaRegistry } from './media-registry.ts';
import { createPresenter, type PreviewEncoder } from './present-event.ts';

const frame: ImageValue = { kind: 'image', width: 64, height: 36, pixels: new Uint8Array(64 * 36 * 3).fill(128) };
const base = { runId: 'r', nodeId: 'gen' } as const;

/** A presenter whose preview pictures are ready only when the test says so. */
function presenter() {
  const late: ServerMessage[] = [];
  const pending: (() => void)[] = [];
  const encode: PreviewEncoder = () => new Promise((resolve) => pending.push(() => resolve('data:image/jpeg;base64,AAAA')));
  const present = createPresenter(new MediaRegistry('/nonexistent'), (warning) => late.push({ type: 'error', code: 'server', message: warning }), encode);
  return {
    present: (event: Parameters<typeof present>[0]) => present(event, (message) => late.push(message)),
    late,
    /** Finishes every picture being encoded and lets their sends happen. */
    async finishPictures() {
      for (const resolve of pending.splice(0)) resolve();
      await new Promise((resolve) => setImmediate(resolve));
    },
  };
}

describe('createPresenter', () => {
  // The clock stands still, so every progress step below falls within one preview interval, however slow the machine.
  beforeEach(() => vi.useFakeTimers({ toFake: ['performance'] }));
  afterEach(() => vi.useRealTimers());

  it('sends plain progress at once and the picture later, with the counts reached by then', async () => {
    const { present, late, finishPictures } = presenter();
    present({ type: 'node.status', ...base, state: 'running', key: 'k' });
    expect(present({ type: 'node.progress', ...base, done: 1, total: 8, preview: frame })).toEqual({ type: 'node.progress', ...base, done: 1, total: 8 });
    for (let done = 2; done <= 6; done++) present({ type: 'node.progress', ...base, done, total: 8, preview: frame });
    expect(late).toEqual([]);
    await finishPictures();
    // One picture (the others fell inside the 500 ms interval), carrying step 6, not step 1.
    expect(late).toEqual([{ type: 'node.progress', ...base, done: 6, total: 8, preview: 'data:image/jpeg;base64,AAAA' }]);
  });

  it('drops a picture that is ready only after its node has finished', async () => {
    const { present, late, finishPictures } = presenter();
    present({ type: 'node.status', ...base, state: 'running', key: 'k' });
    present({ type: 'node.progress', ...base, done: 1, total: 1, preview: frame });
    present({ type: 'node.status', ...base, state: 'done', key: 'k' });
    await finishPictures();
    expect(late).toEqual([]);
  });
});
