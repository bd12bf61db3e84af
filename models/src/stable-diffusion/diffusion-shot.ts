/**
 * A shot from a Stable Diffusion model, Deforum-style, driven by the camera:
 * frame 0 is the shot's first frame when it has one, else comes from the
 * prompt (or from the reference picture by image-to-image); each next frame is the previous one moved by the camera's
 * change between the two frames, then redone by image-to-image at the
 * shot's strength, then matched in colour to frame 0 so the video does not
 * drift. Prompts that change over the shot blend their text conditioning.
 *
 * With a cadence of N only every Nth frame is redrawn; the frames between
 * are the last one moved by the camera (Deforum's cadence, filled by
 * warping), which is N times faster and steadier, and softer in motion.
 *
 * Frames are made at a size the UNet takes (each side a multiple of 64,
 * the nearest at or above the asked size) and fitted to the asked size.
 */
import { imageAsFrames, type RgbImage } from '../frames.ts';
import { resizeFrames } from '../pixel/resize-frames.ts';
import { warpFrames, type AffineMatrix } from '../pixel/warp-frames.ts';
import type { OpenShotOptions, ShotFrame, ShotGenerator, ShotRequest } from '../shot-generator.ts';
import { labMoments, matchColours, type LabMoments } from './colour-coherence.ts';
import { readDiffusionFolder } from './diffusion-folder.ts';
import { DiffusionPipeline, type Conditioning, type DenoiseRequest } from './diffusion-pipeline.ts';

/** How much of each next frame is redone (Deforum's default strength 0.65 keeps 65 %). */
export const DEFAULT_CONTINUATION = 0.35;
const SIZE_STEP = 64;

export async function openDiffusionShot(folderPath: string, shot: ShotRequest, options: OpenShotOptions = {}): Promise<ShotGenerator> {
  const folder = await readDiffusionFolder(folderPath);
  const pipeline = await DiffusionPipeline.open(folder, options);
  return new DiffusionShot(pipeline, shot, options);
}

/** The size frames are made at: each side the multiple of 64 at or above the asked one. */
export function diffusionSizeFor(width: number, height: number): { width: number; height: number } {
  return { width: Math.max(SIZE_STEP, Math.ceil(width / SIZE_STEP) * SIZE_STEP), height: Math.max(SIZE_STEP, Math.ceil(height / SIZE_STEP) * SIZE_STEP) };
}

/**
 * The warp from the previous frame to this one, in warpFrames' normalised
 * coordinates: camera matrices act on aspect-corrected coordinates, so each is
 * first brought into per-axis normalised units, then this frame's output point
 * is taken to the scene and back into the previous frame.
 */
export function cameraStep(previous: AffineMatrix, current: AffineMatrix, aspect: number): AffineMatrix {
  return compose(invert(normalised(previous, aspect)), normalised(current, aspect));
}

class DiffusionShot implements ShotGenerator {
  readonly frameCount: number;
  readonly framesPerRun = 1;
  readonly #size: { width: number; height: number };
  readonly #conditioning = new Map<string, Promise<Conditioning>>();
  #previous: RgbImage | undefined;
  #firstColours: LabMoments | undefined;
  #next = 0;

  constructor(
    private readonly pipeline: DiffusionPipeline,
    private readonly shot: ShotRequest,
    private readonly options: OpenShotOptions,
  ) {
    this.frameCount = shot.frames.length;
    this.#size = diffusionSizeFor(shot.width, shot.height);
  }

