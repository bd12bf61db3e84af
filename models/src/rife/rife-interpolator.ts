/**
 * RIFE on frames: the frame at time t between two frames. The ncnn model is
 * converted once per folder (kept for the process) and run whole-frame, as
 * rife-ncnn-vulkan does: the network estimates motion over the whole
 * picture, so tiles would cut the flow. Frames are padded with black to a
 * multiple of 32 and the result cropped back.
 */
import * as ort from 'onnxruntime-node';
import type { RgbImage } from '../frames.ts';
import type { Interpolator } from '../interpolator.ts';
import { chooseDevice } from '../runtime/device-choice.ts';
import type { Device } from '../runtime/device.ts';
import { sessionPool, type PooledSession, type SessionPool } from '../runtime/session-pool.ts';
import { readRifeModelFolder, rife46Folder } from './rife-files.ts';
import { RIFE_ALIGN, rifeGraph } from './rife-graph.ts';

const converted = new Map<string, Uint8Array>();

export interface RifeInterpolatorOptions {
  /** An installed model's folder (flownet.param and flownet.bin); the shipped RIFE 4.6 when absent. */
  folder?: string;
  device?: Device;
  pool?: SessionPool;
}

export class RifeInterpolator implements Interpolator {
  private constructor(private readonly session: PooledSession) {}

  static async open(options: RifeInterpolatorOptions = {}): Promise<RifeInterpolator> {
    const folder = options.folder ?? rife46Folder();
    let onnx = converted.get(folder);
    if (!onnx) {
      onnx = rifeGraph(readRifeModelFolder(folder));
      converted.set(folder, onnx);
    }
    const device = options.device ?? (await chooseDevice()).device;
    return new RifeInterpolator(await (options.pool ?? sessionPool).sessionFor(onnx, device));
  }

  async between(first: RgbImage, second: RgbImage, t: number, signal?: AbortSignal): Promise<RgbImage> {
    const { width, height } = first;
    if (second.width !== width || second.height !== height) throw new RangeError(`Frames of ${width}×${height} and ${second.width}×${second.height} cannot be interpolated.`);
    if (!(t > 0 && t < 1)) throw new RangeError(`A time between two frames is inside (0, 1), not ${t}.`);
    signal?.throwIfAborted();
    const [paddedWidth, paddedHeight] = [alignUp(width), alignUp(height)];
    const feed = (image: RgbImage) => new ort.Tensor('uint8', padPixels(image, paddedWidth, paddedHeight), [1, paddedHeight, paddedWidth, 3]);
    const result = await this.session.run({ frame0: feed(first), frame1: feed(second), timestep: new ort.Tensor('float32', new Float32Array([t]), [1]) });
    return { width, height, pixels: cropPixels(result.frame!.data as Uint8Array, paddedWidth, width, height) };
  }
}

const alignUp = (n: number) => Math.ceil(n / RIFE_ALIGN) * RIFE_ALIGN;

/** The image at the top left of a black canvas (no copy when it already fits). */
function padPixels({ width, height, pixels }: RgbImage, toWidth: number, toHeight: number): Uint8Array {
  if (width === toWidth && height === toHeight) return pixels;
  const out = new Uint8Array(toWidth * toHeight * 3);
  for (let y = 0; y < height; y++) out.set(pixels.subarray(y * width * 3, (y + 1) * width * 3), y * toWidth * 3);
  return out;
}

function cropPixels(pixels: Uint8Array, fromWidth: number, width: number, height: number): Uint8Array {
  if (fromWidth === width && pixels.length === width * height * 3) return pixels;
  const out = new Uint8Array(width * height * 3);
  for (let y = 0; y < height; y++) out.set(pixels.subarray(y * fromWidth * 3, (y * fromWidth + width) * 3), y * width * 3);
  return out;
}
