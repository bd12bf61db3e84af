import { openInterpolator, type RgbImage } from '@reelgraph/models';
import { previewImage, previewSchedule } from './generation/preview-image.ts';
import { defineNode, throwIfAborted } from './sdk/define-node.ts';
import { checkVideoSize, LIMITS, LimitError } from './sdk/limits.ts';
import { param } from './sdk/param.ts';
import { port } from './sdk/port.ts';
import { videoOf } from './sdk/values.ts';
import { isSceneCut } from './interpolation/scene-cut.ts';

const FACTORS = ['2', '3', '4', '8'] as const;
const MODES = ['smoother', 'slow motion'] as const;

export default defineNode({
  type: 'interpolate',
  version: 1,
  title: 'Interpolate',
  category: 'Edit',
  description:
    'Makes new frames between the frames of a video with a trained motion network (built in: RIFE 4.6): ×2, ×3, ×4 or ×8 as many frames, ' +
    'played at a higher frame rate for smoother motion, or at the same rate for slow motion. Across a scene cut it holds frames instead of morphing.',
  inputs: { video: port.video() },
  outputs: { video: port.video() },
  params: {
    model: param.model({ task: 'interpolate', description: 'The frame-interpolation model.' }),
    factor: param.select({ options: FACTORS, default: '2', description: 'How many frames for each frame of the input.' }),
    mode: param.select({
      options: MODES,
      default: 'smoother',
      description: 'smoother: the frame rate rises by the factor and the length stays; slow motion: the frame rate stays and the length grows by the factor.',
    }),
    sceneCut: param.number({
      default: 12,
      min: 0,
      max: 100,
      step: 1,
      unit: '%',
      description: 'How different two neighbouring frames must be (mean brightness change, in per cent) to count as a cut, which is never morphed across. 100 never cuts.',
    }),
  },
  device: 'accelerator',
  async run({ inputs, params, ctx }) {
    const { video } = inputs;
    const factor = Number(params.factor);
    const fps = params.mode === 'smoother' ? video.fps * factor : video.fps;
    if (fps > LIMITS.maxFps) {
      throw new LimitError(`×${factor} smoother makes ${fps} fps from ${video.fps}, past the limit of ${LIMITS.maxFps}; choose a smaller factor or slow motion.`);
    }
    const frameCount = video.frameCount * factor;
    checkVideoSize(video.width, video.height, frameCount);
    const interpolator = await openInterpolator(params.model);
    const { width, height } = video;
    const frameBytes = width * height * 3;
    const writer = ctx.frames.create({ width, height, channels: 3 });
    const previewDue = previewSchedule(fps, frameCount);
    let done = 0;
    const emit = async (pixels: Uint8Array) => {
      await writer.append(pixels);
      done++;
      const preview = previewDue(done) ? await previewImage(pixels, width, height) : undefined;
      ctx.progress(done, frameCount, preview);
    };

    // Each frame, then the frames between it and the next: the last frame is held, so the length is exactly the factor times the input's.
    let previous: RgbImage | undefined;
    const between = async (first: RgbImage, second: RgbImage | undefined) => {
      await emit(first.pixels);
      const cut = second !== undefined && isSceneCut(first.pixels, second.pixels, width, params.sceneCut / 100);
      for (let k = 1; k < factor; k++) {
        throwIfAborted(ctx.signal);
        const t = k / factor;
        if (second === undefined) await emit(first.pixels);
        else if (cut) await emit((t < 0.5 ? first : second).pixels);
        else await emit((await interpolator.between(first, second, t, ctx.signal)).pixels);
      }
    };
    for await (const block of video.frames.blocks()) {
      for (let i = 0; i < block.frameCount; i++) {
        throwIfAborted(ctx.signal);
        // A copy: the block's memory is reused once the loop moves on, and this frame is still needed as the next pair's first.
        const frame: RgbImage = { width, height, pixels: block.data.slice(i * frameBytes, (i + 1) * frameBytes) };
        if (previous) await between(previous, frame);
        previous = frame;
      }
    }
    if (previous) await between(previous, undefined);
    return { video: videoOf(await writer.finish(), fps) };
  },
});
