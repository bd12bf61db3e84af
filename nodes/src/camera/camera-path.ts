/**
 * Turns a CameraValue into one transform per frame: the pose of the virtual
 * camera and the affine map a GridSample warp needs to render it.
 *
 * Coordinates are normalised and aspect-independent: u runs -1..1 across the
 * frame's width, v runs -1..1 down its height. A pose's x and y are in frame
 * widths and heights, so they move the view centre by 2x and 2y in these units.
 *
 * Presets (used when there are no keyframes); "travel" is at intensity 1 and
 * scales linearly with intensity, so intensity 0 holds the framing:
 * - Framing sets the widest view of the shot: wide 1.0 (the whole picture),
 *   medium 1.25, close-up 1.6. Push-in starts on it, pull-out ends on it.
 * - push-in / pull-out: zoom changes by 1.6× geometrically, so equal steps of
 *   progress look like equal steps of magnification.
 * - pan-left/right, tilt-up/down: the view slides 0.3 frame widths/heights,
 *   centred on the framing (it starts half the travel to one side).
 * - truck-left/right: in 2-D a truck slides the picture like a pan; it also
 *   grows the frame by 1.1× over the move as a stand-in for the foreground's
 *   parallax sweeping past, so the two moves read differently.
 * - orbit-left/right: 0.25 frame widths of lateral travel along an arc that
 *   banks up to 3° of roll and comes up to 8% closer at its middle.
 * - dolly-zoom: a flat warp has no depth, so it cannot hold the subject while
 *   the background changes. We render what the background does in a
 *   dolly-in/zoom-out ("Jaws") shot with the background at twice the subject's
 *   distance and the camera covering half of it: its magnification is
 *   r(1 − m·p) / (r − m·p) with r = 2, m = 0.5, a pull-out to the framing that
 *   starts slowly and speeds up. A generator that reads `preset` can do better.
 * - handheld: a smooth, deterministic shake (sums of low-frequency sines, 0.2
 *   to 1.3 Hz, with phases and frequencies drawn from `seed`), driven by time
 *   rather than progress so it looks the same at any fps and length; easing
 *   does not apply. Up to 0.02 widths, 0.015 heights, 1° of roll and 1% zoom.
 * - Moves that slide or roll the view zoom in just enough, once for the whole
 *   shot, that the view never leaves the source picture (no empty borders when
 *   a photo is animated). A constant factor keeps each move's shape.
 *
 * Keyframes, when present, replace the preset: their zoom is absolute (the
 * framing is ignored, and there is no coverage zoom, so a keyframe may show
 * beyond the picture's edge on purpose). Between two keyframes the easing runs
 * once over the segment; zoom is interpolated geometrically, x, y and roll
 * linearly. The first pose holds before the first keyframe and the last after
 * the last one; a frame exactly at a keyframe's time has exactly its pose.
 */
import type { CameraEasing, CameraFraming, CameraKeyframe, CameraPreset, CameraValue } from '../sdk/values.ts';
import { seededRandom } from '@reelgraph/models/seeded-random';
import { ease } from './easing.ts';

export interface CameraPose {
  zoom: number;
  x: number;
  y: number;
  /** Degrees, clockwise. */
  roll: number;
}

/**
 * `[a, b, c, d, e, f]` mapping an output point (u, v) to the source point it
 * shows: `srcU = a·u + b·v + c`, `srcV = d·u + e·v + f`. Roll rotates in
 * normalised units; on a non-square frame a warp wanting a rigid rotation
 * scales u by the aspect ratio before and divides it out after.
 */
export type AffineMatrix = [number, number, number, number, number, number];

export interface CameraTransform extends CameraPose {
  matrix: AffineMatrix;
}

export interface CameraTiming {
  fps: number;
  frameCount: number;
}

export const FRAMING_ZOOM: Record<CameraFraming, number> = {
  wide: 1,
  medium: 1.25,
  'close-up': 1.6,
};

const PUSH_ZOOM_FACTOR = 1.6;
const PAN_TRAVEL = 0.3;
const TRUCK_TRAVEL = 0.3;
const TRUCK_ZOOM_FACTOR = 1.1;
const ORBIT_TRAVEL = 0.25;
const ORBIT_ROLL_DEGREES = 3;
const ORBIT_ZOOM_BULGE = 0.08;
const DOLLY_BACKGROUND_DEPTH = 2;
const DOLLY_CAMERA_TRAVEL = 0.5;
const HANDHELD_AMPLITUDE: CameraPose = { zoom: 0.01, x: 0.02, y: 0.015, roll: 1 };
/** Slow sway, a breath, a step: lower frequencies move further, as a body does. */
const HANDHELD_COMPONENTS = [
  { hz: 0.25, weight: 1 },
  { hz: 0.55, weight: 0.5 },
  { hz: 1.1, weight: 0.25 },
] as const;

