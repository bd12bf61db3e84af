import { describe, expect, it } from 'vitest';
import { GraphBuilder } from './graph-builder.ts';
import { at, expectClose, floatTensor, randomFloats, runSingle, sizeOfShape, tabulate } from './test-support.ts';

type Padding = 'zeros' | 'border' | 'reflection';

/** Reflects a continuous pixel coordinate into [-0.5, size - 0.5], the range align_corners=0 samples. */
function reflect(x: number, size: number): number {
  const span = size;
  const d = Math.abs(x + 0.5);
  const flips = Math.floor(d / span);
  const extra = d - flips * span;
  return flips % 2 === 0 ? -0.5 + extra : size - 0.5 - extra;
}

/** Bilinear GridSample of one channel plane, align_corners=0, written from the ONNX definition. */
function gridSampleRef(plane: (y: number, x: number) => number, h: number, w: number, u: number, v: number, padding: Padding): number {
  let x = ((u + 1) * w - 1) / 2;
  let y = ((v + 1) * h - 1) / 2;
  if (padding === 'reflection') {
    x = reflect(x, w);
    y = reflect(y, h);
  }
  const x0 = Math.floor(x);
  const y0 = Math.floor(y);
  const fetch = (yy: number, xx: number): number => {
    if (padding === 'zeros') return yy < 0 || yy >= h || xx < 0 || xx >= w ? 0 : plane(yy, xx);
    return plane(Math.min(h - 1, Math.max(0, yy)), Math.min(w - 1, Math.max(0, xx)));
  };
  const fx = x - x0;
  const fy = y - y0;
  return (
    fetch(y0, x0) * (1 - fx) * (1 - fy) + fetch(y0, x0 + 1) * fx * (1 - fy) + fetch(y0 + 1, x0) * (1 - fx) * fy + fetch(y0 + 1, x0 + 1) * fx * fy
  );
}

describe('GridSample', () => {
  const X_SHAPE = [2, 2, 4, 5];
  const GRID_SHAPE = [2, 3, 6, 2];
  const x = randomFloats(sizeOfShape(X_SHAPE), 41);
  // Beyond [-1, 1] so every padding mode matters.
  const grid = randomFloats(sizeOfShape(GRID_SHAPE), 42, -1.6, 1.6);

  for (const padding of ['zeros', 'border', 'reflection'] as const) {
    it(`samples bilinearly with ${padding} padding`, async () => {
      const g = new GraphBuilder();
      const out = g.gridSample(g.input('x', 'float32', X_SHAPE), g.input('grid', 'float32', GRID_SHAPE), { paddingMode: padding });
      const { data, dims } = await runSingle(g, out, { x: floatTensor(x, X_SHAPE), grid: floatTensor(grid, GRID_SHAPE) });
      expect(dims).toEqual([2, 2, 3, 6]);
      const expected = tabulate([2, 2, 3, 6], ([n, c, i, j]) => {
        const u = at(grid, GRID_SHAPE, [n!, i!, j!, 0]);
        const v = at(grid, GRID_SHAPE, [n!, i!, j!, 1]);
        return gridSampleRef((yy, xx) => at(x, X_SHAPE, [n!, c!, yy, xx]), 4, 5, u, v, padding);
      });
      expectClose(data, expected);
    });
  }
});

/**
 * 1-D resampling weights of output index `o` (half_pixel); antialiasing a
 * downscale stretches the kernel by 1/scale and normalises its taps.
 */
function resampleWeights(o: number, inSize: number, outSize: number, kernel: (d: number) => number, support: number, antialias: boolean): Map<number, number> {
  const scale = outSize / inSize;
  const stretch = antialias && scale < 1 ? scale : 1;
  const centre = (o + 0.5) / scale - 0.5;
  const weights = new Map<number, number>();
  const reach = Math.ceil(support / stretch) + 1;
  for (let i = Math.floor(centre) - reach; i <= Math.floor(centre) + reach; i++) {
    const w = kernel((i - centre) * stretch);
    if (w === 0) continue;
    // Taps beyond the edge replicate it (exclude_outside = 0).
    const clamped = Math.min(inSize - 1, Math.max(0, i));
    weights.set(clamped, (weights.get(clamped) ?? 0) + w);
  }
  if (antialias) {
    const total = [...weights.values()].reduce((a, b) => a + b, 0);
    for (const [k, w] of weights) weights.set(k, w / total);
  }
  return weights;
}

