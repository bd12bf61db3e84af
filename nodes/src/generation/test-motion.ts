/**
 * Measuring generated frames for the tests: luminance, correlation, and the
 * motion between two frames estimated by block matching (the normalised
 * cross-correlation of one frame against the other shifted or scaled, over a
 * search range). Only the frames are read, never the generator's internals.
 */

/** Rec. 709 luma of each pixel of an RGB24 frame. */
export function luma(frame: Uint8Array): Float32Array {
  const out = new Float32Array(frame.length / 3);
  for (let i = 0; i < out.length; i++) out[i] = 0.2126 * frame[3 * i]! + 0.7152 * frame[3 * i + 1]! + 0.0722 * frame[3 * i + 2]!;
  return out;
}

export function meanAbsoluteDifference(a: Uint8Array, b: Uint8Array): number {
  if (a.length !== b.length) throw new RangeError('frames differ in size');
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += Math.abs(a[i]! - b[i]!);
  return sum / a.length;
}

/** Pearson correlation of two equally long sample lists. */
export function correlation(a: ArrayLike<number>, b: ArrayLike<number>): number {
  const n = a.length;
  let ma = 0;
  let mb = 0;
  for (let i = 0; i < n; i++) {
    ma += a[i]!;
    mb += b[i]!;
  }
  ma /= n;
  mb /= n;
  let ab = 0;
  let aa = 0;
  let bb = 0;
  for (let i = 0; i < n; i++) {
    const x = a[i]! - ma;
    const y = b[i]! - mb;
    ab += x * y;
    aa += x * x;
    bb += y * y;
  }
  return ab / Math.sqrt(aa * bb);
}

/** Bilinear sample of a luma image, clamped at the border. */
function sample(image: Float32Array, width: number, height: number, x: number, y: number): number {
  const cx = Math.min(width - 1, Math.max(0, x));
  const cy = Math.min(height - 1, Math.max(0, y));
  const x0 = Math.floor(cx);
  const y0 = Math.floor(cy);
  const x1 = Math.min(width - 1, x0 + 1);
  const y1 = Math.min(height - 1, y0 + 1);
  const fx = cx - x0;
  const fy = cy - y0;
  const top = image[y0 * width + x0]! * (1 - fx) + image[y0 * width + x1]! * fx;
  const bottom = image[y1 * width + x0]! * (1 - fx) + image[y1 * width + x1]! * fx;
  return top * (1 - fy) + bottom * fy;
}

/** How well `b` matches `a` seen through `map` (b's pixel → a's position), over b's central region. */
function matchScore(a: Float32Array, b: Float32Array, width: number, height: number, margin: number, map: (x: number, y: number) => [number, number]): number {
  const xs: number[] = [];
  const ys: number[] = [];
  for (let y = margin; y < height - margin; y++) {
    for (let x = margin; x < width - margin; x++) {
      const [sx, sy] = map(x, y);
      xs.push(sample(a, width, height, sx, sy));
      ys.push(b[y * width + x]!);
    }
  }
  return correlation(xs, ys);
}

/**
 * How far the picture moved from frame `a` to frame `b`, in pixels (positive
 * x: to the right, positive y: down), to a quarter pixel within ±maxShift.
 */
export function estimateShift(a: Uint8Array, b: Uint8Array, width: number, height: number, maxShift: number): { dx: number; dy: number; score: number } {
  const la = luma(a);
  const lb = luma(b);
  const margin = Math.ceil(maxShift);
  let best = { dx: 0, dy: 0, score: -Infinity };
  const search = (centre: { dx: number; dy: number }, reach: number, step: number) => {
    for (let dy = centre.dy - reach; dy <= centre.dy + reach + 1e-9; dy += step) {
      for (let dx = centre.dx - reach; dx <= centre.dx + reach + 1e-9; dx += step) {
        const score = matchScore(la, lb, width, height, margin, (x, y) => [x - dx, y - dy]);
        if (score > best.score) best = { dx, dy, score };
      }
    }
  };
  search({ dx: 0, dy: 0 }, maxShift, 1);
  search({ dx: best.dx, dy: best.dy }, 1, 0.25);
  return best;
}

/** How much larger the picture looks in `b` than in `a` about the frame's centre (1.1: 10% magnified), searched over [min, max]. */
export function estimateZoom(a: Uint8Array, b: Uint8Array, width: number, height: number, min = 0.8, max = 1.6): { zoom: number; score: number } {
  const la = luma(a);
  const lb = luma(b);
  const cx = (width - 1) / 2;
  const cy = (height - 1) / 2;
  const margin = Math.round(Math.min(width, height) * 0.15);
  let best = { zoom: 1, score: -Infinity };
  const search = (from: number, to: number, step: number) => {
    for (let zoom = from; zoom <= to + 1e-9; zoom += step) {
      const score = matchScore(la, lb, width, height, margin, (x, y) => [cx + (x - cx) / zoom, cy + (y - cy) / zoom]);
      if (score > best.score) best = { zoom, score };
    }
  };
  search(min, max, 0.02);
  search(best.zoom - 0.02, best.zoom + 0.02, 0.002);
  return best;
}