const RADIANS_PER_DEGREE = Math.PI / 180;

export function resolveCameraPath(camera: CameraValue, timing: CameraTiming): CameraTransform[] {
  checkTiming(timing);
  const poses =
    camera.keyframes.length > 0 ? keyframePath(camera.keyframes, camera.easing, timing) : coverSource(presetPath(camera, timing));
  return poses.map((pose) => ({ ...pose, matrix: poseMatrix(pose) }));
}

export function poseMatrix(pose: CameraPose): AffineMatrix {
  const angle = pose.roll * RADIANS_PER_DEGREE;
  const cos = Math.cos(angle) / pose.zoom;
  const sin = Math.sin(angle) / pose.zoom;
  // The output's right axis samples the source along a clockwise-rotated direction (v points down).
  return [cos, -sin, 2 * pose.x, sin, cos, 2 * pose.y];
}

/** The pose at `seconds` along a keyframed path (keyframes ascending by time, at least one). */
export function keyframePoseAt(keyframes: readonly CameraKeyframe[], seconds: number, easing: CameraEasing): CameraPose {
  const first = keyframes[0];
  if (!first) throw new RangeError('A keyframed camera path needs at least one keyframe.');
  if (seconds <= first.time) return poseOf(first);
  let segment = 0;
  while (segment + 1 < keyframes.length && keyframes[segment + 1]!.time <= seconds) segment += 1;
  const from = keyframes[segment]!;
  const to = keyframes[segment + 1];
  if (!to) return poseOf(from);
  const eased = ease(easing, (seconds - from.time) / (to.time - from.time));
  return {
    zoom: from.zoom * (to.zoom / from.zoom) ** eased,
    x: lerp(from.x, to.x, eased),
    y: lerp(from.y, to.y, eased),
    roll: lerp(from.roll, to.roll, eased),
  };
}

function checkTiming({ fps, frameCount }: CameraTiming): void {
  if (!Number.isFinite(fps) || fps <= 0) throw new RangeError(`A camera path needs a positive fps, not ${fps}.`);
  if (!Number.isInteger(frameCount) || frameCount < 0) {
    throw new RangeError(`A camera path needs a whole, non-negative frame count, not ${frameCount}.`);
  }
}

function keyframePath(keyframes: readonly CameraKeyframe[], easing: CameraEasing, { fps, frameCount }: CameraTiming): CameraPose[] {
  return Array.from({ length: frameCount }, (_, frame) => keyframePoseAt(keyframes, frame / fps, easing));
}

function presetPath(camera: CameraValue, { fps, frameCount }: CameraTiming): CameraPose[] {
  const { preset, framing, intensity, easing, seed } = camera;
  const base = FRAMING_ZOOM[framing];
  if (preset === 'handheld') {
    const shake = handheldShake(seed);
    return Array.from({ length: frameCount }, (_, frame) => handheldPose(shake(frame / fps), base, intensity));
  }
  return Array.from({ length: frameCount }, (_, frame) => {
    const progress = frameCount > 1 ? frame / (frameCount - 1) : 0;
    return presetPose(preset, ease(easing, progress), intensity, base);
  });
}

