/**
 * The procedural model as one ONNX graph: a neural field (CPPN-style MLP
 * over Fourier features of the coordinates) rendered through a camera,
 * coloured by the prompt's palettes and light, and optionally mixed with a
 * reference image sampled through the same camera.
 *
 * Per frame n (all inputs are per frame except the seed and the reference):
 *
 *   q      = detail · camera_n · (u·aspect, v, 1)    field coordinates of each pixel
 *   s      = sin(q · Bw + phaseW_n)                  a few slow waves that swirl the coordinates…
 *   x      = sin((q + s · Ww) · B + phase_n)         …under the main waves (domain warping)
 *   phase  = seedPhase + words·P + flowTime·drift    B: fixed directions and frequencies;
 *                                                    waves travel as flow time runs
 *   h1, h2 = tanh(turbulence · (W · h + words·U + b))
 *   o      = W3 · h2                                 palette position, accent, shade, dx, dy
 *
 * Colour: o₀ picks a colour along a five-stop palette, the sky's above the
 * horizon and the ground's below it (the horizon follows the shade, so it is
 * not a ruler line); shade modulates brightness, accent tints the crests in
 * the light colour, the light source adds a glow, haze fades towards its
 * colour near the horizon, then exposure, saturation, contrast, a vignette
 * and a highlight shoulder. Everything moves continuously with its inputs,
 * so frames that are close in time are close in pixels: no flicker.
 *
 * The field may be evaluated on a coarser grid (`fieldScale`) and upsampled
 * bicubically: its shapes are smooth at the frame's scale, so large frames
 * cost little more than small ones.
 *
 * With a reference image (planes from `buildReferencePlanesGraph`), each
 * pixel samples the image at its camera coordinates (GridSample, bilinear),
 * displaced by the field's (dx, dy) in proportion to 1 − strength so the
 * picture ripples gently, and shows it with weight strength; outside the
 * image the field shows. At strength 1 the field is not computed at all: the
 * picture is only moved by the camera (see ReferenceMode).
 */
import { GraphBuilder, type Tensor } from '../onnx/graph-builder.ts';
import { toFloat, toUint8 } from '../pixel/pixel-graph.ts';
import { FEATURES, FIELD_OUTPUTS, fieldWeights, HIDDEN, WARP_FEATURES } from './field-weights.ts';
import { EMBEDDING_LAYOUT, EMBEDDING_SIZE, LOOK_KEYS, WORD_DIMENSIONS } from './prompt-embedding.ts';
import { SEED_LAYOUT, SEED_SIZE } from './seed-vector.ts';

export interface FieldGraphOptions {
  width: number;
  height: number;
  /** Whole number ≥ 1: the field is computed on a grid this many times coarser, then upsampled. */
  fieldScale: number;
  reference?: {
    width: number;
    height: number;
    mode: ReferenceMode;
  };
}

/**
 * How the reference is shown. `blend`: mixed with the field by strength,
 * rippled by it. At strength 1 the field is left out of the graph and the
 * picture is only moved by the camera: `warp` samples it through any camera
 * (roll included); `crop` serves a camera that only zooms and slides, one
 * frame per run, with a bilinear Resize of the frame's region: the same
 * samples, four times faster than onnxruntime's GridSample. (Resize's
 * antialias is left off: with a region it widens its filter by the whole
 * picture's scale, not the region's.)
 */
export type ReferenceMode = 'blend' | 'warp' | 'crop';

