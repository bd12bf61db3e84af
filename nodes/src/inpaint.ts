import { blendMasked, ProceduralField, shapeMasks } from '@reelgraph/models';
import { fieldFrames } from './generation/field-frames.ts';
import { requireProceduralModel } from './generation/require-procedural-model.ts';
import { renderFieldVideo } from './generation/render-field-video.ts';
import { checkMaskKeyframes, DEFAULT_MASK_REGION, MASK_SHAPES, maskBoxes, type MaskKeyframe } from './mask/mask-keyframes.ts';
import { defineNode, NodeError, throwIfAborted } from './sdk/define-node.ts';
import { param } from './sdk/param.ts';
import { port } from './sdk/port.ts';
import type { MaskValue, VideoValue } from './sdk/values.ts';

/**
 * Regenerates the masked region of a video from a prompt and leaves the rest
 * as it was: the model renders the whole frame at the video's size and rate
 * (for the built-in model, the procedural field with this prompt and seed),
 * then each frame becomes original·(1 − m) + generated·m.
 *
 * The mask is the `mask` input when wired (its `feather` blurs its edge), else
 * the shape and region params (feathered across the outline). Outside the
 * mask and its feather the pixels are the original's, bit for bit.
 */
export default defineNode({
  type: 'inpaint',
  version: 1,
  title: 'Inpaint',
  category: 'Generation',
  description:
    'Regenerates a region of a video from a prompt and keeps everything outside it. The region is a wired mask, or a rectangle or ellipse (optionally moving) set here.',
  inputs: {
    video: port.video({ description: 'The video to change.' }),
    mask: port.mask({ optional: true, description: 'Where to regenerate (white). Without it, the shape and region params set the region.' }),
    prompt: port.prompt({ description: 'What the region should show.' }),
  },
  outputs: { video: port.video() },
  params: {
    model: param.model({ task: 'inpaint', description: 'Which model regenerates the region.' }),
    shape: param.select({ options: MASK_SHAPES, default: 'ellipse', description: 'Shape of the region when no mask is wired.' }),
    region: param.json<MaskKeyframe[]>({
      default: DEFAULT_MASK_REGION,
      widget: 'mask-keyframes',
      description: 'Where the region is when no mask is wired: centre x, y and width, height as fractions of the frame, at times in seconds.',
      check: checkMaskKeyframes,
    }),
    feather: param.number({ default: 12, min: 0, max: 200, step: 1, unit: 'px', description: 'Softness of the region’s edge in pixels.' }),
    seed: param.seed({ description: 'Picks what the region shows: the same seed and inputs give the same frames.' }),
  },
  device: 'accelerator',
  deterministic: true,
  async run({ inputs, params, ctx }) {
    requireProceduralModel(params.model, 'inpaint with');
    const { video } = inputs;
    const { width, height, fps, frameCount } = video;
    if (inputs.mask) checkMaskFits(inputs.mask, video);
    throwIfAborted(ctx.signal);
    const mask =
      inputs.mask ??
      (await shapeMasks(width, height, params.shape, maskBoxes(params.region, video), { feather: params.feather }));
    const field = await ProceduralField.open({ width, height, fps, seed: params.seed, frames: fieldFrames(inputs.prompt, undefined, { fps, frameCount }) });
    // One more step after the frames: the blend.
    const generated = await renderFieldVideo(field, { width, height, fps }, ctx, { offset: 0, total: frameCount + 1 });
    throwIfAborted(ctx.signal);
    const blended = await blendMasked(video, generated, mask, { feather: inputs.mask ? params.feather : 0 });
    ctx.progress(frameCount + 1, frameCount + 1);
    return { video: { kind: 'video', width, height, fps, frameCount, frames: blended.frames } };
  },
});

function checkMaskFits(mask: MaskValue, video: VideoValue): void {
  if (mask.width !== video.width || mask.height !== video.height) {
    throw new NodeError(`The mask is ${mask.width}×${mask.height} but the video is ${video.width}×${video.height}; wire the video into the mask node so they match.`);
  }
  if (mask.frameCount !== 1 && mask.frameCount !== video.frameCount) {
    throw new NodeError(
      `The mask has ${mask.frameCount} frames but the video has ${video.frameCount}; wire the video into the mask node, or use a mask that does not move.`,
    );
  }
}
