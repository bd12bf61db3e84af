/**
 * Rasterises one rectangle or ellipse per frame into a gray8 mask (255 =
 * inside). Coverage comes from the signed distance to the shape's edge: it
 * ramps from 255 to 0 across `feather` pixels centred on the edge (at least
 * one pixel, which antialiases a hard edge). The rectangle's distance is
 * exact (its feathered corners round off); the ellipse's is the first-order
 * estimate (value over gradient length), close to exact for the feathers
 * masks use.
 */
import type { GrayFrames } from '../frames.ts';
import { GraphBuilder, type Tensor } from '../onnx/graph-builder.ts';
import { floatTensor, pixelSession, runInChunks, toUint8 } from './pixel-graph.ts';
import type { PixelOptions } from './pixel-options.ts';

export type MaskShape = 'rectangle' | 'ellipse';

/** A shape's box in pixels: centre and full size. */
export interface MaskBox {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface ShapeMasksOptions extends PixelOptions {
  /** Width of the soft edge in pixels; default 0 (a one-pixel antialiased edge). */
  feather?: number;
  /** Cover everything but the shape. */
  invert?: boolean;
}

/** Pixel centres (x + ½, y + ½), row-major. */
function pixelCentres(width: number, height: number): Float32Array {
  const grid = new Float32Array(width * height * 2);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      grid[(y * width + x) * 2] = x + 0.5;
      grid[(y * width + x) * 2 + 1] = y + 0.5;
    }
  }
  return grid;
}

/** Signed distance (negative inside) from each pixel (HW, 2) to each frame's shape (N, 1, 4: x, y, half width, half height). */
function signedDistance(g: GraphBuilder, shape: MaskShape, pixels: Tensor<'float32'>, boxes: Tensor<'float32'>): Tensor<'float32'> {
  const centre = g.slice(boxes, [0], [2], [2]);
  const half = g.max(g.slice(boxes, [2], [4], [2]), 1e-3);
  const offset = g.sub(pixels, centre); // (N, HW, 2)
  const length = (v: Tensor<'float32'>) => g.sqrt(g.reduceSum(g.mul(v, v), [2]));
  if (shape === 'rectangle') {
    const outside = g.sub(g.abs(offset), half);
    const x = g.slice(outside, [0], [1], [2]);
    const y = g.slice(outside, [1], [2], [2]);
    return g.add(length(g.relu(outside)), g.min(g.max(x, y), 0));
  }
  const scaled = g.div(offset, half);
  const k = length(scaled);
  const gradient = g.div(length(g.div(scaled, half)), g.max(k, 1e-6));
  // Near the centre the gradient estimate vanishes; bounding it below keeps the centre deep inside.
  const longest = g.max(g.slice(half, [0], [1], [2]), g.slice(half, [1], [2], [2]));
  return g.div(g.sub(k, 1), g.max(gradient, g.div(g.constant('float32', 1), longest)));
}

function buildShapeMaskGraph(width: number, height: number, shape: MaskShape, feather: number, invert: boolean): Uint8Array {
  const g = new GraphBuilder('shape_masks');
  const boxes = g.unsqueeze(g.input('boxes', 'float32', ['N', 4]), [1]);
  const pixels = g.initializer('float32', pixelCentres(width, height), [width * height, 2], 'pixel_centres');
  const distance = signedDistance(g, shape, pixels, boxes);
  let coverage = g.clip(g.sub(g.constant('float32', 0.5), g.div(distance, Math.max(1, feather))), 0, 1);
  if (invert) coverage = g.sub(g.constant('float32', 1), coverage);
  g.output(toUint8(g, g.reshape(g.mul(coverage, 255), [-1, height, width])), 'out');
  return g.build();
}

export async function shapeMasks(width: number, height: number, shape: MaskShape, boxes: readonly MaskBox[], options: ShapeMasksOptions = {}): Promise<GrayFrames> {
  if (!Number.isInteger(width) || !Number.isInteger(height) || width < 1 || height < 1) {
    throw new RangeError(`shapeMasks needs a positive whole size, not ${width}×${height}.`);
  }
  if (boxes.some((b) => ![b.x, b.y, b.width, b.height].every(Number.isFinite) || b.width < 0 || b.height < 0)) {
    throw new RangeError('shapeMasks boxes need finite centres and sizes of 0 or more.');
  }
  const feather = options.feather ?? 0;
  if (!Number.isFinite(feather) || feather < 0) throw new RangeError(`shapeMasks feather is ${feather}; it must be 0 or more pixels.`);
  const invert = options.invert ?? false;
  const key = `shape-masks:${width}x${height}:${shape}:${feather}:${invert}`;
  const session = await pixelSession(key, () => buildShapeMaskGraph(width, height, shape, feather, invert), options);
  const data = await runInChunks({
    session,
    frameCount: boxes.length,
    outFrameBytes: width * height,
    // offsets, their squares and roots, the distance and coverage steps
    floatsPerFrame: width * height * 16,
    options,
    feeds: (start, count) => ({
      boxes: floatTensor(
        boxes.slice(start, start + count).flatMap((b) => [b.x, b.y, b.width / 2, b.height / 2]),
        [count, 4],
      ),
    }),
  });
  return { width, height, frameCount: boxes.length, data };
}