const triangle = (d: number) => Math.max(0, 1 - Math.abs(d));
/** Keys' cubic with a = -0.75, ONNX's default cubic_coeff_a. */
function keysCubic(d: number, a = -0.75): number {
  const t = Math.abs(d);
  if (t <= 1) return (a + 2) * t ** 3 - (a + 3) * t ** 2 + 1;
  if (t < 2) return a * t ** 3 - 5 * a * t ** 2 + 8 * a * t - 4 * a;
  return 0;
}

function resizeRef(x: Float32Array, h: number, w: number, oh: number, ow: number, kernel: (d: number) => number, support: number, antialias: boolean): number[] {
  return tabulate([oh, ow], ([i, j]) => {
    let s = 0;
    for (const [yy, wy] of resampleWeights(i!, h, oh, kernel, support, antialias)) {
      for (const [xx, wx] of resampleWeights(j!, w, ow, kernel, support, antialias)) s += wy * wx * x[yy * w + xx]!;
    }
    return s;
  });
}

describe('Resize', () => {
  const cases = [
    { name: 'linear upscale', h: 3, w: 4, oh: 7, ow: 9, mode: 'linear', antialias: false },
    { name: 'cubic upscale', h: 3, w: 4, oh: 7, ow: 9, mode: 'cubic', antialias: false },
    { name: 'linear antialiased downscale', h: 9, w: 11, oh: 4, ow: 3, mode: 'linear', antialias: true },
    { name: 'cubic antialiased downscale', h: 9, w: 11, oh: 4, ow: 3, mode: 'cubic', antialias: true },
  ] as const;
  for (const c of cases) {
    it(`${c.name} matches a separable reference`, async () => {
      const x = randomFloats(c.h * c.w, 51);
      const g = new GraphBuilder();
      const out = g.resize(g.input('x', 'float32', [1, 1, c.h, c.w]), { sizes: [c.oh, c.ow], axes: [2, 3], mode: c.mode, antialias: c.antialias });
      const { data, dims } = await runSingle(g, out, { x: floatTensor(x, [1, 1, c.h, c.w]) });
      expect(dims).toEqual([1, 1, c.oh, c.ow]);
      const [kernel, support] = c.mode === 'linear' ? [triangle, 1] : [keysCubic, 2];
      expectClose(data, resizeRef(x, c.h, c.w, c.oh, c.ow, kernel, support, c.antialias));
    });
  }

  it('takes scales instead of sizes', async () => {
    const g = new GraphBuilder();
    const out = g.resize(g.input('x', 'float32', [1, 1, 2, 2]), { scales: [1, 1, 2, 2], mode: 'nearest' });
    expect(out.shape).toEqual([1, 1, 4, 4]);
    const { data } = await runSingle(g, out, { x: floatTensor([1, 2, 3, 4], [1, 1, 2, 2]) });
    expect(data).toEqual([1, 1, 2, 2, 1, 1, 2, 2, 3, 3, 4, 4, 3, 3, 4, 4]);
  });

  it('crops and resizes a region given at run time (tf_crop_and_resize)', async () => {
    const g = new GraphBuilder();
    const roi = g.input('roi', 'float32', [8]);
    const out = g.resize(g.input('x', 'float32', [1, 1, 2, 5]), {
      sizes: [1, 1, 2, 3],
      mode: 'linear',
      roi,
      coordinateTransformationMode: 'tf_crop_and_resize',
      extrapolationValue: -1,
    });
    const x = floatTensor([0, 10, 20, 30, 40, 100, 110, 120, 130, 140], [1, 1, 2, 5]);
    // Columns 2..4 of the right half (x = 0.5 to 1 of the last pixel); rows 0..1.
    const right = await runSingle(g, out, { x, roi: floatTensor([0, 0, 0, 0.5, 1, 1, 1, 1], [8]) });
    expect(right.data).toEqual([20, 30, 40, 120, 130, 140]);
  });

  it('fills samples outside the input with the extrapolation value', async () => {
    const cropTo = async (width: number, region: number[]) => {
      const g = new GraphBuilder();
      const roi = g.input('roi', 'float32', [8]);
      const out = g.resize(g.input('x', 'float32', [1, 1, 1, 3]), {
        sizes: [1, 1, 1, width],
        mode: 'linear',
        roi,
        coordinateTransformationMode: 'tf_crop_and_resize',
        extrapolationValue: -1,
      });
      return (await runSingle(g, out, { x: floatTensor([5, 6, 7], [1, 1, 1, 3]), roi: floatTensor(region, [8]) })).data;
    };
    // x from 0.5 to 1.5 of the last pixel: pixel 1, then beyond the input.
    expect(await cropTo(2, [0, 0, 0, 0.5, 1, 1, 1, 1.5])).toEqual([6, -1]);
    // onnxruntime 1.30 copies an input of the output's exact size and ignores the region (why crops get a border).
    expect(await cropTo(3, [0, 0, 0, 0.5, 1, 1, 1, 1.5])).toEqual([5, 6, 7]);
  });
});

