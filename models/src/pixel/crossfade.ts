/**
 * Per-frame mix of two clips: out_i = a_i·(1 − t_i) + b_i·t_i, with t_i
 * clamped to [0, 1]. A transition is a crossfade whose weights ramp from 0
 * to 1 over its frames.
 */
import { checkRgbFrames, type RgbFrames } from '../frames.ts';
import { GraphBuilder } from '../onnx/graph-builder.ts';
import { floatTensor, frameChunkTensor, pixelSession, runInChunks, toFloat, toUint8 } from './pixel-graph.ts';
import type { PixelOptions } from './pixel-options.ts';

function buildCrossfadeGraph(width: number, height: number): Uint8Array {
  const g = new GraphBuilder('crossfade');
  const a = toFloat(g, g.input('a', 'uint8', ['N', height, width, 3]));
  const b = toFloat(g, g.input('b', 'uint8', ['N', height, width, 3]));
  const t = g.reshape(g.clip(g.input('weights', 'float32', ['N']), 0, 1), [-1, 1, 1, 1]);
  g.output(toUint8(g, g.add(a, g.mul(g.sub(b, a), t))), 'out');
  return g.build();
}

export async function crossfade(a: RgbFrames, b: RgbFrames, weights: ArrayLike<number>, options: PixelOptions = {}): Promise<RgbFrames> {
  checkRgbFrames(a, 'crossfade a');
  checkRgbFrames(b, 'crossfade b');
  const { width, height, frameCount } = a;
  if (b.width !== width || b.height !== height || b.frameCount !== frameCount) {
    throw new RangeError(`crossfade needs a and b of the same size: a is ${frameCount} × ${width}×${height}, b is ${b.frameCount} × ${b.width}×${b.height}.`);
  }
  if (weights.length !== frameCount) throw new RangeError(`crossfade got ${weights.length} weights for ${frameCount} frames; give one per frame.`);
  if (Array.from(weights).some((t) => !Number.isFinite(t))) throw new RangeError('crossfade weights must be finite numbers.');
  const session = await pixelSession(`crossfade:${width}x${height}`, () => buildCrossfadeGraph(width, height), options);
  const frameBytes = width * height * 3;
  const out = await runInChunks({
    session,
    frameCount,
    outFrameBytes: frameBytes,
    // a, b, their difference, the product, the sum, rounding and clipping
    floatsPerFrame: width * height * 24,
    options,
    feeds: (start, count) => ({
      a: frameChunkTensor(a.frames, [height, width, 3], start, count),
      b: frameChunkTensor(b.frames, [height, width, 3], start, count),
      weights: floatTensor(Array.from(weights).slice(start, start + count), [count]),
    }),
  });
  return { width, height, frameCount, frames: out };
}
