/**
 * The last frame of a video (or one a few frames before it) as an image, for
 * continuity between shots: wired into the next shot's generate node as its
 * first frame, it lets shot 2 start where shot 1 ended.
 *
 * It reads only the one frame it returns (a single stored chunk), never the
 * whole clip, so memory does not grow with the clip's length. The pixels are
 * the frame's own, bit for bit, at the video's size.
 */
import { defineNode, NodeError, throwIfAborted } from './sdk/define-node.ts';
import { LIMITS } from './sdk/limits.ts';
import { param } from './sdk/param.ts';
import { port } from './sdk/port.ts';

function framesInWords(count: number): string {
  return count === 1 ? '1 frame' : `${count} frames`;
}

/** The index of the frame `fromEnd` frames before the last of `frameCount`, or a NodeError saying why there is none. */
function frameIndexFromEnd(frameCount: number, fromEnd: number): number {
  if (frameCount === 0) throw new NodeError('The video has no frames, so it has no last frame; wire in a clip with at least one frame.');
  if (fromEnd >= frameCount) {
    throw new NodeError(
      `"from end" is ${fromEnd}, but the clip has ${framesInWords(frameCount)}: the most it can be is ${frameCount - 1} (the clip's first frame).`,
    );
  }
  return frameCount - 1 - fromEnd;
}

export default defineNode({
  type: 'last-frame',
  version: 1,
  title: 'Last frame',
  category: 'Edit',
  description:
    'The last frame of a video (or one a few frames before it) as an image of the same size: wire it into the next shot’s first frame so that shot starts where this one ends.',
  inputs: { video: port.video() },
  outputs: { image: port.image({ description: 'The chosen frame, the video’s size, pixel for pixel.' }) },
  params: {
    fromEnd: param.int({
      default: 0,
      min: 0,
      max: LIMITS.maxFrames - 1,
      unit: 'frames',
      description: '0 takes the very last frame, 1 the one before it, and so on.',
    }),
  },
  device: 'cpu',
  deterministic: true,
  async run({ inputs, params, ctx }) {
    const { video } = inputs;
    const index = frameIndexFromEnd(video.frameCount, params.fromEnd);
    throwIfAborted(ctx.signal);
    // A copy of the one frame: loads the chunk that holds it and nothing else.
    const pixels = await video.frames.read(index, 1);
    ctx.progress(1, 1);
    return { image: { kind: 'image', width: video.width, height: video.height, pixels } };
  },
});