describe('Conv', () => {
  it('convolves with padding, stride and bias', async () => {
    const X = [1, 2, 5, 6];
    const W = [3, 2, 3, 3];
    const x = randomFloats(sizeOfShape(X), 61);
    const w = randomFloats(sizeOfShape(W), 62);
    const b = randomFloats(3, 63);
    const pads = [1, 0, 1, 2];
    const g = new GraphBuilder();
    const out = g.conv(g.input('x', 'float32', X), g.initializer('float32', w, W), g.initializer('float32', b, [3]), { pads, strides: [2, 1] });
    const { data, dims } = await runSingle(g, out, { x: floatTensor(x, X) });
    const oh = Math.floor((5 + 2 - 3) / 2) + 1;
    const ow = 6 + 2 - 3 + 1;
    expect(dims).toEqual([1, 3, oh, ow]);
    const expected = tabulate([1, 3, oh, ow], ([, m, i, j]) => {
      let s = b[m!]!;
      for (let c = 0; c < 2; c++)
        for (let ky = 0; ky < 3; ky++)
          for (let kx = 0; kx < 3; kx++) {
            const yy = i! * 2 + ky - pads[0]!;
            const xx = j! + kx - pads[1]!;
            if (yy >= 0 && yy < 5 && xx >= 0 && xx < 6) s += at(x, X, [0, c, yy, xx]) * at(w, W, [m!, c, ky, kx]);
          }
      return s;
    });
    expectClose(data, expected);
  });

  it('convolves channels separately with group = channels', async () => {
    const x = randomFloats(2 * 4 * 4, 64);
    const g = new GraphBuilder();
    const kernel = g.initializer('float32', Float32Array.from([1, 0, 0, 0, 2, 0]), [2, 1, 1, 3]);
    const out = g.conv(g.input('x', 'float32', [1, 2, 4, 4]), kernel, undefined, { pads: [0, 1, 0, 1], group: 2 });
    const { data } = await runSingle(g, out, { x: floatTensor(x, [1, 2, 4, 4]) });
    // channel 0 picks the left neighbour (zero at the edge), channel 1 doubles the centre
    expectClose(data, tabulate([1, 2, 4, 4], ([, c, i, j]) => (c === 0 ? (j! > 0 ? at(x, [1, 2, 4, 4], [0, 0, i!, j! - 1]) : 0) : 2 * at(x, [1, 2, 4, 4], [0, 1, i!, j!]))));
  });
});

describe('Pad', () => {
  const X = [2, 3];
  const x = [1, 2, 3, 4, 5, 6];
  const pads = [1, 2, 0, 1];
  const OUT = [3, 6];
  const source = (i: number, j: number, map: (k: number, n: number) => number | undefined): number | undefined => {
    const r = map(i - pads[0]!, 2);
    const c = map(j - pads[1]!, 3);
    return r === undefined || c === undefined ? undefined : x[r * 3 + c];
  };
  const modes = {
    constant: (k: number, n: number) => (k >= 0 && k < n ? k : undefined),
    edge: (k: number, n: number) => Math.min(n - 1, Math.max(0, k)),
    reflect: (k: number, n: number) => (k < 0 ? -k : k >= n ? 2 * (n - 1) - k : k),
  };
  for (const [mode, map] of Object.entries(modes)) {
    it(`pads in ${mode} mode`, async () => {
      const g = new GraphBuilder();
      const out = g.pad(g.input('x', 'float32', X), pads, { mode: mode as keyof typeof modes, value: 9 });
      const { data, dims } = await runSingle(g, out, { x: floatTensor(x, X) });
      expect(dims).toEqual(OUT);
      expect(data).toEqual(tabulate(OUT, ([i, j]) => source(i!, j!, map) ?? 9));
    });
  }
});

