import { decodeVideo } from './media/decode.ts';
import { withContext } from './media/node-error.ts';
import { defineNode } from './sdk/define-node.ts';
import { param } from './sdk/param.ts';
import { port } from './sdk/port.ts';

/** A day: far beyond any clip, yet a bound that catches typos like 1e9. */
const MAX_SECONDS = 86_400;

export default defineNode({
  type: 'load-video',
  version: 1,
  title: 'Load video',
  category: 'Input',
  description: 'A video file (MP4, WebM, MOV, GIF, …) as frames, at its own size and frame rate, optionally trimmed to a range.',
  inputs: {},
  outputs: { video: port.video() },
  params: {
    video: param.file({ accept: ['video'], description: 'The video file to load.' }),
    start: param.number({ default: 0, min: 0, max: MAX_SECONDS, step: 0.1, unit: 's', description: 'Where the clip starts, in seconds.' }),
    end: param.number({
      default: 0,
      min: 0,
      max: MAX_SECONDS,
      step: 0.1,
      unit: 's',
      description: 'Where the clip ends, in seconds from the start of the file; 0 plays to the end.',
    }),
  },
  device: 'cpu',
  deterministic: true,
  checkParams({ start, end }) {
    if (typeof start !== 'number' || typeof end !== 'number' || end === 0 || end > start) return [];
    return [{ param: 'end', message: `must come after start (${start} s), or be 0 to play to the end of the file` }];
  },
  async run({ params, ctx }) {
    try {
      const video = await decodeVideo(params.video.path, {
        start: params.start,
        ...(params.end > 0 ? { end: params.end } : {}),
        signal: ctx.signal,
        store: ctx.frames,
        onProgress: (done, total, latest) => ctx.progress(done, total, latest),
      });
      return { video };
    } catch (error) {
      throw withContext(error, `Could not load the video "${params.video.name}"`);
    }
  },
});
