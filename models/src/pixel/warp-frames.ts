/**
 * Per-frame 2-D affine warp. A matrix [a, b, c, d, e, f] maps OUTPUT
 * normalised coordinates (u, v in [-1, 1], v down, pixel centres at
 * align_corners = false positions) to SOURCE coordinates:
 *   srcU = a·u + b·v + c,   srcV = d·u + e·v + f
 * so [1, 0, 0, 0, 1, 0] is the identity, c = 0.5 shows content a quarter
 * width further right (it moves left), and a = e = 0.5 zooms 2× into the
 * centre. The sampling grid is computed in the graph from a base grid and the
 * matrices, and sampled bilinearly with GridSample.
 */
import { checkRgbFrames, type RgbFrames } from '../frames.ts';
import { GraphBuilder } from '../onnx/graph-builder.ts';
import { floatTensor, frameChunkTensor, pixelSession, runInChunks, toFloat, toUint8 } from './pixel-graph.ts';
import type { PixelOptions } from './pixel-options.ts';

export type AffineMatrix = readonly [number, number, number, number, number, number];
export type WarpBorder = 'zeros' | 'border' | 'reflection';

export interface WarpFramesOptions extends PixelOptions {
  /** What is sampled outside the source: black, the edge pixels repeated, or the image mirrored. Default zeros. */
  border?: WarpBorder;
}

export const IDENTITY_MATRIX: AffineMatrix = [1, 0, 0, 0, 1, 0];

/** (u, v, 1) at every output pixel centre, row-major: the grid an identity matrix maps to itself. */
export function baseGrid(width: number, height: number): Float32Array {
  const grid = new Float32Array(width * height * 3);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = (y * width + x) * 3;
      grid[i] = (2 * x + 1) / width - 1;
      grid[i + 1] = (2 * y + 1) / height - 1;
      grid[i + 2] = 1;
    }
  }
  return grid;
}

function buildWarpGraph(width: number, height: number, border: WarpBorder): Uint8Array {
  const g = new GraphBuilder('warp_frames');
  const frames = g.input('frames', 'uint8', ['N', height, width, 3]);
  const matrices = g.input('matrices', 'float32', ['N', 2, 3]);
  const base = g.initializer('float32', baseGrid(width, height), [width * height, 3], 'base_grid');
  // (HW, 3) · (N, 3, 2) → (N, HW, 2): every pixel's (srcU, srcV) for every frame.
  const grid = g.reshape(g.matMul(base, g.transpose(matrices, [0, 2, 1])), [-1, height, width, 2]);
  const image = g.transpose(toFloat(g, frames), [0, 3, 1, 2]);
  const warped = g.gridSample(image, grid, { mode: 'linear', paddingMode: border, alignCorners: false });
  g.output(toUint8(g, g.transpose(warped, [0, 2, 3, 1])), 'out');
  return g.build();
}

/**
 * Warps each frame by its matrix (or every frame by a single matrix).
 * Output has the input's size.
 */
export async function warpFrames(frames: RgbFrames, matrices: readonly AffineMatrix[], options: WarpFramesOptions = {}): Promise<RgbFrames> {
  checkRgbFrames(frames, 'warpFrames input');
  const { width, height, frameCount } = frames;
  if (matrices.length !== 1 && matrices.length !== frameCount) {
    throw new RangeError(`warpFrames got ${matrices.length} matrices for ${frameCount} frames; give one per frame, or one for all.`);
  }
  if (matrices.some((m) => m.length !== 6 || m.some((v) => !Number.isFinite(v)))) {
    throw new RangeError('warpFrames matrices must be six finite numbers [a, b, c, d, e, f] each.');
  }
  const border = options.border ?? 'zeros';
  const session = await pixelSession(`warp:${width}x${height}:${border}`, () => buildWarpGraph(width, height, border), options);
  const frameBytes = width * height * 3;
  const matrixAt = (i: number) => matrices[matrices.length === 1 ? 0 : i]!;
  const out = await runInChunks({
    session,
    frameCount,
    outFrameBytes: frameBytes,
    // float image, its transpose, the grid twice, the sample, its transpose, rounding and clipping
    floatsPerFrame: width * height * 22,
    options,
    feeds: (start, count) => ({
      frames: frameChunkTensor(frames.frames, [height, width, 3], start, count),
      matrices: floatTensor(Array.from({ length: count }, (_, i) => matrixAt(start + i)).flat(), [count, 2, 3]),
    }),
  });
  return { width, height, frameCount, frames: out };
}