/** Black pixels around the picture in `crop` mode (see buildReferencePlanesGraph). */
export const CROP_BORDER = 1;
/** How far (field units) the field displaces the reference at strength 0; scaled by 1 − strength. */
const DISPLACEMENT = 0.12;
/** How sharply the palette position follows the field (larger: more of the palette's ends). */
const PALETTE_GAIN = 1.6;
/** Brightness swing of the shade channel (±). */
const SHADE_SWING = 0.3;
/** How far the shade bends the horizon (field units). */
const HORIZON_BEND = 0.12;
/** The accent shows where its channel rises past this level. */
const ACCENT_LEVEL = 1;
const ACCENT_SHARPNESS = 4;
/** Light source: a bright core and a wide halo (squared radii, field units). */
const SUN_CORE = 0.015;
const SUN_HALO = 0.3;
const SUN_CORE_SHARE = 0.6;
/** Haze is strongest at the horizon: this part of it, falling off over HAZE_BAND squared units. */
const HAZE_HORIZON_SHARE = 0.45;
const HAZE_BAND = 0.3;
const REC709_LUMA = [0.2126, 0.7152, 0.0722];
/** Level above which highlights are compressed rather than clipped. */
const SHOULDER = 0.8;
/** Pre-activation of the constant hidden unit that carries the second layer's bias: its tanh is within 1e-4 of 1 at any turbulence. */
const BIAS_UNIT = 12;

/** Pixel centres of a w×h grid as rows (u·aspect, v, 1), u and v in [-1, 1]. */
function fieldGrid(w: number, h: number, aspect: number): Float32Array {
  const grid = new Float32Array(w * h * 3);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const i = (y * w + x) * 3;
      grid[i] = ((2 * x + 1) / w - 1) * aspect;
      grid[i + 1] = (2 * y + 1) / h - 1;
      grid[i + 2] = 1;
    }
  }
  return grid;
}

/** (u² + v²) / 2 on the screen: 0 at the centre, 1 in the corners. */
function cornerDistance(w: number, h: number): Float32Array {
  const out = new Float32Array(w * h);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const u = (2 * x + 1) / w - 1;
      const v = (2 * y + 1) / h - 1;
      out[y * w + x] = (u * u + v * v) / 2;
    }
  }
  return out;
}

/** The grid the field is computed on. */
function fieldSize(width: number, height: number, fieldScale: number): { width: number; height: number } {
  return { width: Math.ceil(width / fieldScale), height: Math.ceil(height / fieldScale) };
}

interface Conditioning {
  camera: Tensor<'float32'>;
  embedding: Tensor<'float32'>;
  time: Tensor<'float32'>;
  seed: Tensor<'float32'>;
}

/** (N, len) slice of a per-frame vector. */
function part(g: GraphBuilder, x: Tensor<'float32'>, [offset, length]: readonly [number, number]): Tensor<'float32'> {
  return g.slice(x, [offset], [offset + length], [1]);
}

/** (N, 1, 1): one look control per frame, ready to broadcast over pixels. */
function lookControl(g: GraphBuilder, embedding: Tensor<'float32'>, key: (typeof LOOK_KEYS)[number]): Tensor<'float32'> {
  const offset = EMBEDDING_LAYOUT.look[0] + LOOK_KEYS.indexOf(key);
  return g.unsqueeze(part(g, embedding, [offset, 1]), [2]);
}

/**
 * The network's outputs (N, P, FIELD_OUTPUTS) at the grid's pixels. Every
 * per-frame quantity (camera, detail, phases, biases, turbulence) is folded
 * into small per-frame matrices first, so the per-pixel work is matrix
 * products and the activations alone: the biases ride on a constant feature
 * (a wave of frequency 0 and phase π/2) and a constant hidden unit.
 */
