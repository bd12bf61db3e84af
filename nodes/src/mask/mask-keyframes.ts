/**
 * Keyframed mask regions: a rectangle or ellipse whose centre and size are
 * given as fractions of the frame (x 0 is the left edge, 1 the right; y 0 the
 * top) at times in seconds, interpolated linearly between keyframes and held
 * before the first and after the last.
 */
import type { MaskBox } from '@reelgraph/models';

export interface MaskKeyframe {
  time: number;
  x: number;
  y: number;
  width: number;
  height: number;
}

export const MASK_SHAPES = ['ellipse', 'rectangle'] as const;
export const DEFAULT_MASK_REGION: MaskKeyframe[] = [{ time: 0, x: 0.5, y: 0.5, width: 0.4, height: 0.5 }];
export const MAX_MASK_KEYFRAMES = 64;
const FIELDS = ['time', 'x', 'y', 'width', 'height'] as const;
/** A shape may start or end outside the frame (entering from a side), but not absurdly far. */
const MAX_POSITION = 2;
const MAX_SIZE = 3;

/** Why `value` is not a list of mask keyframes, or undefined when it is. */
export function checkMaskKeyframes(value: unknown): string | undefined {
  if (!Array.isArray(value) || value.length === 0) {
    return 'must be a list of at least one keyframe like [{ "time": 0, "x": 0.5, "y": 0.5, "width": 0.4, "height": 0.5 }]';
  }
  if (value.length > MAX_MASK_KEYFRAMES) return `has ${value.length} keyframes; the limit is ${MAX_MASK_KEYFRAMES}: remove some`;
  for (const [index, keyframe] of value.entries()) {
    const label = `keyframe ${index + 1}`;
    if (typeof keyframe !== 'object' || keyframe === null || Array.isArray(keyframe)) return `${label} must be an object with ${FIELDS.join(', ')}`;
    const record = keyframe as Record<string, unknown>;
    const extra = Object.keys(record).find((field) => !(FIELDS as readonly string[]).includes(field));
    if (extra !== undefined) return `${label} has an unknown field "${extra}"; a keyframe has ${FIELDS.join(', ')}`;
    const bad = FIELDS.find((field) => typeof record[field] !== 'number' || !Number.isFinite(record[field]));
    if (bad !== undefined) return `${label} needs ${bad} as a finite number`;
    const { time, x, y, width, height } = record as unknown as MaskKeyframe;
    if (time < 0) return `${label} is at ${time}s; times start at 0`;
    const previous = value[index - 1] as MaskKeyframe | undefined;
    if (previous && time <= previous.time) return `${label} is at ${time}s, not after keyframe ${index} at ${previous.time}s; order keyframes by time`;
    if (Math.abs(x - 0.5) > MAX_POSITION || Math.abs(y - 0.5) > MAX_POSITION) return `${label} has its centre at (${x}, ${y}); keep x and y within -1.5 to 2.5 (0 to 1 is inside the frame)`;
    if (width < 0 || height < 0 || width > MAX_SIZE || height > MAX_SIZE) return `${label} is ${width} × ${height}; width and height are fractions of the frame from 0 to ${MAX_SIZE}`;
  }
  return undefined;
}

/** The region at `seconds`, in fractions of the frame. */
export function maskKeyframeAt(keyframes: readonly MaskKeyframe[], seconds: number): MaskKeyframe {
  const first = keyframes[0];
  if (!first) throw new RangeError('A mask region needs at least one keyframe.');
  const next = keyframes.findIndex((k) => k.time > seconds);
  if (next === 0) return first;
  if (next === -1) return keyframes[keyframes.length - 1]!;
  const from = keyframes[next - 1]!;
  const to = keyframes[next]!;
  const t = (seconds - from.time) / (to.time - from.time);
  const lerp = (a: number, b: number) => a + (b - a) * t;
  return { time: seconds, x: lerp(from.x, to.x), y: lerp(from.y, to.y), width: lerp(from.width, to.width), height: lerp(from.height, to.height) };
}

/**
 * Boxes in pixels for `frameCount` frames at `fps` of a width×height frame.
 * One keyframe makes a static region: a single box.
 */
export function maskBoxes(keyframes: readonly MaskKeyframe[], frame: { width: number; height: number; fps: number; frameCount: number }): MaskBox[] {
  const toPixels = (k: MaskKeyframe): MaskBox => ({ x: k.x * frame.width, y: k.y * frame.height, width: k.width * frame.width, height: k.height * frame.height });
  if (keyframes.length === 1) return [toPixels(keyframes[0]!)];
  return Array.from({ length: frame.frameCount }, (_, i) => toPixels(maskKeyframeAt(keyframes, i / frame.fps)));
}
