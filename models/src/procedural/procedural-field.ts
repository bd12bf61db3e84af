/**
 * Renders the procedural model: takes a job (size, seed, one camera matrix
 * and prompt embedding per frame, an optional reference picture), builds the
 * field graph once per shape and runs it through the session pool a few
 * frames at a time. The caller drives the runs (`render(start, count)`), so
 * it can check for cancellation and report progress between them.
 */
import type * as ort from 'onnxruntime-node';
import { imageAsFrames, type RgbImage } from '../frames.ts';
import { floatTensor, pixelSession, uint8Tensor } from '../pixel/pixel-graph.ts';
import type { PixelOptions } from '../pixel/pixel-options.ts';
import { resizeFrames } from '../pixel/resize-frames.ts';
import type { AffineMatrix } from '../pixel/warp-frames.ts';
import { chooseDevice } from '../runtime/device-choice.ts';
import type { Device } from '../runtime/device.ts';
import type { PooledSession } from '../runtime/session-pool.ts';
import { buildFieldGraph, buildReferencePlanesGraph, CROP_BORDER, type FieldGraphOptions, type ReferenceMode } from './field-graph.ts';
import { EMBEDDING_LAYOUT, EMBEDDING_SIZE, LOOK_KEYS, type PromptEmbedding } from './prompt-embedding.ts';
import { seedVector } from './seed-vector.ts';

export interface FieldFrame {
  /** The prompt's embedding at this frame; a schedule mixes two (mixEmbeddings). */
  embedding: PromptEmbedding;
  /**
   * The camera, as the camera path gives it: [a, b, c, d, e, f] maps an output
   * point (u, v in [-1, 1]) to the point of the scene it shows. The linear part
   * acts on aspect-corrected coordinates (so roll is a rigid rotation); c and f
   * are offsets in frame widths and heights ×2.
   */
  camera: AffineMatrix;
}

export interface FieldReference {
  image: RgbImage;
  /** 0..1: 0 ignores the picture, 1 shows only the picture, moved by the camera. */
  strength: number;
}

export interface FieldJob {
  width: number;
  height: number;
  fps: number;
  seed: number;
  frames: readonly FieldFrame[];
  reference?: FieldReference;
}

export type FieldOptions = Pick<PixelOptions, 'device' | 'pool'>;

/** Pixels one run computes at most (about one 512×288 frame): small frames are batched, large ones run alone, so a cancel waits for one frame at most. */
const RUN_PIXELS = 160_000;
const MAX_FRAMES_PER_RUN = 8;
/** The field's grid is at most this many pixels on its short side; larger frames get it upsampled. */
const FIELD_SHORT_SIDE = 400;
/** The reference is kept at up to this many times the output size, so a push-in stays sharp. */
const MAX_REFERENCE_SCALE = 2;

export function fieldScaleFor(width: number, height: number): number {
  return Math.max(1, Math.ceil(Math.min(width, height) / FIELD_SHORT_SIDE));
}

export function framesPerRun(width: number, height: number): number {
  return Math.max(1, Math.min(MAX_FRAMES_PER_RUN, Math.floor(RUN_PIXELS / (width * height))));
}

/** Flow time at each frame: the integral of the motion control, so a schedule that speeds the flow up never jumps. */
export function flowTimes(frames: readonly FieldFrame[], fps: number): Float32Array {
  const motion = EMBEDDING_LAYOUT.look[0] + LOOK_KEYS.indexOf('motion');
  const times = new Float32Array(frames.length);
  for (let i = 1; i < frames.length; i++) times[i] = times[i - 1]! + frames[i - 1]!.embedding[motion]! / fps;
  return times;
}

/** Magnification of a camera matrix (1 / the linear part's scale). */
function zoomOf(m: AffineMatrix): number {
  return 1 / Math.sqrt(Math.abs(m[0] * m[4] - m[1] * m[3]));
}

