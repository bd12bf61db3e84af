import { describe, expect, it } from 'vitest';
import promptNode from './prompt.ts';
import { parsePromptSchedule } from './prompt/prompt-schedule.ts';
import { NodeError } from './sdk/define-node.ts';
import { testContext } from './testing/node-test-kit.ts';

const ctx = testContext({ nodeId: 'prompt-1', dataDir: '/tmp/reelgraph-test', pipeline: {} });

function run(params: { text: string; negative?: string; schedule?: string }) {
  return promptNode.run({ inputs: {}, params: { negative: '', schedule: '', ...params }, ctx });
}

function check(params: { text: unknown; negative?: unknown; schedule?: unknown }) {
  return promptNode.checkParams!({ negative: '', schedule: '', ...params });
}

describe('prompt node', () => {
  it('offers text, negative and schedule params and a PROMPT output', () => {
    expect(Object.keys(promptNode.params)).toEqual(['text', 'negative', 'schedule']);
    expect(promptNode.outputs.prompt.type).toBe('PROMPT');
    // The placeholder shows the syntax with scenes the built-in model draws (its lexicon has ocean, sunset, neon, city, night).
    expect(parsePromptSchedule(promptNode.params.schedule.placeholder!)).toEqual({
      keys: [
        { at: 0, text: 'a calm ocean at sunset' },
        { at: 3, text: 'a neon city at night' },
      ],
    });
  });

  it('produces a prompt value with the parsed schedule', async () => {
    const { prompt } = await run({ text: ' dinosaurs in Paris ', negative: ' blurry ', schedule: '0s: dinosaurs | 3s: mammoths' });
    expect(prompt).toEqual({
      kind: 'prompt',
      text: 'dinosaurs in Paris',
      negative: 'blurry',
      schedule: [
        { at: 0, text: 'dinosaurs' },
        { at: 3, text: 'mammoths' },
      ],
    });
  });

  it('has an empty schedule when none is written', async () => {
    const { prompt } = await run({ text: 'a quiet street' });
    expect(prompt.schedule).toEqual([]);
    expect(prompt.text).toBe('a quiet street');
  });

  it('fills an empty text with the first key, for nodes that read no schedule', async () => {
    const { prompt } = await run({ text: '', schedule: '1s: fire | 2s: ash' });
    expect(prompt.text).toBe('fire');
  });

  it('refuses to run a broken schedule', async () => {
    await expect(run({ text: 'a', schedule: '3x: foo' })).rejects.toThrow(NodeError);
  });

  it('reports each schedule mistake against the schedule param', () => {
    expect(check({ text: 'a', schedule: '3x: foo | 1s: b | 0.5s: c' })).toEqual([
      { param: 'schedule', message: 'has a problem in entry 1 ("3x: foo"): "3x" is not a time; write seconds like 3s or 1:30' },
      {
        param: 'schedule',
        message: 'has a problem in entry 3 ("0.5s: c"): 0.5s is not after entry 2 at 1s; times must go up, each later than the one before',
      },
    ]);
  });

  it('needs a text or a schedule', () => {
    expect(check({ text: '  ', schedule: '\n' })).toEqual([
      { param: 'text', message: 'is empty and there is no schedule; write what the shot should show' },
    ]);
    expect(check({ text: '', schedule: '0s: a' })).toEqual([]);
    expect(check({ text: 'a', schedule: '' })).toEqual([]);
  });

  it('leaves wrongly typed params to their own checks', () => {
    expect(check({ text: 42, schedule: null })).toEqual([]);
  });
});
