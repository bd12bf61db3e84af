/**
 * Keeps a camera-driven diffusion video from drifting in colour: each frame's
 * CIELAB channels are shifted and scaled to the mean and spread of frame 0's
 * (Deforum's "match frame 0 LAB", done with moments instead of histograms,
 * which is cheaper and smooth from frame to frame).
 */
import type { RgbImage } from '../frames.ts';

export interface LabMoments {
  mean: [number, number, number];
  spread: [number, number, number];
}

export function labMoments(image: RgbImage): LabMoments {
  return momentsOf(toLab(image.pixels));
}

function momentsOf(lab: Float64Array): LabMoments {
  const count = lab.length / 3;
  const mean: [number, number, number] = [0, 0, 0];
  const spread: [number, number, number] = [0, 0, 0];
  for (let i = 0; i < lab.length; i++) mean[i % 3]! += lab[i]! / count;
  for (let i = 0; i < lab.length; i++) spread[i % 3]! += (lab[i]! - mean[i % 3]!) ** 2 / count;
  return { mean, spread: spread.map(Math.sqrt) as [number, number, number] };
}

/** `image` with its LAB moments moved to `target`'s. */
export function matchColours(image: RgbImage, target: LabMoments): RgbImage {
  const lab = toLab(image.pixels);
  // The frame's own moments from the same conversion: converting it twice would double the work per frame.
  const own = momentsOf(lab);
  for (let i = 0; i < lab.length; i++) {
    const c = i % 3;
    // A flat channel keeps its offset only: scaling nothing by a large ratio would amplify noise.
    const scale = own.spread[c]! > 1e-3 ? target.spread[c]! / own.spread[c]! : 1;
    lab[i] = (lab[i]! - own.mean[c]!) * scale + target.mean[c]!;
  }
  return { width: image.width, height: image.height, pixels: fromLab(lab) };
}

const WHITE = [0.95047, 1, 1.08883] as const;

function toLinear(channel: number): number {
  const v = channel / 255;
  return v <= 0.04045 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
}

function toSrgb(linear: number): number {
  const v = linear <= 0.0031308 ? linear * 12.92 : 1.055 * linear ** (1 / 2.4) - 0.055;
  return Math.round(Math.min(1, Math.max(0, v)) * 255);
}

const f = (t: number) => (t > 216 / 24389 ? Math.cbrt(t) : (24389 / 27 * t + 16) / 116);
const fInverse = (t: number) => (t ** 3 > 216 / 24389 ? t ** 3 : (116 * t - 16) / (24389 / 27));

function toLab(pixels: Uint8Array): Float64Array {
  const lab = new Float64Array(pixels.length);
  for (let i = 0; i < pixels.length; i += 3) {
    const [r, g, b] = [toLinear(pixels[i]!), toLinear(pixels[i + 1]!), toLinear(pixels[i + 2]!)];
    const x = f((0.4124564 * r + 0.3575761 * g + 0.1804375 * b) / WHITE[0]);
    const y = f(0.2126729 * r + 0.7151522 * g + 0.072175 * b);
    const z = f((0.0193339 * r + 0.119192 * g + 0.9503041 * b) / WHITE[2]);
    lab[i] = 116 * y - 16;
    lab[i + 1] = 500 * (x - y);
    lab[i + 2] = 200 * (y - z);
  }
  return lab;
}

function fromLab(lab: Float64Array): Uint8Array {
  const pixels = new Uint8Array(lab.length);
  for (let i = 0; i < lab.length; i += 3) {
    const fy = (lab[i]! + 16) / 116;
    const x = fInverse(fy + lab[i + 1]! / 500) * WHITE[0];
    const y = fInverse(fy);
    const z = fInverse(fy - lab[i + 2]! / 200) * WHITE[2];
    pixels[i] = toSrgb(3.2404542 * x - 1.5371385 * y - 0.4985314 * z);
    pixels[i + 1] = toSrgb(-0.969266 * x + 1.8760108 * y + 0.041556 * z);
    pixels[i + 2] = toSrgb(0.0556434 * x - 0.2040259 * y + 1.0572252 * z);
  }
  return pixels;
}