/** A preset's pose at eased progress `p`; `handheld` is time-driven and handled apart. */
function presetPose(preset: Exclude<CameraPreset, 'handheld'>, p: number, intensity: number, base: number): CameraPose {
  const still: CameraPose = { zoom: base, x: 0, y: 0, roll: 0 };
  // Slides are centred on the framing: half the travel before it, half after.
  const slide = (travel: number) => travel * intensity * (p - 0.5);
  const growth = (factor: number, progress = p) => (1 + (factor - 1) * intensity) ** progress;
  const arc = Math.sin(Math.PI * p);
  switch (preset) {
    case 'static':
      return still;
    case 'push-in':
      return { ...still, zoom: base * growth(PUSH_ZOOM_FACTOR) };
    case 'pull-out':
      return { ...still, zoom: base * growth(PUSH_ZOOM_FACTOR, 1 - p) };
    case 'pan-left':
      return { ...still, x: -slide(PAN_TRAVEL) };
    case 'pan-right':
      return { ...still, x: slide(PAN_TRAVEL) };
    case 'tilt-up':
      return { ...still, y: -slide(PAN_TRAVEL) };
    case 'tilt-down':
      return { ...still, y: slide(PAN_TRAVEL) };
    case 'truck-left':
      return { ...still, zoom: base * growth(TRUCK_ZOOM_FACTOR), x: -slide(TRUCK_TRAVEL) };
    case 'truck-right':
      return { ...still, zoom: base * growth(TRUCK_ZOOM_FACTOR), x: slide(TRUCK_TRAVEL) };
    case 'orbit-left':
      return orbitPose(-1, slide(ORBIT_TRAVEL), arc, intensity, base);
    case 'orbit-right':
      return orbitPose(1, slide(ORBIT_TRAVEL), arc, intensity, base);
    case 'dolly-zoom':
      return { ...still, zoom: (base * dollyBackgroundScale(p, intensity)) / dollyBackgroundScale(1, intensity) };
  }
}

function orbitPose(direction: 1 | -1, travel: number, arc: number, intensity: number, base: number): CameraPose {
  return {
    zoom: base * (1 + ORBIT_ZOOM_BULGE * intensity * arc),
    x: direction * travel,
    y: 0,
    roll: direction * ORBIT_ROLL_DEGREES * intensity * arc,
  };
}

/** How large the background looks at progress p of a dolly-in/zoom-out, relative to the start. */
function dollyBackgroundScale(p: number, intensity: number): number {
  const depth = DOLLY_BACKGROUND_DEPTH;
  const travelled = DOLLY_CAMERA_TRAVEL * intensity * p;
  return (depth * (1 - travelled)) / (depth - travelled);
}

/** Unit shake (each axis in -1..1) at a time in seconds, fixed by the seed. */
type Shake = (seconds: number) => CameraPose;

function handheldShake(seed: number): Shake {
  const random = seededRandom(seed);
  const axis = () => {
    const waves = HANDHELD_COMPONENTS.map(({ hz, weight }) => ({
      // Jittered frequencies keep the axes and seeds from swaying in lockstep.
      radiansPerSecond: 2 * Math.PI * hz * (0.8 + 0.4 * random()),
      phase: 2 * Math.PI * random(),
      weight,
    }));
    const totalWeight = waves.reduce((sum, wave) => sum + wave.weight, 0);
    return (seconds: number) =>
      waves.reduce((sum, wave) => sum + wave.weight * Math.sin(wave.radiansPerSecond * seconds + wave.phase), 0) / totalWeight;
  };
  const zoom = axis();
  const x = axis();
  const y = axis();
  const roll = axis();
  return (seconds) => ({ zoom: zoom(seconds), x: x(seconds), y: y(seconds), roll: roll(seconds) });
}

function handheldPose(unit: CameraPose, base: number, intensity: number): CameraPose {
  return {
    zoom: base * (1 + HANDHELD_AMPLITUDE.zoom * intensity * unit.zoom),
    x: HANDHELD_AMPLITUDE.x * intensity * unit.x,
    y: HANDHELD_AMPLITUDE.y * intensity * unit.y,
    roll: HANDHELD_AMPLITUDE.roll * intensity * unit.roll,
  };
}

/** Scales every zoom by one factor so that no frame's view reaches past the source picture. */
function coverSource(poses: CameraPose[]): CameraPose[] {
  const scale = poses.reduce((most, pose) => Math.max(most, coveringZoom(pose) / pose.zoom), 1);
  return scale === 1 ? poses : poses.map((pose) => ({ ...pose, zoom: pose.zoom * scale }));
}

/** The least zoom at which this pose's rotated view stays inside [-1, 1]² (preset offsets stay far below half a frame). */
function coveringZoom(pose: CameraPose): number {
  const angle = pose.roll * RADIANS_PER_DEGREE;
  const halfExtent = Math.abs(Math.cos(angle)) + Math.abs(Math.sin(angle));
  return Math.max(halfExtent / (1 - 2 * Math.abs(pose.x)), halfExtent / (1 - 2 * Math.abs(pose.y)));
}

function poseOf({ zoom, x, y, roll }: CameraKeyframe): CameraPose {
  return { zoom, x, y, roll };
}

function lerp(from: number, to: number, t: number): number {
  return from + (to - from) * t;
}