function fieldNetwork(g: GraphBuilder, c: Conditioning, grid: Tensor<'float32'>, latent: Tensor<'float32'>): Tensor<'float32'> {
  const weights = fieldWeights();
  const init = (data: Float32Array, dims: number[]) => g.initializer('float32', data, dims);
  const control = (key: (typeof LOOK_KEYS)[number]) => lookControl(g, c.embedding, key);
  // (N, 3, 2): grid rows (u·aspect, v, 1) to detail-scaled field coordinates.
  const toField = g.mul(g.transpose(c.camera, [0, 2, 1]), control('detail'));
  const lastRow = (rows: number) => init(Float32Array.from({ length: rows }, (_, i) => (i === rows - 1 ? 1 : 0)), [rows, 1]);
  /** (N, 3, count) mapping grid rows to the waves' phases: frequencies through the camera, plus each frame's phase offset in the row of the 1s. */
  const waveMatrix = (frequencies: Tensor<'float32'>, phase: Tensor<'float32'>) => g.add(g.matMul(toField, frequencies), g.mul(lastRow(3), g.unsqueeze(phase, [1])));
  const phaseOf = (count: number, wordPhase: Float32Array, seedPhase: readonly [number, number], drift: Float32Array) =>
    g.add(g.add(g.matMul(latent, init(wordPhase, [WORD_DIMENSIONS, count])), part(g, c.seed, seedPhase)), g.mul(c.time, init(drift, [1, count])));

  const warpPhase = phaseOf(WARP_FEATURES, weights.warpWordPhase, SEED_LAYOUT.warpPhases, weights.warpDrift);
  const swirl = g.sin(g.matMul(grid, waveMatrix(init(weights.warpFrequencies, [2, WARP_FEATURES]), warpPhase)));

  // Main waves, one more for the constant feature; the warp displaces their coordinates: (q + swirl·Wwarp)·B = q·B + swirl·(Wwarp·B).
  const frequencies = new Float32Array(2 * (FEATURES + 1));
  for (let row = 0; row < 2; row++) frequencies.set(weights.frequencies.subarray(row * FEATURES, (row + 1) * FEATURES), row * (FEATURES + 1));
  const warpThrough = new Float32Array(WARP_FEATURES * (FEATURES + 1));
  for (let k = 0; k < WARP_FEATURES; k++) {
    for (let f = 0; f < FEATURES; f++) {
      warpThrough[k * (FEATURES + 1) + f] = weights.warp[k * 2]! * weights.frequencies[f]! + weights.warp[k * 2 + 1]! * weights.frequencies[FEATURES + f]!;
    }
  }
  const constantPhase = init(Float32Array.from({ length: FEATURES + 1 }, (_, f) => (f === FEATURES ? Math.PI / 2 : 0)), [1, FEATURES + 1]);
  const phase = g.add(g.pad(phaseOf(FEATURES, weights.wordPhase, SEED_LAYOUT.phases, weights.drift), [0, 0, 0, 1]), constantPhase);
  const features = g.sin(
    g.add(g.matMul(grid, waveMatrix(init(frequencies, [2, FEATURES + 1]), phase)), g.matMul(swirl, init(warpThrough, [WARP_FEATURES, FEATURES + 1]))),
  );

  /** (N, inputs + 1, outputs): the layer's weights, each frame's bias (words·U + b) in the last row, all times turbulence. */
  const layerWeights = (weight: Float32Array, inputs: number, outputs: number, wordBias: Float32Array, bias: Float32Array) => {
    const padded = new Float32Array((inputs + 1) * outputs);
    for (let i = 0; i < inputs; i++) padded.set(weight.subarray(i * HIDDEN, i * HIDDEN + HIDDEN), i * outputs);
    let shift = g.add(g.matMul(latent, init(wordBias, [WORD_DIMENSIONS, HIDDEN])), init(bias, [1, HIDDEN]));
    if (outputs > HIDDEN) shift = g.add(g.pad(shift, [0, 0, 0, 1]), init(Float32Array.from({ length: outputs }, (_, o) => (o === HIDDEN ? BIAS_UNIT : 0)), [1, outputs]));
    const full = g.add(init(padded, [inputs + 1, outputs]), g.mul(lastRow(inputs + 1), g.unsqueeze(shift, [1])));
    return g.mul(full, control('turbulence'));
  };
  const hidden1 = g.tanh(g.matMul(features, layerWeights(weights.layer1, FEATURES, HIDDEN + 1, weights.wordBias1, weights.bias1)));
  const hidden2 = g.tanh(g.matMul(hidden1, layerWeights(weights.layer2, HIDDEN, HIDDEN, weights.wordBias2, weights.bias2)));
  return g.matMul(hidden2, init(weights.output, [HIDDEN, FIELD_OUTPUTS]));
}

