import { parsePromptSchedule } from './prompt/prompt-schedule.ts';
import { defineNode, NodeError } from './sdk/define-node.ts';
import { param } from './sdk/param.ts';
import { port } from './sdk/port.ts';

export default defineNode({
  type: 'prompt',
  version: 1,
  title: 'Prompt',
  category: 'Input',
  description:
    'What the shot shows, what to avoid, and optionally how it changes over time: each schedule entry is reached at its time and blends into the next.',
  inputs: {},
  outputs: { prompt: port.prompt() },
  params: {
    text: param.text({
      multiline: true,
      placeholder: 'a misty forest at dawn, soft golden light',
      description: 'What the shot shows. With a schedule that starts after 0s, the shot opens on this and blends into the first entry.',
    }),
    negative: param.text({ multiline: true, placeholder: 'blurry, watermark', description: 'What the shot should avoid.' }),
    schedule: param.text({
      multiline: true,
      placeholder: '0s: a calm ocean at sunset | 3s: a neon city at night',
      description: 'Optional. Entries `TIME: text` separated by | or new lines; times like 3s, 2.5s or 1:30, in ascending order.',
    }),
  },
  device: 'cpu',
  deterministic: true,
  checkParams({ text, schedule }) {
    const problems: { param: string; message: string }[] = [];
    if (typeof schedule === 'string') {
      const parsed = parsePromptSchedule(schedule);
      if ('errors' in parsed) problems.push(...parsed.errors.map((error) => ({ param: 'schedule', message: `has a problem in ${error}` })));
    }
    if (typeof text === 'string' && typeof schedule === 'string' && text.trim() === '' && schedule.trim() === '') {
      problems.push({ param: 'text', message: 'is empty and there is no schedule; write what the shot should show' });
    }
    return problems;
  },
  async run({ params }) {
    const parsed = parsePromptSchedule(params.schedule);
    if ('errors' in parsed) throw new NodeError(`The schedule has mistakes: ${parsed.errors.join('; ')}`);
    const text = params.text.trim();
    return {
      prompt: {
        kind: 'prompt',
        // Nodes that ignore schedules still get a usable prompt: the first key's text.
        text: text === '' ? (parsed.keys[0]?.text ?? '') : text,
        negative: params.negative.trim(),
        schedule: parsed.keys,
      },
    };
  },
});
