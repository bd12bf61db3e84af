/**
 * ESRGAN-style networks on frames: a layers model converted once per network
 * (kept in memory for the process), run tile by tile so a large frame needs
 * a bounded amount of memory, with enough context around each tile (the
 * network's receptive radius) that the result has no seams. A network that
 * enlarges ×2 reaches ×4 and ×8 by running again on its own result.
 */
import * as ort from 'onnxruntime-node';
import type { RgbImage } from '../frames.ts';
import { ModelUnavailableError } from '../model-unavailable-error.ts';
import { chooseDevice } from '../runtime/device-choice.ts';
import type { Device } from '../runtime/device.ts';
import { sessionPool, type PooledSession, type SessionPool } from '../runtime/session-pool.ts';
import type { Upscaler } from '../upscaler.ts';
import { esrganGraph, type EsrganGraph } from './esrgan-graph.ts';
import { ESRGAN_SLIM_MODEL, PSNR_SMALL_MODEL } from './esrgan-manifest.ts';
import { esrganSlimFiles, type EsrganSlimScale } from './esrgan-slim-files.ts';
import { readLayersModel, readLayersModelFiles } from './layers-model.ts';
import { psnrSmallFiles } from './psnr-small-files.ts';
import { cropPixels, pastePixels, tilesFor } from './tiles.ts';

/** Input pixels per tile side: 128 at ×4 keeps ESRGAN slim's largest activation (48 channels at 512×512) near 50 MB. */
export const DEFAULT_TILE = 128;

type LayersFiles = () => { modelJson: unknown; shards: Uint8Array[] };

/** A built-in network: its files for a scale, the values it works in, and how many times it runs. */
interface BuiltInNetwork {
  label: string;
  scales: readonly number[];
  range: 255 | 1;
  /** Input pixels per tile side, unless the caller says. */
  tile: number;
  network(scale: number): { key: string; files: LayersFiles; passes: number };
}

const BUILT_IN: Record<string, BuiltInNetwork> = {
  [ESRGAN_SLIM_MODEL.id]: {
    label: 'ESRGAN slim',
    scales: ESRGAN_SLIM_MODEL.scales,
    range: 255,
    tile: DEFAULT_TILE,
    network: (scale) => ({ key: `slim:${scale}`, files: () => esrganSlimFiles(scale as EsrganSlimScale), passes: 1 }),
  },
  [PSNR_SMALL_MODEL.id]: {
    label: 'RDN psnr-small',
    scales: PSNR_SMALL_MODEL.scales,
    range: 1,
    // Its context is 38 pixels a side: 192-pixel tiles read (192 + 76)² (its 640-channel fusion there is about 180 MB, the process about 650 MB at peak), which wastes less on context than 128 would.
    tile: 192,
    network: (scale) => ({ key: 'psnr-small', files: psnrSmallFiles, passes: Math.log2(scale) }),
  },
};

/** Converted graphs by where their weights are, kept for the process: converting takes a moment, a session is keyed by the bytes. */
const converted = new Map<string, EsrganGraph>();

function convert(key: string, files: LayersFiles, range: 255 | 1): EsrganGraph {
  let graph = converted.get(`${key}:${range}`);
  if (!graph) {
    const { modelJson, shards } = files();
    graph = esrganGraph(readLayersModel(modelJson, shards), { io: 'pixels', range });
    converted.set(`${key}:${range}`, graph);
  }
  return graph;
}

export interface EsrganUpscalerOptions {
  /** An installed model's folder (model.json and shards); when absent, the built-in model `model`. */
  folder?: string;
  /** A built-in model's id (default ESRGAN slim's). */
  model?: string;
  device?: Device;
  pool?: SessionPool;
  /** Input pixels per tile side (default: the model's, else DEFAULT_TILE); smaller tiles use less memory and change nothing else. */
  tile?: number;
}

export class EsrganUpscaler implements Upscaler {
  private constructor(
    readonly scale: number,
    private readonly session: PooledSession,
    private readonly graph: EsrganGraph,
    private readonly passes: number,
    private readonly tile: number,
  ) {}

  static async open(scale: number, options: EsrganUpscalerOptions = {}): Promise<EsrganUpscaler> {
    const { folder } = options;
    let graph: EsrganGraph;
    let passes = 1;
    let tile = DEFAULT_TILE;
    if (folder) graph = convert(`folder:${folder}`, () => readLayersModelFiles(folder), 255);
    else {
      const builtIn = BUILT_IN[options.model ?? ESRGAN_SLIM_MODEL.id];
      if (!builtIn) throw new ModelUnavailableError(`"${options.model}" is not a built-in ESRGAN model.`);
      if (!builtIn.scales.includes(scale)) throw new RangeError(`${builtIn.label} upscales ×${builtIn.scales.join(', ×')}, not ×${scale}.`);
      const network = builtIn.network(scale);
      graph = convert(network.key, network.files, builtIn.range);
      passes = network.passes;
      tile = builtIn.tile;
    }
    if (graph.scale ** passes !== scale) throw new RangeError(`This model upscales ×${graph.scale} only, not ×${scale}.`);
    const device = options.device ?? (await chooseDevice()).device;
    const session = await (options.pool ?? sessionPool).sessionFor(graph.onnx, device);
    return new EsrganUpscaler(scale, session, graph, passes, options.tile ?? tile);
  }

  async upscale(image: RgbImage, signal?: AbortSignal): Promise<RgbImage> {
    let result = image;
    for (let pass = 0; pass < this.passes; pass++) result = await this.once(result, signal);
    return result;
  }

  /** One run of the network over the frame, tile by tile. */
  private async once(image: RgbImage, signal?: AbortSignal): Promise<RgbImage> {
    const { width, height, pixels } = image;
    const s = this.graph.scale;
    const out = new Uint8Array(width * s * height * s * 3);
    for (const tile of tilesFor(width, height, this.tile, this.graph.radius)) {
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