/** The coloured field on a w×h grid: (N, w·h, 3), or (N, w·h, 5) with the displacement appended. */
function colourField(g: GraphBuilder, c: Conditioning, w: number, h: number, aspect: number, withDisplacement: boolean): Tensor<'float32'> {
  const { embedding } = c;
  const control = (key: (typeof LOOK_KEYS)[number]) => lookControl(g, embedding, key);
  const grid = g.initializer('float32', fieldGrid(w, h, aspect), [w * h, 3]);
  const q = g.matMul(grid, g.transpose(c.camera, [0, 2, 1])); // (N, P, 2)
  const latent = g.add(part(g, embedding, EMBEDDING_LAYOUT.words), part(g, c.seed, SEED_LAYOUT.latent)); // (N, WORD_DIMENSIONS)
  const out = fieldNetwork(g, c, grid, latent);
  const channel = (i: number, count = 1) => g.slice(out, [i], [i + count], [2]); // (N, P, count)

  // Palette: hat weights over the five stops at the palette position, then the stops' colours.
  const position = g.mul(g.sigmoid(g.mul(channel(0), PALETTE_GAIN)), 4);
  const hats = g.relu(g.sub(g.constant('float32', 1), g.abs(g.sub(position, g.constant('float32', [0, 1, 2, 3, 4])))));
  const paletteOf = (layout: readonly [number, number]) => g.reshape(part(g, embedding, layout), [-1, 5, 3]);
  const sky = g.matMul(hats, paletteOf(EMBEDDING_LAYOUT.sky));
  const ground = g.matMul(hats, paletteOf(EMBEDDING_LAYOUT.ground));

  const qy = g.slice(q, [1], [2], [2]);
  const horizon = part(g, embedding, EMBEDDING_LAYOUT.horizon);
  const horizonY = g.unsqueeze(g.slice(horizon, [0], [1], [1]), [2]);
  const softness = g.unsqueeze(g.slice(horizon, [1], [2], [1]), [2]);
  const shade = g.tanh(channel(2));
  const below = g.sigmoid(g.div(g.sub(g.add(qy, g.mul(shade, HORIZON_BEND)), horizonY), softness));
  let rgb = g.add(sky, g.mul(g.sub(ground, sky), below));
  rgb = g.mul(rgb, g.add(g.mul(shade, SHADE_SWING), 1));

  const light = g.unsqueeze(part(g, embedding, EMBEDDING_LAYOUT.light), [1]); // (N, 1, 3)
  const accent = g.mul(g.sigmoid(g.mul(g.sub(channel(1), ACCENT_LEVEL), ACCENT_SHARPNESS)), control('accent'));
  rgb = g.add(rgb, g.mul(g.sub(light, rgb), accent));

  const sun = g.unsqueeze(g.add(part(g, embedding, EMBEDDING_LAYOUT.sunPosition), part(g, c.seed, SEED_LAYOUT.sunOffset)), [1]);
  const toSun = g.sub(q, sun);
  const distance2 = g.reduceSum(g.mul(toSun, toSun), [2]);
  const glow = g.add(
    g.mul(g.exp(g.mul(distance2, -1 / SUN_CORE)), SUN_CORE_SHARE),
    g.mul(g.exp(g.mul(distance2, -1 / SUN_HALO)), 1 - SUN_CORE_SHARE),
  );
  rgb = g.add(rgb, g.mul(g.mul(glow, control('sun')), light));

  const fromHorizon = g.sub(qy, horizonY);
  const hazeShape = g.add(g.mul(g.exp(g.mul(g.mul(fromHorizon, fromHorizon), -1 / HAZE_BAND)), HAZE_HORIZON_SHARE), 1 - HAZE_HORIZON_SHARE);
  const haze = g.mul(hazeShape, control('haze'));
  const hazeColour = g.unsqueeze(part(g, embedding, EMBEDDING_LAYOUT.hazeColour), [1]);
  rgb = g.add(rgb, g.mul(g.sub(hazeColour, rgb), haze));

  // Exposure, saturation (towards Rec. 709 luma) and contrast (about mid grey) are one affine map per frame: rgb·M + offset.
  const saturation = control('saturation');
  const contrast = control('contrast');
  const toLuma = g.constant('float32', [0, 1, 2].flatMap((row) => [REC709_LUMA[row]!, REC709_LUMA[row]!, REC709_LUMA[row]!]), [3, 3]);
  const identity = g.constant('float32', [1, 0, 0, 0, 1, 0, 0, 0, 1], [3, 3]);
  const desaturate = g.add(g.mul(toLuma, g.sub(g.constant('float32', 1), saturation)), g.mul(identity, saturation));
  const tone = g.mul(desaturate, g.mul(contrast, control('exposure')));
  rgb = g.add(g.matMul(rgb, tone), g.mul(g.sub(g.constant('float32', 1), contrast), 0.5));
  const corners = g.initializer('float32', cornerDistance(w, h), [w * h, 1]);
  rgb = g.mul(rgb, g.sub(g.constant('float32', 1), g.mul(control('vignette'), corners)));
  // Highlights roll off instead of clipping: past the shoulder the curve bends (tanh) towards white, so a bright sky keeps its shapes.
  rgb = g.add(g.min(rgb, SHOULDER), g.mul(g.tanh(g.mul(g.relu(g.sub(rgb, SHOULDER)), 1 / (1 - SHOULDER))), 1 - SHOULDER));
  return withDisplacement ? g.concat([rgb, channel(3, 2)], 2) : rgb;
}

