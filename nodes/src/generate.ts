import { openShotGenerator } from '@reelgraph/models';
import { renderShot } from './generation/render-shot.ts';
import { samplingParams, samplingRequest } from './generation/sampling-params.ts';
import { shotFrameCount, shotFrames } from './generation/shot-frames.ts';
import { defineNode, throwIfAborted } from './sdk/define-node.ts';
import { checkVideoSize } from './sdk/limits.ts';
import { param } from './sdk/param.ts';
import { port } from './sdk/port.ts';
/** Deforum's usual strength 0.65 keeps 65 % of each frame: 0.35 is redrawn. */
const DEFAULT_DENOISE = 0.35;

/**
 * Generates a shot with the chosen model, through the family-neutral
 * `openShotGenerator`. The built-in model is a procedural neural field (see
 * models/src/procedural): the prompt sets its palette, light and mood, the
 * seed its shapes, the camera flies through it, and a reference image is
 * shown through the same camera, mixed in by `strength`. A Stable Diffusion
 * model draws frame 0 from the prompt (or the reference), then each next frame
 * from the one before moved by the camera (`denoise`); its steps, guidance
 * and sampler are shown only for such a model.
 */
export default defineNode({
  type: 'generate',
  version: 1,
  title: 'Generate',
  category: 'Generation',
  description:
    'Makes a video shot from a prompt, optionally moved by a camera move and guided by a reference image. The built-in model is a procedural generator (flowing abstract fields coloured by your prompt), not a trained text-to-video model.',
  inputs: {
    prompt: port.prompt({ description: 'What the shot shows; a schedule morphs from one look to the next.' }),
    camera: port.camera({ optional: true, description: 'How the camera moves; without it the camera holds still.' }),
    reference: port.image({ optional: true, description: 'A picture to animate: shown through the same camera move, mixed in by strength.' }),
    firstFrame: port.image({
      optional: true,
      description: 'Where the shot starts, e.g. the last frame of the shot before: a diffusion model continues from it with the camera; the built-in model dissolves from it into its own look over a second.',
    }),
  },
  outputs: { video: port.video() },
  params: {
    model: param.model({ task: 'text-to-video', description: 'Which model generates the shot.' }),
    width: param.int({ default: 512, min: 64, max: 2048, step: 8, unit: 'px', description: 'Width of the shot.' }),
    height: param.int({ default: 288, min: 64, max: 2048, step: 8, unit: 'px', description: 'Height of the shot.' }),
    duration: param.number({ default: 3, min: 0.1, max: 60, step: 0.1, unit: 's', description: 'Length of the shot.' }),
    fps: param.int({ default: 24, min: 1, max: 60, unit: 'fps', description: 'Frames per second.' }),
    seed: param.seed({ description: 'Picks the composition: the same seed and inputs give the same frames.' }),
    strength: param.number({
      default: 0.6,
      min: 0,
      max: 1,
      step: 0.05,
      description: 'How much the reference image shows: 0 ignores it, 1 shows only the picture moved by the camera; between, the generated field ripples it and shows around it.',
    }),
    ...samplingParams,
    denoise: param.number({
      default: DEFAULT_DENOISE,
      min: 0,
      max: 1,
      step: 0.05,
      forFamily: 'diffusion',
      description: 'How much of each next frame is redrawn after the camera moves the one before (as ComfyUI calls it): 0 only moves the first frame, 1 draws every frame afresh.',
    }),
    cadence: param.int({
      default: 1,
      min: 1,
      max: 8,
      forFamily: 'diffusion',
      description: 'Redraw every Nth frame only; the frames between follow the camera over the last one drawn. 1 redraws every frame; 2–4 is faster and steadier.',
    }),
  },
  device: 'accelerator',
  deterministic: true,
  async run({ inputs, params, ctx }) {
    const { width, height, fps } = params;
    const frameCount = shotFrameCount(params.duration, fps);
    checkVideoSize(width, height, frameCount);
    throwIfAborted(ctx.signal);
    const generator = await openShotGenerator(params.model, {
      width,
      height,
      fps,
      seed: params.seed,
      frames: shotFrames(inputs.prompt, inputs.camera, { fps, frameCount }),
      negative: inputs.prompt.negative,
      ...(inputs.reference ? { reference: { image: inputs.reference, strength: params.strength } } : {}),
      ...(inputs.firstFrame ? { firstFrame: inputs.firstFrame } : {}),
      sampling: { ...samplingRequest(params), strength: params.denoise, cadence: params.cadence },
    }, {
      signal: ctx.signal,
      // A model that works in steps reports within a frame too (done is fractional), with its cheap latent preview.
      onStep: (frame, step, steps, preview) => {
        if (step < steps) ctx.progress(frame + step / steps, frameCount, { kind: 'image', ...preview() });
      },
    });
    return { video: await renderShot(generator, { width, height, fps }, ctx) };
  },
});
