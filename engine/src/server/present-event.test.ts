import type { ImageValue } from '@reelgraph/nodes';
import { describe, expect, it } from 'vitest';
import type { ServerMessage } from '../protocol/protocol.ts';
import { MediaRegistry } from './media-registry.ts';
import { createPresenter } from './present-event.ts';

const frame: ImageValue = { kind: 'image', width: 64, height: 36, pixels: new Uint8Array(64 * 36 * 3).fill(128) };
const base = { runId: 'r', nodeId: 'gen' } as const;

function presenter() {
  const late: ServerMessage[] = [];
  const warnings: string[] = [];
  const present = createPresenter(new MediaRegistry('/nonexistent'), (w) => warnings.push(w));
  return { present: (event: Parameters<typeof present>[0]) => present(event, (m) => late.push(m)), late, warnings };
}

/** Lets the JPEG encoding (a real ffmpeg process) finish. */
async function until(condition: () => boolean): Promise<void> {
  for (let i = 0; i < 200 && !condition(); i++) await new Promise((r) => setTimeout(r, 25));
}

describe('createPresenter', () => {
  it('sends plain progress at once and the picture later, with the counts reached by then', async () => {
    const { present, late } = presenter();
    present({ type: 'node.status', ...base, state: 'running', key: 'k' });
    expect(present({ type: 'node.progress', ...base, done: 1, total: 8, preview: frame })).toEqual({ type: 'node.progress', ...base, done: 1, total: 8 });
    for (let done = 2; done <= 6; done++) present({ type: 'node.progress', ...base, done, total: 8, preview: frame });
    await until(() => late.length > 0);
    expect(late).toHaveLength(1);
    const message = late[0] as Extract<ServerMessage, { type: 'node.progress' }>;
    expect(message).toMatchObject({ done: 6, total: 8 });
    expect(message.preview).toMatch(/^data:image\/jpeg;base64,/);
  });

  it('drops a picture that is ready only after its node has finished', async () => {
    const { present, late, warnings } = presenter();
    present({ type: 'node.status', ...base, state: 'running', key: 'k' });
    present({ type: 'node.progress', ...base, done: 1, total: 1, preview: frame });
    present({ type: 'node.status', ...base, state: 'done', key: 'k' });
    await new Promise((r) => setTimeout(r, 1000));
    expect(late).toEqual([]);
    expect(warnings).toEqual([]);
  });
});