function checkJob(job: FieldJob): void {
  const { width, height, fps, frames, reference } = job;
  if (!Number.isInteger(width) || !Number.isInteger(height) || width < 1 || height < 1) {
    throw new RangeError(`The procedural field needs a positive whole width and height, not ${width}×${height}.`);
  }
  if (!(fps > 0)) throw new RangeError(`The procedural field needs a positive fps, not ${fps}.`);
  for (const frame of frames) {
    if (frame.embedding.length !== EMBEDDING_SIZE) throw new RangeError(`A prompt embedding has ${EMBEDDING_SIZE} values, not ${frame.embedding.length}.`);
    if (frame.camera.length !== 6 || frame.camera.some((v) => !Number.isFinite(v)) || zoomOf(frame.camera) === Infinity) {
      throw new RangeError('Each camera matrix must be six finite numbers with an invertible linear part.');
    }
  }
  if (reference && !(reference.strength >= 0 && reference.strength <= 1)) {
    throw new RangeError(`Reference strength must be between 0 and 1, not ${reference.strength}.`);
  }
}

interface ReferenceFeeds {
  mode: ReferenceMode;
  /** Of the fitted picture. */
  width: number;
  height: number;
  planes: ort.Tensor;
  strength: ort.Tensor;
}

export class ProceduralField {
  readonly framesPerRun: number;
  /** Where the field runs (chooseDevice's pick unless the options named one). */
  readonly device: Device;
  readonly #job: FieldJob;
  readonly #session: PooledSession;
  readonly #times: Float32Array;
  readonly #seed: ort.Tensor;
  readonly #reference: ReferenceFeeds | undefined;

  private constructor(job: FieldJob, device: Device, session: PooledSession, reference: ReferenceFeeds | undefined) {
    this.#job = job;
    this.device = device;
    this.#session = session;
    this.#reference = reference;
    this.#times = flowTimes(job.frames, job.fps);
    const seed = seedVector(job.seed);
    this.#seed = floatTensor(seed, [1, seed.length]);
    this.framesPerRun = reference?.mode === 'crop' ? 1 : framesPerRun(job.width, job.height);
  }

  /** Builds (or reuses) the graph for the job's shape and opens its pooled session. */
  static async open(job: FieldJob, options: FieldOptions = {}): Promise<ProceduralField> {
    checkJob(job);
    const device = options.device ?? (await chooseDevice()).device;
    const onDevice = { ...options, device };
    const { width, height } = job;
    const fieldScale = fieldScaleFor(width, height);
    let reference: ReferenceFeeds | undefined;
    let graph: FieldGraphOptions = { width, height, fieldScale };
    if (job.reference && job.reference.strength > 0) {
      const { strength } = job.reference;
      const mode: ReferenceMode = strength < 1 ? 'blend' : job.frames.every((frame) => isAxisAligned(frame.camera)) ? 'crop' : 'warp';
      const fitted = await fitReference(job, onDevice);
      const planes = await referencePlanes(fitted, mode, onDevice);
      reference = { mode, width: fitted.width, height: fitted.height, planes, strength: floatTensor([strength], [1]) };
      graph = { ...graph, reference: { width: fitted.width, height: fitted.height, mode } };
    }
    const { reference: ref } = graph;
    const key = `procedural-field:${width}x${height}:${fieldScale}:${ref ? `${ref.width}x${ref.height}:${ref.mode}` : 'none'}`;
    const session = await pixelSession(key, () => buildFieldGraph(graph), onDevice);
    return new ProceduralField(job, device, session, reference);
  }

  get frameCount(): number {
    return this.#job.frames.length;
  }

