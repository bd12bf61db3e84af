import { describe, expect, it } from 'vitest';
import { pipelineOf } from '../testing/pipeline-builder.ts';
import type { PipelineDocument } from '../pipeline/pipeline-document.ts';
import { TerminalProgress } from './terminal-progress.ts';

function display() {
  let text = '';
  const out = { isTTY: false, write: (chunk: string) => ((text += chunk), true) } as unknown as NodeJS.WriteStream;
  const progress = new TerminalProgress(out);
  progress.start(pipelineOf([{ id: 'shot-1', type: 'generate' }]) as PipelineDocument, '/data', undefined);
  return { progress, text: () => text };
}

describe('the terminal display', () => {
  it('says which farm worker runs and ran a node, and nothing of workers for a local run', () => {
    const { progress, text } = display();
    progress.update({ type: 'node.status', runId: 'r', nodeId: 'shot-1', state: 'running', key: 'k', worker: 'gpu-a' });
    progress.update({ type: 'node.status', runId: 'r', nodeId: 'shot-1', state: 'done', key: 'k', worker: 'gpu-a' });
    progress.update({ type: 'node.status', runId: 'r', nodeId: 'shot-1', state: 'done', key: 'k' });
    expect(text().split('\n').slice(1, 4)).toEqual(['> shot-1 [generate] running on gpu-a', '✓ shot-1 [generate] done on gpu-a', '✓ shot-1 [generate] done']);
  });
});
