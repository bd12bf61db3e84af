/**
 * out = a·(1 − m) + b·m per pixel, where m is the mask (gray8, 255 = take b)
 * softened by a separable Gaussian blur: `feather` is the blur radius in
 * pixels (σ = feather / 2, so the kernel spans ±2σ) and 0 keeps the mask
 * hard. The mask is padded by repeating its edge before blurring, so a mask
 * that touches the frame's edge stays full strength there.
 */
import { checkGrayFrames, checkRgbFrames, type GrayFrames, type RgbFrames } from '../frames.ts';
import { GraphBuilder, type Tensor } from '../onnx/graph-builder.ts';
import { frameChunkTensor, pixelSession, runInChunks, toFloat, toUint8, uint8Tensor } from './pixel-graph.ts';
import type { PixelOptions } from './pixel-options.ts';

export interface BlendMaskedOptions extends PixelOptions {
  /** Blur radius of the mask's edge in pixels; default 0 (hard edge). */
  feather?: number;
}

/** Normalised 1-D Gaussian taps for a blur of `radius` pixels (σ = radius / 2). */
export function featherKernel(radius: number): Float32Array {
  const reach = Math.ceil(radius);
  const sigma = radius / 2;
  const taps = Array.from({ length: 2 * reach + 1 }, (_, i) => Math.exp(-((i - reach) ** 2) / (2 * sigma * sigma)));
  const total = taps.reduce((a, b) => a + b, 0);
  return Float32Array.from(taps, (t) => t / total);
}

/** (M, H, W) gray8 → (M, H, W, 1) coverage in [0, 1], blurred when feather > 0. */
function coverage(g: GraphBuilder, mask: Tensor<'uint8'>, feather: number): Tensor<'float32'> {
  const m = g.unsqueeze(g.div(toFloat(g, mask), 255), [1]);
  if (feather <= 0) return g.transpose(m, [0, 2, 3, 1]);
  const taps = featherKernel(feather);
  const r = (taps.length - 1) / 2;
  const padded = g.pad(m, [0, 0, r, r, 0, 0, r, r], { mode: 'edge' });
  const across = g.conv(padded, g.initializer('float32', taps, [1, 1, 1, taps.length], 'feather_x'));
  const blurred = g.conv(across, g.initializer('float32', taps, [1, 1, taps.length, 1], 'feather_y'));
  return g.transpose(blurred, [0, 2, 3, 1]);
}

function buildBlendGraph(width: number, height: number, feather: number): Uint8Array {
  const g = new GraphBuilder('blend_masked');
  const a = toFloat(g, g.input('a', 'uint8', ['N', height, width, 3]));
  const b = toFloat(g, g.input('b', 'uint8', ['N', height, width, 3]));
  // M is N, or 1 for one mask over every frame (it broadcasts).
  const m = coverage(g, g.input('mask', 'uint8', ['M', height, width]), feather);
  g.output(toUint8(g, g.add(a, g.mul(g.sub(b, a), m))), 'out');
  return g.build();
}

export async function blendMasked(a: RgbFrames, b: RgbFrames, mask: GrayFrames, options: BlendMaskedOptions = {}): Promise<RgbFrames> {
  checkRgbFrames(a, 'blendMasked a');
  checkRgbFrames(b, 'blendMasked b');
  checkGrayFrames(mask, 'blendMasked mask');
  const { width, height, frameCount } = a;
  if (b.width !== width || b.height !== height || b.frameCount !== frameCount) {
    throw new RangeError(`blendMasked needs a and b of the same size: a is ${frameCount} × ${width}×${height}, b is ${b.frameCount} × ${b.width}×${b.height}.`);
  }
  if (mask.width !== width || mask.height !== height) {
    throw new RangeError(`blendMasked mask is ${mask.width}×${mask.height} but the frames are ${width}×${height}.`);
  }
  if (mask.frameCount !== 1 && mask.frameCount !== frameCount) {
    throw new RangeError(`blendMasked mask has ${mask.frameCount} frames for ${frameCount}; give one per frame, or one for all.`);
  }
  const feather = options.feather ?? 0;
  if (!Number.isFinite(feather) || feather < 0) throw new RangeError(`blendMasked feather is ${feather}; it must be 0 or more pixels.`);
  const session = await pixelSession(`blend:${width}x${height}:${feather}`, () => buildBlendGraph(width, height, feather), options);
  const frameBytes = width * height * 3;
  const out = await runInChunks({
    session,
    frameCount,
    outFrameBytes: frameBytes,
    // a, b, their difference, the product, the sum, rounding and clipping; the mask's blur passes
    floatsPerFrame: width * height * 28,
    options,
    feeds: (start, count) => ({
      a: frameChunkTensor(a.frames, [height, width, 3], start, count),
      b: frameChunkTensor(b.frames, [height, width, 3], start, count),
      mask:
        mask.frameCount === 1
          ? uint8Tensor(mask.data, [1, height, width])
          : frameChunkTensor(mask.data, [height, width], start, count),
    }),
  });
  return { width, height, frameCount, frames: out };
}