/** Bicubic upsampling of (N, h·w, C) to (N, H, W, C). */
function upsample(g: GraphBuilder, x: Tensor<'float32'>, w: number, h: number, width: number, height: number, channels: number): Tensor<'float32'> {
  const image = g.reshape(x, [-1, h, w, channels]);
  if (w === width && h === height) return image;
  const planar = g.transpose(image, [0, 3, 1, 2]);
  const resized = g.resize(planar, { sizes: [height, width], axes: [2, 3], mode: 'cubic', cubicCoeffA: -0.5 });
  return g.transpose(resized, [0, 2, 3, 1]);
}

/** Field units to the reference picture's normalised coordinates. */
function pictureCoordinates(g: GraphBuilder, q: Tensor<'float32'>, aspect: number): Tensor<'float32'> {
  return g.mul(q, g.constant('float32', [1 / aspect, 1]));
}

/** The reference's three planes sampled at normalised coordinates (N, P, 2): (N, H, W, 3). */
function sampleReference(g: GraphBuilder, planes: Tensor<'float32'>, uv: Tensor<'float32'>, width: number, height: number, padding: 'zeros' | 'border'): Tensor<'float32'> {
  // Every frame's grid stacked into one tall grid, so the one picture serves all.
  const sampled = g.gridSample(planes, g.reshape(uv, [1, -1, width, 2]), { mode: 'linear', paddingMode: padding, alignCorners: false });
  return g.transpose(g.reshape(sampled, [3, -1, height, width]), [1, 2, 3, 0]);
}

/** (N, H, W, 1): 1 where the camera sees the picture, 0 beyond it, over a one-pixel ramp at its edge (as bilinear zero padding fades). */
function pictureCoverage(g: GraphBuilder, uv: Tensor<'float32'>, reference: { width: number; height: number }, width: number, height: number): Tensor<'float32'> {
  const halfSize = g.constant('float32', [reference.width / 2, reference.height / 2]);
  const inside = g.clip(g.add(g.mul(g.sub(g.constant('float32', 1), g.abs(uv)), halfSize), 0.5), 0, 1);
  return g.reshape(g.mul(g.slice(inside, [0], [1], [2]), g.slice(inside, [1], [2], [2])), [-1, height, width, 1]);
}

