import { findModel, openUpscaler } from '@reelgraph/models';
import { previewImage, previewSchedule } from './generation/preview-image.ts';
import { defineNode, throwIfAborted } from './sdk/define-node.ts';
import { checkVideoSize } from './sdk/limits.ts';
import { param } from './sdk/param.ts';
import { port } from './sdk/port.ts';
import { videoOf } from './sdk/values.ts';

const SCALES = ['2', '3', '4', '8'] as const;

export default defineNode({
  type: 'upscale',
  version: 1,
  title: 'Upscale',
  category: 'Edit',
  description:
    'Enlarges every frame ×2, ×3, ×4 or ×8 with a trained super-resolution network, frame by frame. Built in: ESRGAN slim (the default: fast, crisp edges) and RDN psnr-small (×2, ×4, ×8: closer to the original than bicubic, several times slower).',
  inputs: { video: port.video() },
  outputs: { video: port.video() },
  params: {
    model: param.model({ task: 'upscale', description: 'The super-resolution model.' }),
    scale: param.select({ options: SCALES, default: '4', description: 'How many times larger along each side.' }),
  },
  device: 'accelerator',
  checkParams({ model, scale }) {
    const scales = typeof model === 'string' ? findModel(model)?.scales : undefined;
    if (!scales || scales.includes(Number(scale))) return [];
    return [{ param: 'scale', message: `must be ×${scales.join(', ×')}: "${String(model)}" does not upscale ×${String(scale)}` }];
  },
  async run({ inputs, params, ctx }) {
    const { video } = inputs;
    const scale = Number(params.scale);
    const [width, height] = [video.width * scale, video.height * scale];
    checkVideoSize(width, height, video.frameCount);
    const upscaler = await openUpscaler(params.model, scale);
    const writer = ctx.frames.create({ width, height, channels: 3 });
    const frameBytes = video.width * video.height * 3;
    const previewDue = previewSchedule(video.fps, video.frameCount);
    let done = 0;
    for await (const block of video.frames.blocks()) {
      for (let i = 0; i < block.frameCount; i++) {
        throwIfAborted(ctx.signal);
        const frame = block.data.subarray(i * frameBytes, (i + 1) * frameBytes);
        const { pixels } = await upscaler.upscale({ width: video.width, height: video.height, pixels: frame }, ctx.signal);
        await writer.append(pixels);
        done++;
        const preview = previewDue(done) ? await previewImage(pixels, width, height) : undefined;
        ctx.progress(done, video.frameCount, preview);
      }
    }
    return { video: videoOf(await writer.finish(), video.fps) };
  },
});
