import type { OutputSummary } from '@reelgraph/engine';
import { describe, expect, it } from 'vitest';
import { comparePair, videoOutput } from './comparable-outputs.ts';

const video: OutputSummary = { kind: 'video', url: '/media/a.mp4', fps: 12, frameCount: 12 };
const file: OutputSummary = { kind: 'file', url: '/media/b.mp4', mime: 'video/mp4' };
const gif: OutputSummary = { kind: 'file', url: '/media/c.gif', mime: 'image/gif' };
const image: OutputSummary = { kind: 'image', url: '/media/d.png' };

const outputs: Record<string, Record<string, OutputSummary>> = {
  shot: { video },
  export: { file },
  still: { image },
  gif: { file: gif },
  pending: { video: { kind: 'video' } },
};
const title = (id: string) => id.toUpperCase();

describe('videoOutput', () => {
  it('finds a rendered video, from a VIDEO output or an exported video file, not pictures or GIFs', () => {
    expect(videoOutput({ prompt: { kind: 'prompt' }, video })).toEqual({ port: 'video', summary: video });
    expect(videoOutput(outputs.export)).toEqual({ port: 'file', summary: file });
    for (const id of ['still', 'gif', 'pending']) expect(videoOutput(outputs[id])).toBeUndefined();
    expect(videoOutput(undefined)).toBeUndefined();
  });
});

describe('comparePair', () => {
  it('pairs exactly two nodes with rendered videos, A first as selected', () => {
    const pair = comparePair(['export', 'shot'], (id) => outputs[id], title);
    expect(pair).toEqual({
      ok: true,
      a: { nodeId: 'export', title: 'EXPORT', port: 'file', url: '/media/b.mp4', summary: file },
      b: { nodeId: 'shot', title: 'SHOT', port: 'video', url: '/media/a.mp4', summary: video },
    });
  });

  it('says why it cannot compare', () => {
    expect(comparePair(['shot'], (id) => outputs[id], title)).toEqual({ ok: false, reason: 'Select exactly two nodes with rendered videos to compare them.' });
    expect(comparePair(['shot', 'export', 'gif'], (id) => outputs[id], title).ok).toBe(false);
    expect(comparePair(['shot', 'still'], (id) => outputs[id], title)).toEqual({ ok: false, reason: '"STILL" has no rendered video yet; run it first.' });
    expect(comparePair(['new', 'pending'], (id) => outputs[id], title)).toEqual({ ok: false, reason: '"NEW" and "PENDING" have no rendered video yet; run them first.' });
  });
});
