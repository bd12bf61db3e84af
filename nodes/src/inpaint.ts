import { blendMasked, openShotGenerator, shapeMasks, type GrayFrames, type RgbFrames, type ShotFill } from '@reelgraph/models';
import { previewImage, previewSchedule } from './generation/preview-image.ts';
import { samplingParams, samplingRequest } from './generation/sampling-params.ts';
import { shotFrames } from './generation/shot-frames.ts';
import { checkMaskKeyframes, DEFAULT_MASK_REGION, MASK_SHAPES, maskBoxes, type MaskKeyframe } from './mask/mask-keyframes.ts';
import { defineNode, NodeError, throwIfAborted } from './sdk/define-node.ts';
import { param } from './sdk/param.ts';
import { port } from './sdk/port.ts';
import { videoOf, type MaskValue, type VideoValue } from './sdk/values.ts';

/**
 * Regenerates the masked region of a video from a prompt and leaves the rest
 * as it was: the model renders the whole frame at the video's size and rate
 * (the built-in model: the procedural field with this prompt and seed; a
 * diffusion model: each frame inpainted around its own picture, `fill`),
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
    shape: param.select({ options: MASK_SHAPES, default: 'ellipse', description: 'Shape of the region when no mask is wired.', unusedWhenWired: 'mask' }),
    region: param.json<MaskKeyframe[]>({
      default: DEFAULT_MASK_REGION,
      widget: 'mask-keyframes',
      description: 'Where the region is when no mask is wired: centre x, y and width, height as fractions of the frame, at times in seconds.',
      check: checkMaskKeyframes,
      unusedWhenWired: 'mask',
    }),
    feather: param.number({ default: 12, min: 0, max: 200, step: 1, unit: 'px', description: 'Softness of the region’s edge in pixels.' }),
    seed: param.seed({ description: 'Picks what the region shows: the same seed and inputs give the same frames.' }),
    ...samplingParams,
  },
  device: 'accelerator',
  deterministic: true,
  async run({ inputs, params, ctx }) {
    const { video, mask } = inputs;
    const { width, height, fps, frameCount } = video;
    if (mask) checkMaskFits(mask, video);
    throwIfAborted(ctx.signal);
    const boxes = mask ? undefined : maskBoxes(params.region, video);
    const staticMask = mask?.frameCount === 1 ? await mask.frames.read(0, 1) : undefined;
    // A wired mask is blurred by `feather` here; the node's own shape is feathered as it is drawn.
    const maskFor = async (start: number, count: number): Promise<GrayFrames> => {
      const frames = (data: Uint8Array, n: number): GrayFrames => ({ width, height, frameCount: n, data });
      if (staticMask) return frames(staticMask, 1);
      if (mask) return frames(await mask.frames.read(start, count), count);
      const drawn = boxes!.length === 1 ? boxes! : boxes!.slice(start, start + count);
      return shapeMasks(width, height, params.shape, drawn, { feather: params.feather });
    };
    // The block being filled, so a model that inpaints around the picture reads its frames without decoding the chunk again.
    let current: { start: number; frameCount: number; data: Uint8Array } | undefined;
    const fill: ShotFill = {
      read: async (start, count) => {
        const bytes = video.frames.frameBytes;
        const inBlock = current && start >= current.start && start + count <= current.start + current.frameCount;
        const frames = inBlock ? current!.data.subarray((start - current!.start) * bytes, (start - current!.start + count) * bytes) : await video.frames.read(start, count);
        const masks = await maskFor(start, count);
        return { frames, masks: masks.frameCount === count ? masks.data : repeatFrames(masks.data, count) };
      },
    };
    const generator = await openShotGenerator(
      params.model,
      {
        width,
        height,
        fps,
        seed: params.seed,
        frames: shotFrames(inputs.prompt, undefined, { fps, frameCount }),
        negative: inputs.prompt.negative,
        sampling: samplingRequest(params),
        fill,
      },
      { signal: ctx.signal },
    );
    const writer = ctx.frames.create({ width, height, channels: 3 });
    const previewDue = previewSchedule(fps, frameCount);
    for await (const block of video.frames.blocks()) {
      throwIfAborted(ctx.signal);
      current = block;
      const generated = new Uint8Array(block.data.byteLength);
      for (let at = 0; at < block.frameCount; at += generator.framesPerRun) {
        const count = Math.min(generator.framesPerRun, block.frameCount - at);
        generated.set(await generator.render(block.start + at, count), at * video.frames.frameBytes);
      }
      const original: RgbFrames = { width, height, frameCount: block.frameCount, frames: block.data };
      const blended = await blendMasked(original, { ...original, frames: generated }, await maskFor(block.start, block.frameCount), {
        feather: mask ? params.feather : 0,
      });
      await writer.append(blended.frames);
      const done = block.start + block.frameCount;
      const preview = previewDue(done) ? await previewImage(blended.frames.subarray((block.frameCount - 1) * video.frames.frameBytes), width, height) : undefined;
      ctx.progress(done, frameCount, preview);
    }
    return { video: videoOf(await writer.finish(), fps) };
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

function repeatFrames(frame: Uint8Array, count: number): Uint8Array {
  const frames = new Uint8Array(frame.length * count);
  for (let i = 0; i < count; i++) frames.set(frame, i * frame.length);
  return frames;
}
