import { shapeMasks } from '@reelgraph/models';
import { shotFrameCount } from './generation/shot-frames.ts';
import { checkMaskKeyframes, DEFAULT_MASK_REGION, MASK_SHAPES, maskBoxes, type MaskKeyframe } from './mask/mask-keyframes.ts';
import { defineNode, throwIfAborted } from './sdk/define-node.ts';
import { checkVideoSize } from './sdk/limits.ts';
import { param } from './sdk/param.ts';
import { chunkFramesFor } from './sdk/pixel-chunks.ts';
import { port } from './sdk/port.ts';
import { maskOf } from './sdk/values.ts';

/**
 * A rectangle or ellipse mask, static or moving along keyframes. With a video
 * wired in, the mask takes its size, frame rate and length; otherwise the
 * width, height, fps and duration params set them. A region with a single
 * keyframe does not move, and the mask is one frame that stands for all.
 */
export default defineNode({
  type: 'mask',
  version: 1,
  title: 'Mask',
  category: 'Edit',
  description:
    'A rectangle or ellipse that marks the region to change (white inside), optionally moving along keyframes and with a soft edge. Wire a video in to match its size and length.',
  inputs: {
    video: port.video({ optional: true, description: 'When wired, the mask takes this video’s size, frame rate and length.' }),
  },
  outputs: { mask: port.mask() },
  params: {
    shape: param.select({ options: MASK_SHAPES, default: 'ellipse', description: 'The shape of the region.' }),
    region: param.json<MaskKeyframe[]>({
      default: DEFAULT_MASK_REGION,
      widget: 'mask-keyframes',
      description:
        'Where the shape is: centre x, y and width, height as fractions of the frame (0.5 is the middle), at times in seconds; it moves linearly between keyframes.',
      check: checkMaskKeyframes,
    }),
    feather: param.number({ default: 12, min: 0, max: 200, step: 1, unit: 'px', description: 'Width of the soft edge, centred on the shape’s outline.' }),
    invert: param.bool({ default: false, description: 'Mark everything except the shape.' }),
    width: param.int({ default: 512, min: 16, max: 4096, unit: 'px', description: 'Width of the mask when no video is wired.', unusedWhenWired: 'video' }),
    height: param.int({ default: 288, min: 16, max: 4096, unit: 'px', description: 'Height of the mask when no video is wired.', unusedWhenWired: 'video' }),
    fps: param.int({ default: 24, min: 1, max: 120, unit: 'fps', description: 'Frame rate when no video is wired.', unusedWhenWired: 'video' }),
    duration: param.number({ default: 3, min: 0.1, max: 600, step: 0.1, unit: 's', description: 'Length when no video is wired.', unusedWhenWired: 'video' }),
  },
  device: 'cpu',
  deterministic: true,
  async run({ inputs, params, ctx }) {
    const frame = inputs.video
      ? { width: inputs.video.width, height: inputs.video.height, fps: inputs.video.fps, frameCount: inputs.video.frameCount }
      : { width: params.width, height: params.height, fps: params.fps, frameCount: shotFrameCount(params.duration, params.fps) };
    checkVideoSize(frame.width, frame.height, frame.frameCount);
    const boxes = maskBoxes(params.region, frame);
    const writer = ctx.frames.create({ width: frame.width, height: frame.height, channels: 1 });
    const batch = chunkFramesFor(frame.width * frame.height);
    for (let start = 0; start < boxes.length; start += batch) {
      throwIfAborted(ctx.signal);
      const masks = await shapeMasks(frame.width, frame.height, params.shape, boxes.slice(start, start + batch), { feather: params.feather, invert: params.invert });
      await writer.append(masks.data);
      ctx.progress(Math.min(boxes.length, start + batch), boxes.length);
    }
    return { mask: maskOf(await writer.finish()) };
  },
});