export function buildFieldGraph(options: FieldGraphOptions): Uint8Array {
  const { width, height, fieldScale, reference } = options;
  const aspect = width / height;
  const g = new GraphBuilder('procedural_field');
  if (reference?.mode === 'crop') {
    // One frame per run: Resize crops the region `roi` ([0, top, left, 0, 1, bottom, right, 1], normalised to the bordered picture's pixel grid) to the frame, in RGB24 as it is stored.
    const picture = g.input('reference', 'uint8', [1, reference.height + 2 * CROP_BORDER, reference.width + 2 * CROP_BORDER, 3]);
    const roi = g.input('roi', 'float32', [8]);
    g.output(g.resize(picture, { sizes: [1, height, width, 3], mode: 'linear', roi, coordinateTransformationMode: 'tf_crop_and_resize' }), 'out');
    return g.build();
  }
  let rgb: Tensor<'float32'>;
  const camera = g.input('camera', 'float32', ['N', 2, 3]);
  const fullGrid = () => g.matMul(g.initializer('float32', fieldGrid(width, height, aspect), [width * height, 3]), g.transpose(camera, [0, 2, 1]));
  if (reference?.mode === 'warp') {
    rgb = sampleReference(g, g.input('reference', 'float32', [1, 3, reference.height, reference.width]), pictureCoordinates(g, fullGrid(), aspect), width, height, 'zeros');
  } else {
    const conditioning: Conditioning = {
      camera,
      embedding: g.input('embedding', 'float32', ['N', EMBEDDING_SIZE]),
      time: g.input('time', 'float32', ['N', 1]),
      seed: g.input('seed', 'float32', [1, SEED_SIZE]),
    };
    const small = fieldSize(width, height, fieldScale);
    const channels = reference ? 5 : 3;
    const field = upsample(g, colourField(g, conditioning, small.width, small.height, aspect, reference !== undefined), small.width, small.height, width, height, channels);
    rgb = reference ? g.slice(field, [0], [3], [3]) : field;
    if (reference) {
      const planes = g.input('reference', 'float32', [1, 3, reference.height, reference.width]);
      const strength = g.input('strength', 'float32', [1]);
      const uv = pictureCoordinates(g, fullGrid(), aspect);
      // The ripple may reach past the picture's edge: the edge pixels repeat there, and where the picture ends is judged without it.
      const displacement = pictureCoordinates(g, g.reshape(g.slice(field, [3], [5], [3]), [-1, width * height, 2]), aspect);
      const rippled = g.add(uv, g.mul(displacement, g.mul(g.sub(g.constant('float32', 1), strength), DISPLACEMENT)));
      const sampled = sampleReference(g, planes, rippled, width, height, 'border');
      const weight = g.mul(pictureCoverage(g, uv, reference, width, height), strength);
      rgb = g.add(rgb, g.mul(g.sub(sampled, rgb), weight));
    }
  }
  g.output(toUint8(g, g.mul(rgb, 255)), 'out');
  return g.build();
}

/**
 * RGB24 picture (1, H, W, 3) → float planes (1, 3, H, W) in 0..1. For `crop`
 * it stays RGB24 and gets a one-pixel black border, so a cropped frame never
 * has the picture's exact size (onnxruntime's Resize then copies its input and
 * ignores the region) and fades to black past the edge as GridSample's zero
 * padding does.
 */
export function buildReferencePlanesGraph(width: number, height: number, mode: ReferenceMode): Uint8Array {
  const g = new GraphBuilder('reference_planes');
  const image = g.input('image', 'uint8', [1, height, width, 3]);
  if (mode === 'crop') {
    // Kept as RGB24: onnxruntime's bilinear Resize of 8-bit pixels laid out by row is its fast path (12.5 ms a 720p frame against 19.6 ms through float planes).
    g.output(g.pad(image, [0, CROP_BORDER, CROP_BORDER, 0, 0, CROP_BORDER, CROP_BORDER, 0]), 'planes');
  } else {
    g.output(g.transpose(g.div(toFloat(g, image), 255), [0, 3, 1, 2]), 'planes');
  }
  return g.build();
}
