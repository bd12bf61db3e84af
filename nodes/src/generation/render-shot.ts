/**
 * Renders a shot generator's frames into a video, a run (one frame, or a few
 * small ones) at a time, each appended to the node's frame
 * store as it comes: between runs it checks for cancel and reports progress,
 * with a thumbnail about once a second of video.
 */
import type { ShotGenerator } from '@reelgraph/models';
import { throwIfAborted, type RunContext } from '../sdk/define-node.ts';
import { checkVideoSize } from '../sdk/limits.ts';
import { frameBytes, videoOf, type VideoValue } from '../sdk/values.ts';
import { previewImage, previewSchedule } from './preview-image.ts';

export interface ShotShape {
  width: number;
  height: number;
  fps: number;
}

/** Progress is reported as `offset + frames done` of `total`, so a node with more work after this can keep one scale. */
export interface ProgressScale {
  offset: number;
  total: number;
}

export async function renderShot(generator: ShotGenerator, shape: ShotShape, ctx: RunContext, scale?: ProgressScale): Promise<VideoValue> {
  const { width, height, fps } = shape;
  const frameCount = generator.frameCount;
  checkVideoSize(width, height, frameCount);
  const size = frameBytes(width, height);
  const writer = ctx.frames.create({ width, height, channels: 3 });
  const { offset = 0, total = frameCount } = scale ?? {};
  const previewDue = previewSchedule(fps, frameCount);
  for (let start = 0; start < frameCount; start += generator.framesPerRun) {
    throwIfAborted(ctx.signal);
    const count = Math.min(generator.framesPerRun, frameCount - start);
    const rendered = await generator.render(start, count);
    await writer.append(rendered);
    const done = start + count;
    const preview = previewDue(done) ? await previewImage(rendered.subarray((count - 1) * size, count * size), width, height) : undefined;
    ctx.progress(offset + done, total, preview);
  }
  return videoOf(await writer.finish(), fps);
}
