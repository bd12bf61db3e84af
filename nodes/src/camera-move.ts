import { defineNode } from './sdk/define-node.ts';
import { param } from './sdk/param.ts';
import { port } from './sdk/port.ts';
import { CAMERA_EASINGS, CAMERA_FRAMINGS, CAMERA_PRESETS, type CameraKeyframe } from './sdk/values.ts';

export const MAX_CAMERA_KEYFRAMES = 64;
const KEYFRAME_FIELDS = ['time', 'zoom', 'x', 'y', 'roll'] as const;
const MIN_ZOOM = 0.1;
const MAX_ZOOM = 10;
const MAX_OFFSET = 5;
const MAX_ROLL_DEGREES = 180;
/** Enough to fix a list by hand without burying the first problem. */
const MAX_REPORTED_PROBLEMS = 5;

export default defineNode({
  type: 'camera-move',
  version: 1,
  title: 'Camera move',
  category: 'Camera',
  description:
    'A virtual camera move for a shot: a named preset (push-in, pan, orbit, handheld, …) scaled by intensity, or your own keyframes. Wire it into a generator to move its camera, or to animate a reference image.',
  inputs: {},
  outputs: { camera: port.camera() },
  params: {
    preset: param.select({
      options: CAMERA_PRESETS,
      default: 'push-in',
      description: 'The move. Ignored when keyframes are set.',
    }),
    framing: param.select({
      options: CAMERA_FRAMINGS,
      default: 'medium',
      description: 'The widest view of the shot: a push-in starts on it, a pull-out ends on it.',
    }),
    intensity: param.number({
      default: 0.5,
      min: 0,
      max: 1,
      step: 0.05,
      description: 'How far the move travels: 0 holds the framing, 1 is the full move.',
    }),
    easing: param.select({
      options: CAMERA_EASINGS,
      default: 'ease-in-out',
      description: 'How the move starts and settles; with keyframes it applies between each pair.',
    }),
    seed: param.seed({ description: 'Picks the handheld shake; other presets ignore it.' }),
    keyframes: param.json<CameraKeyframe[]>({
      default: [],
      widget: 'camera-keyframes',
      description:
        'Poses at times in seconds (zoom absolute, x/y in frame widths/heights, roll in degrees clockwise). When set they replace the preset and the framing.',
      check: checkCameraKeyframes,
    }),
  },
  device: 'cpu',
  deterministic: true,
  async run({ params }) {
    return {
      camera: {
        kind: 'camera',
        preset: params.preset,
        framing: params.framing,
        intensity: params.intensity,
        easing: params.easing,
        seed: params.seed,
        // Copied field by field so the value holds exactly what the check approved.
        keyframes: params.keyframes.map(({ time, zoom, x, y, roll }) => ({ time, zoom, x, y, roll })),
      },
    };
  },
});

function checkCameraKeyframes(value: unknown): string | undefined {
  if (!Array.isArray(value)) return `must be a list of keyframes like [{ "time": 0, "zoom": 1, "x": 0, "y": 0, "roll": 0 }]`;
  if (value.length > MAX_CAMERA_KEYFRAMES) {
    return `has ${value.length} keyframes; the limit is ${MAX_CAMERA_KEYFRAMES}: remove some`;
  }
  const problems: string[] = [];
  let previous: { label: string; time: number } | undefined;
  value.forEach((keyframe: unknown, index) => {
    const label = `keyframe ${index + 1}`;
    const shapeProblem = keyframeShapeProblem(keyframe);
    if (shapeProblem) {
      problems.push(`${label} ${shapeProblem}`);
      return;
    }
    const { time, zoom, x, y, roll } = keyframe as CameraKeyframe;
    if (time < 0) {
      problems.push(`${label} is at ${time}s; times start at 0`);
    } else if (previous && time <= previous.time) {
      problems.push(
        `${label} is at ${time}s, not after ${previous.label} at ${previous.time}s; order keyframes by time, each later than the one before`,
      );
    }
    previous = { label, time };
    if (zoom <= MIN_ZOOM || zoom > MAX_ZOOM) {
      problems.push(`${label} has zoom ${zoom}; use more than ${MIN_ZOOM} and at most ${MAX_ZOOM} (1 shows the whole picture)`);
    }
    if (Math.abs(x) > MAX_OFFSET) problems.push(`${label} has x ${x}; keep it between -${MAX_OFFSET} and ${MAX_OFFSET} frame widths`);
    if (Math.abs(y) > MAX_OFFSET) problems.push(`${label} has y ${y}; keep it between -${MAX_OFFSET} and ${MAX_OFFSET} frame heights`);
    if (Math.abs(roll) > MAX_ROLL_DEGREES) {
      problems.push(`${label} has roll ${roll}°; keep it between -${MAX_ROLL_DEGREES} and ${MAX_ROLL_DEGREES} degrees`);
    }
  });
  if (problems.length === 0) return undefined;
  const shown = problems.slice(0, MAX_REPORTED_PROBLEMS).join('; ');
  const hidden = problems.length - MAX_REPORTED_PROBLEMS;
  return hidden > 0 ? `${shown}; and ${hidden} more` : shown;
}

/** Why this is not a { time, zoom, x, y, roll } object of finite numbers, or undefined when it is. */
function keyframeShapeProblem(keyframe: unknown): string | undefined {
  if (typeof keyframe !== 'object' || keyframe === null || Array.isArray(keyframe)) {
    return `must be an object with ${KEYFRAME_FIELDS.join(', ')}`;
  }
  const record = keyframe as Record<string, unknown>;
  const unknownField = Object.keys(record).find((field) => !(KEYFRAME_FIELDS as readonly string[]).includes(field));
  if (unknownField !== undefined) return `has an unknown field "${unknownField}"; a keyframe has ${KEYFRAME_FIELDS.join(', ')}`;
  const badField = KEYFRAME_FIELDS.find((field) => typeof record[field] !== 'number' || !Number.isFinite(record[field]));
  if (badField !== undefined) {
    if (!(badField in record)) return `is missing ${badField}`;
    const value = record[badField];
    return `has ${badField} ${typeof value === 'number' ? value : JSON.stringify(value)}; it must be a finite number`;
  }
  return undefined;
}