  async render(start: number, count: number): Promise<Uint8Array> {
    // Each frame grows from the one before, so frames come in order.
    if (start !== this.#next) throw new RangeError(`A diffusion shot renders its frames in order: frame ${this.#next} is next, ${start} was asked for.`);
    const frames = new Uint8Array(this.shot.width * this.shot.height * 3 * count);
    for (let i = 0; i < count; i++) {
      const made = await this.#frame(start + i);
      frames.set(await this.#fitted(made), i * this.shot.width * this.shot.height * 3);
      this.#next = start + i + 1;
    }
    return frames;
  }

  async #frame(index: number): Promise<RgbImage> {
    const { shot, pipeline } = this;
    const sampling = shot.sampling ?? {};
    const steps = sampling.steps ?? pipeline.folder.defaults.steps;
    const frame = shot.frames[index]!;
    if (shot.fill) return this.#inpaintFrame(index, await this.#requestFor(index, frame, steps));
    let start: { image: RgbImage; strength: number } | undefined;
    if (index === 0 && shot.firstFrame) return this.#startOn(shot.firstFrame);
    if (index === 0 && shot.reference) {
      if (shot.reference.strength >= 1) return this.#startOn(shot.reference.image);
      start = { image: await this.#resize(shot.reference.image, this.#size, 'cover'), strength: 1 - shot.reference.strength };
    } else if (index > 0) {
      const step = cameraStep(shot.frames[index - 1]!.camera, frame.camera, this.#size.width / this.#size.height);
      const moved = await warpFrames({ ...this.#size, frameCount: 1, frames: this.#previous!.pixels }, [step], { border: 'reflection' });
      start = { image: { ...this.#size, pixels: moved.frames }, strength: sampling.strength ?? DEFAULT_CONTINUATION };
    }
    // Strength 0, or a frame between cadence keyframes: the camera moves through the picture without redrawing it.
    const cadence = Math.max(1, Math.round(sampling.cadence ?? 1));
    if (start && (start.strength <= 0 || (index > 0 && index % cadence !== 0))) return (this.#previous = start.image);
    const request = await this.#requestFor(index, frame, start ? stepsFor(steps, start.strength) : steps);
    const latents = await pipeline.denoise(start ? { ...request, init: { latents: await pipeline.encodeImage(start.image), strength: start.strength } } : request);
    let image = await pipeline.decodeLatents(latents, this.#size.width, this.#size.height);
    if (index === 0) this.#firstColours = labMoments(image);
    else image = matchColours(image, this.#firstColours!);
    this.#previous = image;
    return image;
  }

  /** Frame 0 is this picture, fitted; its colours are the ones later frames keep. */
  async #startOn(picture: RgbImage): Promise<RgbImage> {
    const shown = await this.#resize(picture, this.#size, 'cover');
    this.#firstColours = labMoments(shown);
    return (this.#previous = shown);
  }

  /** What every denoising of frame `index` shares: size, seed, conditioning, guidance, sampler, cancel and step reports. */
  async #requestFor(index: number, frame: ShotFrame, steps: number): Promise<DenoiseRequest> {
    const { shot, pipeline } = this;
    return {
      ...this.#size,
      seed: (shot.seed + index * 7919) >>> 0,
      prompt: await this.#promptFor(frame),
      negative: await this.#encode(shot.negative ?? '', true),
      steps,
      guidance: shot.sampling?.guidance ?? pipeline.folder.defaults.guidance,
      ...(shot.sampling?.sampler ? { sampler: shot.sampling.sampler } : {}),
      ...(this.options.signal ? { signal: this.options.signal } : {}),
      onStep: (done, total, preview) => this.options.onStep?.(index, done, total, preview),
    };
  }

  /**
   * One frame of the video being filled, redrawn inside its mask: the frame
   * and mask are stretched to the working size (so pixels stay where they
   * are), the mask taken per latent cell as its largest value (a cell that
   * any masked pixel touches is redrawn), the rest kept from the frame's own
   * latents. The caller blends the result into the original by the mask.
   */
  async #inpaintFrame(index: number, request: DenoiseRequest): Promise<RgbImage> {
    const { shot, pipeline } = this;
    const { frames, masks } = await shot.fill!.read(index, 1);
    const size = this.#size;
    const source = await this.#resize({ width: shot.width, height: shot.height, pixels: frames }, size, 'stretch');
    const mask = await this.#resize({ width: shot.width, height: shot.height, pixels: grayToRgb(masks) }, size, 'stretch');
    const latentMask = cellMaxima(mask, 8);
    const known = await pipeline.encodeImage(pipeline.folder.inpaintingUnet ? maskedOut(source, latentMask) : source);
    const latents = await pipeline.denoise({ ...request, inpaint: { mask: latentMask, latents: known } });
    return pipeline.decodeLatents(latents, size.width, size.height);
  }

  #promptFor(frame: ShotFrame): Promise<Conditioning> {
    const { from, to, mix } = frame.prompt;
    if (from === to || mix <= 0) return this.#encode(from);
    if (mix >= 1) return this.#encode(to);
    return Promise.all([this.#encode(from), this.#encode(to)]).then(([a, b]) => blendConditioning(a, b, mix));
  }

  #encode(text: string, negative = false): Promise<Conditioning> {
    const key = `${negative ? '-' : '+'}${text}`;
    let encoded = this.#conditioning.get(key);
    if (!encoded) {
      encoded = this.pipeline.encodePrompt(text, { negative });
      this.#conditioning.set(key, encoded);
    }
    return encoded;
  }

  /** `cover` fits a picture as a picture; `stretch` keeps every pixel where it was (a frame being inpainted). */
  async #resize(image: RgbImage, size: { width: number; height: number }, fit: 'cover' | 'stretch'): Promise<RgbImage> {
    if (image.width === size.width && image.height === size.height) return image;
    const resized = await resizeFrames(imageAsFrames(image), { ...size, fit });
    return { ...size, pixels: resized.frames };
  }

  async #fitted(image: RgbImage): Promise<Uint8Array> {
    // An inpainted frame goes back exactly where it came from; a generated one is fitted like a picture.
    return (await this.#resize(image, { width: this.shot.width, height: this.shot.height }, this.shot.fill ? 'stretch' : 'cover')).pixels;
  }
}

/** Image-to-image keeps steps × strength of the schedule: enough steps that at least one runs. */
function stepsFor(steps: number, strength: number): number {
  return Math.max(steps, Math.ceil(1 / Math.max(strength, 1e-3)));
}

function blendConditioning(a: Conditioning, b: Conditioning, mix: number): Conditioning {
  const lerp = (x: Float32Array, y: Float32Array) => x.map((value, i) => value + (y[i]! - value) * mix);
  return { ...a, hidden: lerp(a.hidden, b.hidden), ...(a.pooled && b.pooled ? { pooled: lerp(a.pooled, b.pooled) } : {}) };
}

function normalised([a, b, c, d, e, f]: AffineMatrix, aspect: number): AffineMatrix {
  return [a, b / aspect, c, d * aspect, e, f];
}

function invert([a, b, c, d, e, f]: AffineMatrix): AffineMatrix {
  const det = a * e - b * d;
  return [e / det, -b / det, (b * f - c * e) / det, -d / det, a / det, (c * d - a * f) / det];
}

/** first ∘ second: apply second, then first. */
function compose([a1, b1, c1, d1, e1, f1]: AffineMatrix, [a2, b2, c2, d2, e2, f2]: AffineMatrix): AffineMatrix {
  return [a1 * a2 + b1 * d2, a1 * b2 + b1 * e2, a1 * c2 + b1 * f2 + c1, d1 * a2 + e1 * d2, d1 * b2 + e1 * e2, d1 * c2 + e1 * f2 + f1];
}

function grayToRgb(gray: Uint8Array): Uint8Array {
  const rgb = new Uint8Array(gray.length * 3);
  for (let i = 0; i < gray.length; i++) rgb.fill(gray[i]!, i * 3, i * 3 + 3);
  return rgb;
}

/** Per `cell`×`cell` block of an RGB mask (all channels equal), the largest value, as 0..1: the mask at latent size. */
export function cellMaxima(mask: RgbImage, cell: number): Float32Array {
  const columns = mask.width / cell;
  const rows = mask.height / cell;
  const cells = new Float32Array(columns * rows);
  for (let y = 0; y < mask.height; y++) {
    for (let x = 0; x < mask.width; x++) {
      const at = Math.floor(y / cell) * columns + Math.floor(x / cell);
      cells[at] = Math.max(cells[at]!, mask.pixels[(y * mask.width + x) * 3]! / 255);
    }
  }
  return cells;
}

/** The picture with the cells to redraw set to mid grey (0 in the VAE's range), as an inpainting UNet's masked image is. */
function maskedOut(image: RgbImage, latentMask: Float32Array): RgbImage {
  const pixels = image.pixels.slice();
  const columns = image.width / 8;
  for (let y = 0; y < image.height; y++) {
    for (let x = 0; x < image.width; x++) {
      if (latentMask[Math.floor(y / 8) * columns + Math.floor(x / 8)]! >= 0.5) pixels.fill(128, (y * image.width + x) * 3, (y * image.width + x) * 3 + 3);
    }
  }
  return { ...image, pixels };
}
