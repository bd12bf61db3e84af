/**
 * The family-neutral seam for making shots (generate, and the fill of
 * inpaint): a node describes the shot in family-neutral terms (size, rate,
 * seed, and for every frame the prompt and the camera) and names a model;
 * which family renders it is decided here, from the model's manifest, so
 * nodes never import a family. Each family turns the prompt text into its
 * own conditioning: the procedural field through its lexicon, a diffusion
 * model through its tokenizer and text encoder.
 */
import type { RgbImage } from './frames.ts';
import { findModel } from './model-manifest.ts';
import { ModelUnavailableError } from './model-unavailable-error.ts';
import type { AffineMatrix } from './pixel/warp-frames.ts';
import { openProceduralShot } from './procedural/procedural-shot.ts';
import { openDiffusionShot } from './stable-diffusion/diffusion-shot.ts';
import type { SchedulerKind } from './stable-diffusion/schedulers/denoise-schedule.ts';
import type { Device } from './runtime/device.ts';
import type { SessionPool } from './runtime/session-pool.ts';

export interface ShotFrame {
  /** What the frame shows: prompt `from`, moving towards `to` by `mix` (0..1); a single prompt has from = to. */
  prompt: { from: string; to: string; mix: number };
  /**
   * The camera, as the camera path gives it: [a, b, c, d, e, f] maps an output
   * point (u, v in [-1, 1]) to the point of the scene it shows; the linear
   * part acts on aspect-corrected coordinates, c and f are offsets in frame
   * widths and heights ×2.
   */
  camera: AffineMatrix;
}

export interface ShotRequest {
  width: number;
  height: number;
  fps: number;
  seed: number;
  frames: readonly ShotFrame[];
  /** What the shot should not show. */
  negative?: string;
  /** A picture to animate, and how much of it shows (0..1). */
  reference?: { image: RgbImage; strength: number };
  /**
   * Where the shot starts (the last frame of the shot before): frame 0 is this
   * picture, fitted to the shot. A diffusion model continues from it with the
   * camera; the procedural field dissolves from it into its own look.
   */
  firstFrame?: RgbImage;
  /** For families that sample in steps (diffusion); each left out takes the model's own default. Others ignore it. */
  sampling?: SamplingRequest;
  /**
   * Inpainting: the video being filled and its mask, which a family that
   * inpaints (diffusion) redraws around; others make the frames whole and the
   * caller keeps the original outside the mask either way.
   */
  fill?: ShotFill;
}

export interface ShotFill {
  /** Frames `start` .. `start + count` of the video (RGB24) and of the mask (gray, 255 = redraw), at the shot's size. */
  read(start: number, count: number): Promise<{ frames: Uint8Array; masks: Uint8Array }>;
}

export interface SamplingRequest {
  steps?: number;
  /** Classifier-free guidance scale; ≤ 1 is off. */
  guidance?: number;
  sampler?: SchedulerKind;
  /** How much of each next frame of a camera-driven video is redone (0..1). */
  strength?: number;
  /** Redraw every `cadence`th frame only; the frames between are the last one moved by the camera (default 1: every frame). */
  cadence?: number;
}

export interface ShotGenerator {
  readonly frameCount: number;
  /** Frames one `render` call does well at once (small frames are batched); callers check for cancel between calls. */
  readonly framesPerRun: number;
  /** Frames `start` .. `start + count` as packed RGB24. */
  render(start: number, count: number): Promise<Uint8Array>;
}

export interface OpenShotOptions {
  device?: Device;
  pool?: SessionPool;
  /** Stops a family that works in steps at its next step. */
  signal?: AbortSignal;
  /** Step progress within a frame, with a small preview of the frame so far (families that work in steps). */
  onStep?: (frame: number, step: number, steps: number, preview: () => RgbImage) => void;
}

export async function openShotGenerator(modelId: string, shot: ShotRequest, options: OpenShotOptions = {}): Promise<ShotGenerator> {
  const model = findModel(modelId);
  if (!model) throw new ModelUnavailableError(`The model "${modelId}" is not installed; choose another in the model picker.`);
  switch (model.family) {
    case 'procedural':
      return openProceduralShot(shot, options);
    case 'diffusion':
      if (!model.folder) throw new ModelUnavailableError(`The model "${model.id}" has no files installed; reinstall it with reelgraph models add or pull.`);
      return openDiffusionShot(model.folder, shot, options);
    case 'esrgan':
    case 'rife':
      throw new ModelUnavailableError(`The model "${model.id}" is an ${model.family} model, which does not make shots; choose a generation model.`);
  }
}
