/**
 * ESRGAN-slim on frames: the shipped layers model converted once per scale
 * (kept in memory for the process), run tile by tile so a large frame needs
 * a bounded amount of memory, with enough context around each tile that the
 * result has no seams.
 */
import * as ort from 'onnxruntime-node';
import type { RgbImage } from '../frames.ts';
import { chooseDevice } from '../runtime/device-choice.ts';
import type { Device } from '../runtime/device.ts';
import { sessionPool, type PooledSession, type SessionPool } from '../runtime/session-pool.ts';
import type { Upscaler } from '../upscaler.ts';
import { esrganGraph } from './esrgan-graph.ts';
import { esrganSlimFiles, ESRGAN_SLIM_SCALES, type EsrganSlimScale } from './esrgan-slim-files.ts';
import { readLayersModel, readLayersModelFiles } from './layers-model.ts';
import { cropPixels, pastePixels, tilesFor } from './tiles.ts';

/**
 * Input pixels each output pixel depends on, on each side: the radii of the
 * network's convolutions at input resolution (1+1+1+1+1+2+1+1 for 3×3, 5×5
 * kernels; 1×1 ones add none) and one more for the 3×3 after upsampling.
 */
export const ESRGAN_SLIM_RECEPTIVE_RADIUS = 11;

/** Input pixels per tile side: 128 at ×4 keeps a tile's largest activation (48 channels at 512×512) near 50 MB. */
export const DEFAULT_TILE = 128;

/** Converted graphs by where their weights are, kept for the process: converting takes a moment, a session is keyed by the bytes. */
const converted = new Map<string, { onnx: Uint8Array; scale: number }>();

function convert(key: string, files: () => { modelJson: unknown; shards: Uint8Array[] }): { onnx: Uint8Array; scale: number } {
  let graph = converted.get(key);
  if (!graph) {
    const { modelJson, shards } = files();
    graph = esrganGraph(readLayersModel(modelJson, shards), { io: 'pixels' });
    converted.set(key, graph);
  }
  return graph;
}

export interface EsrganUpscalerOptions {
  /** An installed model's folder (model.json and shards); the shipped ESRGAN slim when absent. */
  folder?: string;
  device?: Device;
  pool?: SessionPool;
  /** Input pixels per tile side (default DEFAULT_TILE); smaller tiles use less memory and change nothing else. */
  tile?: number;
}

export class EsrganUpscaler implements Upscaler {
  private constructor(
    readonly scale: number,
    private readonly session: PooledSession,
    private readonly tile: number,
  ) {}

  static async open(scale: number, options: EsrganUpscalerOptions = {}): Promise<EsrganUpscaler> {
    const { folder } = options;
    if (!folder && !ESRGAN_SLIM_SCALES.includes(scale as EsrganSlimScale)) throw new RangeError(`ESRGAN slim upscales ×${ESRGAN_SLIM_SCALES.join(', ×')}, not ×${scale}.`);
    const graph = folder ? convert(`folder:${folder}`, () => readLayersModelFiles(folder)) : convert(`slim:${scale}`, () => esrganSlimFiles(scale as EsrganSlimScale));
    if (graph.scale !== scale) throw new RangeError(`This model upscales ×${graph.scale} only, not ×${scale}.`);
    const device = options.device ?? (await chooseDevice()).device;
    const session = await (options.pool ?? sessionPool).sessionFor(graph.onnx, device);
    return new EsrganUpscaler(scale, session, options.tile ?? DEFAULT_TILE);
  }

  async upscale(image: RgbImage, signal?: AbortSignal): Promise<RgbImage> {
    const { width, height, pixels } = image;
    const s = this.scale;
    const out = new Uint8Array(width * s * height * s * 3);
    for (const tile of tilesFor(width, height, this.tile, ESRGAN_SLIM_RECEPTIVE_RADIUS)) {
      signal?.throwIfAborted();
      const input = cropPixels(pixels, width, 3, tile.readX, tile.readY, tile.readWidth, tile.readHeight);
      const result = await this.session.run({ pixels: new ort.Tensor('uint8', input, [1, tile.readHeight, tile.readWidth, 3]) });
      pastePixels(out, width * s, 3, result.out!.data as Uint8Array, tile.readWidth * s, {
        sx: (tile.x - tile.readX) * s,
        sy: (tile.y - tile.readY) * s,
        x: tile.x * s,
        y: tile.y * s,
        width: tile.width * s,
        height: tile.height * s,
      });
    }
    return { width: width * s, height: height * s, pixels: out };
  }
}