describe('ConvTranspose', () => {
  // RIFE's decoder shape: kernel 4, stride 2, pad 1 doubles each side.
  const X_SHAPE = [1, 3, 4, 5];
  const W_SHAPE = [3, 2, 4, 4];
  const x = randomFloats(sizeOfShape(X_SHAPE), 51);
  const w = randomFloats(sizeOfShape(W_SHAPE), 52);
  const bias = randomFloats(2, 53);

  it('scatters every input pixel through the kernel, stride 2, pad 1', async () => {
    const g = new GraphBuilder();
    const out = g.convTranspose(g.input('x', 'float32', X_SHAPE), g.initializer('float32', w, W_SHAPE), g.initializer('float32', bias, [2]), {
      strides: [2, 2],
      pads: [1, 1, 1, 1],
    });
    expect(out.shape).toEqual([1, 2, 8, 10]);
    const { data, dims } = await runSingle(g, out, { x: floatTensor(x, X_SHAPE) });
    expect(dims).toEqual([1, 2, 8, 10]);
    const expected = new Float32Array(2 * 8 * 10);
    for (let o = 0; o < 2; o++) expected.fill(bias[o]!, o * 80, (o + 1) * 80);
    for (let c = 0; c < 3; c++)
      for (let i = 0; i < 4; i++)
        for (let j = 0; j < 5; j++)
          for (let o = 0; o < 2; o++)
            for (let ky = 0; ky < 4; ky++)
              for (let kx = 0; kx < 4; kx++) {
                const [y, xx] = [i * 2 + ky - 1, j * 2 + kx - 1];
                if (y < 0 || y >= 8 || xx < 0 || xx >= 10) continue;
                expected[(o * 8 + y) * 10 + xx]! += at(x, X_SHAPE, [0, c, i, j]) * at(w, W_SHAPE, [c, o, ky, kx]);
              }
    expectClose(data, Array.from(expected));
  });
});

describe('DepthToSpace', () => {
  it('in CRD mode takes channel c·r² + dy·r + dx to (c, y·r + dy, x·r + dx), as pixel_shuffle does', async () => {
    const X_SHAPE = [1, 8, 2, 3];
    const x = Float32Array.from({ length: sizeOfShape(X_SHAPE) }, (_, i) => i);
    const g = new GraphBuilder();
    const out = g.depthToSpace(g.input('x', 'float32', X_SHAPE), 2, 'CRD');
    expect(out.shape).toEqual([1, 2, 4, 6]);
    const { data } = await runSingle(g, out, { x: floatTensor(x, X_SHAPE) });
    const expected = tabulate([1, 2, 4, 6], ([, c, y, xx]) => at(x, X_SHAPE, [0, c! * 4 + (y! % 2) * 2 + (xx! % 2), y! >> 1, xx! >> 1]));
    expectClose(data, expected);
  });
});

describe('LeakyRelu and Range', () => {
  it('scales negatives by alpha and counts from start to limit', async () => {
    const g = new GraphBuilder();
    const x = g.input('x', 'float32', [4]);
    g.output(g.leakyRelu(x, 0.2), 'leaky');
    const limit = g.cast(g.gather(g.shape(x), 0), 'float32');
    g.output(g.range(g.constant('float32', 0), limit, g.constant('float32', 1)), 'range');
    const session = await (await import('onnxruntime-node')).InferenceSession.create(g.build());
    const result = await session.run({ x: floatTensor(new Float32Array([-2, -0.5, 0, 3]), [4]) });
    expectClose(Array.from(result.leaky!.data as Float32Array), [-0.4, -0.1, 0, 3]);
    expect(Array.from(result.range!.data as Float32Array)).toEqual([0, 1, 2, 3]);
  });
});