  /** The session's inputs for frames [start, start + count). */
  feeds(start: number, count: number): Record<string, ort.Tensor> {
    const frames = this.#job.frames.slice(start, start + count);
    if (frames.length !== count || start < 0) throw new RangeError(`Frames ${start}..${start + count - 1} are outside the job's ${this.frameCount}.`);
    const aspect = this.#job.width / this.#job.height;
    const embedding = new Float32Array(count * EMBEDDING_SIZE);
    frames.forEach((frame, i) => embedding.set(frame.embedding, i * EMBEDDING_SIZE));
    const all: Record<string, ort.Tensor> = {
      // The offsets move into aspect-corrected units, where the field lives.
      camera: floatTensor(frames.flatMap(({ camera: [a, b, c, d, e, f] }) => [a, b, c * aspect, d, e, f]), [count, 2, 3]),
      embedding: floatTensor(embedding, [count, EMBEDDING_SIZE]),
      time: floatTensor(this.#times.subarray(start, start + count), [count, 1]),
      seed: this.#seed,
      ...(this.#reference ? { reference: this.#reference.planes, strength: this.#reference.strength } : {}),
      ...(this.#reference?.mode === 'crop' && count === 1 ? { roi: floatTensor(this.#cropRegion(frames[0]!.camera), [8]) } : {}),
    };
    return Object.fromEntries(this.#session.inputNames.map((name) => [name, all[name]!]));
  }

  /**
   * The picture region a zoom-and-slide camera shows, as Resize's tf_crop_and_resize wants it: output pixel x
   * samples the picture at start + x·(end − start)·(Wr − 1)/(W − 1) pixels, which matches the warp's
   * align_corners = false mapping of pixel centres (both are linear in x, and their ends agree).
   */
  #cropRegion([a, , c, , e, f]: AffineMatrix): number[] {
    const { width, height } = this.#job;
    const { width: pictureWidth, height: pictureHeight } = this.#reference!;
    const span = (scale: number, offset: number, size: number, pictureSize: number) => {
      // Pixel position in the picture, then in the bordered planes, normalised to their last pixel.
      const at = (centre: number) => (((scale * centre + offset + 1) * pictureSize - 1) / 2 + CROP_BORDER) / (pictureSize + 2 * CROP_BORDER - 1);
      return [at(1 / size - 1), at(1 - 1 / size)] as const;
    };
    const [left, right] = span(a, c, width, pictureWidth);
    const [top, bottom] = span(e, f, height, pictureHeight);
    return [0, top, left, 0, 1, bottom, right, 1];
  }

  /** RGB24 frames [start, start + count), back to back. */
  async render(start: number, count: number): Promise<Uint8Array> {
    const { out } = await this.#session.run(this.feeds(start, count));
    if (out === undefined) throw new Error('the procedural field graph has no output named out');
    return out.data as Uint8Array;
  }

  /** The pooled session, for measuring the graph alone. */
  get session(): PooledSession {
    return this.#session;
  }
}

/** The reference fitted (cover) to the output's aspect, at up to twice its size when the camera pushes in and the picture has the detail. */
async function fitReference(job: FieldJob, options: FieldOptions): Promise<RgbImage> {
  const { image } = job.reference!;
  const maxZoom = job.frames.reduce((most, frame) => Math.max(most, zoomOf(frame.camera)), 1);
  const detail = Math.min(image.width / job.width, image.height / job.height);
  const scale = Math.max(1, Math.min(maxZoom, detail, MAX_REFERENCE_SCALE));
  const width = Math.round(job.width * scale);
  const height = Math.round(job.height * scale);
  if (image.width === width && image.height === height) return image;
  const fitted = await resizeFrames(imageAsFrames(image), { width, height, fit: 'cover', ...options });
  return { width, height, pixels: fitted.frames };
}

/** A camera that only zooms and slides: no roll or shear. */
function isAxisAligned(m: AffineMatrix): boolean {
  return m[1] === 0 && m[3] === 0;
}

async function referencePlanes(image: RgbImage, mode: ReferenceMode, options: FieldOptions): Promise<ort.Tensor> {
  const { width, height } = image;
  const session = await pixelSession(`reference-planes:${width}x${height}:${mode}`, () => buildReferencePlanesGraph(width, height, mode), options);
  const { planes } = await session.run({ image: uint8Tensor(image.pixels, [1, height, width, 3]) });
  if (planes === undefined) throw new Error('the reference planes graph has no output named planes');
  return planes;
}
