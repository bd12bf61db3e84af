/**
 * Resizes frames to a new size with a bicubic filter (a = -0.5, as Pillow and
 * most image tools use), antialiased when shrinking: onnxruntime 1.30's
 * Resize implements `antialias` (opset 18+), which widens the filter by the
 * scale factor so downscaling averages instead of skipping pixels.
 *
 * fit: 'stretch' fills the box ignoring aspect; 'cover' scales to fill it and
 * crops the overflow, centred; 'contain' scales to fit inside and pads with
 * black, centred.
 */
import { checkRgbFrames, type RgbFrames } from '../frames.ts';
import { GraphBuilder } from '../onnx/graph-builder.ts';
import { frameChunkTensor, pixelSession, runInChunks, toFloat, toUint8 } from './pixel-graph.ts';
import type { PixelOptions } from './pixel-options.ts';

export type ResizeFit = 'cover' | 'contain' | 'stretch';

export interface ResizeFramesOptions extends PixelOptions {
  width: number;
  height: number;
  fit?: ResizeFit;
}

/** How a source becomes the output box: resampled to `scaled`, then cropped or padded to the box. */
export interface ResizePlan {
  scaledWidth: number;
  scaledHeight: number;
  /** Offset of the box inside the scaled frame (cover). */
  crop: { left: number; top: number };
  /** Black borders around the scaled frame (contain). */
  pad: { left: number; top: number; right: number; bottom: number };
}

export function planResize(srcWidth: number, srcHeight: number, width: number, height: number, fit: ResizeFit): ResizePlan {
  const none = { crop: { left: 0, top: 0 }, pad: { left: 0, top: 0, right: 0, bottom: 0 } };
  if (fit === 'stretch') return { scaledWidth: width, scaledHeight: height, ...none };
  if (fit === 'cover') {
    const s = Math.max(width / srcWidth, height / srcHeight);
    const scaledWidth = Math.max(width, Math.round(srcWidth * s));
    const scaledHeight = Math.max(height, Math.round(srcHeight * s));
    const crop = { left: Math.floor((scaledWidth - width) / 2), top: Math.floor((scaledHeight - height) / 2) };
    return { scaledWidth, scaledHeight, ...none, crop };
  }
  const s = Math.min(width / srcWidth, height / srcHeight);
  const scaledWidth = Math.min(width, Math.max(1, Math.round(srcWidth * s)));
  const scaledHeight = Math.min(height, Math.max(1, Math.round(srcHeight * s)));
  const left = Math.floor((width - scaledWidth) / 2);
  const top = Math.floor((height - scaledHeight) / 2);
  return { scaledWidth, scaledHeight, ...none, pad: { left, top, right: width - scaledWidth - left, bottom: height - scaledHeight - top } };
}

function buildResizeGraph(srcWidth: number, srcHeight: number, width: number, height: number, plan: ResizePlan): Uint8Array {
  const g = new GraphBuilder('resize_frames');
  const frames = g.input('frames', 'uint8', ['N', srcHeight, srcWidth, 3]);
  const image = g.transpose(toFloat(g, frames), [0, 3, 1, 2]);
  const shrinks = plan.scaledWidth < srcWidth || plan.scaledHeight < srcHeight;
  let scaled = g.resize(image, {
    sizes: [plan.scaledHeight, plan.scaledWidth],
    axes: [2, 3],
    mode: 'cubic',
    cubicCoeffA: -0.5,
    antialias: shrinks,
  });
  const { crop, pad } = plan;
  if (plan.scaledWidth > width || plan.scaledHeight > height) {
    scaled = g.slice(scaled, [crop.top, crop.left], [crop.top + height, crop.left + width], [2, 3]);
  }
  if (pad.left + pad.top + pad.right + pad.bottom > 0) {
    scaled = g.pad(scaled, [0, 0, pad.top, pad.left, 0, 0, pad.bottom, pad.right]);
  }
  g.output(toUint8(g, g.transpose(scaled, [0, 2, 3, 1])), 'out');
  return g.build();
}

export async function resizeFrames(frames: RgbFrames, options: ResizeFramesOptions): Promise<RgbFrames> {
  checkRgbFrames(frames, 'resizeFrames input');
  const { width, height, fit = 'stretch' } = options;
  if (!Number.isInteger(width) || !Number.isInteger(height) || width < 1 || height < 1) {
    throw new RangeError(`resizeFrames target is ${width}×${height}; width and height must be positive integers.`);
  }
  const { width: srcWidth, height: srcHeight, frameCount } = frames;
  const plan = planResize(srcWidth, srcHeight, width, height, fit);
  const key = `resize:${srcWidth}x${srcHeight}->${width}x${height}:${fit}`;
  const session = await pixelSession(key, () => buildResizeGraph(srcWidth, srcHeight, width, height, plan), options);
  const out = await runInChunks({
    session,
    frameCount,
    outFrameBytes: width * height * 3,
    // float copy and transpose of the source; resampled, cropped or padded, transposed, rounded and clipped output
    floatsPerFrame: 6 * srcWidth * srcHeight + 3 * (plan.scaledWidth * plan.scaledHeight + 4 * width * height),
    options,
    feeds: (start, count) => ({
      frames: frameChunkTensor(frames.frames, [srcHeight, srcWidth, 3], start, count),
    }),
  });
  return { width, height, frameCount, frames: out };
}
