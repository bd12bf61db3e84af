/**
 * Small node kinds, made with the public SDK, that let engine tests shape any
 * graph: sources, joins, a node that fails, one that waits, one that counts
 * its runs. They carry PROMPT values so that no media work hides engine cost.
 */
import { CancelledError, defineNode, NodeError, param, port, type AnyNodeDefinition, type PromptValue, videoOf } from '@reelgraph/nodes';
import { Catalog } from '../catalog.ts';

const text = (value: string): PromptValue => ({ kind: 'prompt', text: value, negative: '', schedule: [] });

/** How often each node id ran, across the catalog's lifetime. */
export type RunCounter = Map<string, number>;

export function fixtureCatalog(counter: RunCounter = new Map()): Catalog {
  const count = (id: string) => counter.set(id, (counter.get(id) ?? 0) + 1);
  const source = defineNode({
    type: 'source',
    version: 1,
    title: 'Source',
    category: 'Test',
    description: 'Emits its text.',
    inputs: {},
    outputs: { out: port.prompt() },
    params: { text: param.text({ default: 'x' }), size: param.int({ default: 1, min: 0, max: 10 }) },
    device: 'cpu',
    async run({ params, ctx }) {
      count(ctx.nodeId);
      return { out: text(params.text) };
    },
  });
  const join = defineNode({
    type: 'join',
    version: 1,
    title: 'Join',
    category: 'Test',
    description: 'Joins two texts, the second optional.',
    inputs: { a: port.prompt(), b: port.prompt({ optional: true }) },
    outputs: { out: port.prompt() },
    params: { separator: param.text({ default: '+' }), mode: param.select({ options: ['join', 'reverse'], default: 'join' }) },
    device: 'accelerator',
    async run({ inputs, params, ctx }) {
      count(ctx.nodeId);
      const parts = [inputs.a.text, inputs.b?.text].filter((t): t is string => t !== undefined);
      if (params.mode === 'reverse') parts.reverse();
      return { out: text(parts.join(params.separator)) };
    },
  });
  const video = defineNode({
    type: 'video-source',
    version: 1,
    title: 'Video source',
    category: 'Test',
    description: 'A tiny grey video.',
    inputs: {},
    outputs: { video: port.video() },
    params: { frames: param.int({ default: 2, min: 1, max: 100 }), finish: param.bool({ default: true }) },
    device: 'cpu',
    async run({ params, ctx }) {
      count(ctx.nodeId);
      const writer = ctx.frames.create({ width: 4, height: 4, channels: 3 });
      await writer.append(new Uint8Array(4 * 4 * 3 * params.frames).fill(128));
      // finish: false is the bug of a node that returns frames it never finished writing.
      return { video: videoOf(params.finish ? await writer.finish() : writer.sequence, 24) };
    },
  });
  const sink = defineNode({
    type: 'video-sink',
    version: 1,
    title: 'Video sink',
    category: 'Test',
    description: 'Takes a video and a text.',
    inputs: { video: port.video(), label: port.prompt({ optional: true }) },
    outputs: { out: port.prompt() },
    params: {},
    device: 'cpu',
    async run({ inputs, ctx }) {
      count(ctx.nodeId);
      return { out: text(`${inputs.video.frameCount} frames ${inputs.label?.text ?? ''}`) };
    },
  });
  const fail = defineNode({
    type: 'fail',
    version: 1,
    title: 'Fail',
    category: 'Test',
    description: 'Always fails.',
    inputs: { a: port.prompt({ optional: true }) },
    outputs: { out: port.prompt() },
    params: {},
    device: 'cpu',
    async run({ ctx }) {
      count(ctx.nodeId);
      throw new NodeError('This node fails on purpose.');
    },
  });
  const wait = defineNode({
    type: 'wait',
    version: 1,
    title: 'Wait',
    category: 'Test',
    description: 'Works in steps until cancelled.',
    inputs: { a: port.prompt({ optional: true }) },
    outputs: { out: port.prompt() },
    params: { steps: param.int({ default: 1000, min: 1, max: 100000 }) },
    device: 'accelerator',
    async run({ params, ctx }) {
      count(ctx.nodeId);
      for (let step = 0; step < params.steps; step++) {
        if (ctx.signal.aborted) throw new CancelledError();
        ctx.progress(step, params.steps);
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
      return { out: text('waited') };
    },
  });
  const random = defineNode({
    type: 'random',
    version: 1,
    title: 'Random',
    category: 'Test',
    description: 'Never the same twice.',
    inputs: {},
    outputs: { out: port.prompt() },
    params: {},
    device: 'cpu',
    deterministic: false,
    async run({ ctx }) {
      count(ctx.nodeId);
      return { out: text(String(Math.random())) };
    },
  });
  const definitions: AnyNodeDefinition[] = [source, join, video, sink, fail, wait, random];
  return new Catalog(definitions);
}
