/**
 * The camera move as the path editor's diagram draws it: the pose of the view
 * over the shot, sampled with the camera-move node's own (pure) path code, so
 * the diagram shows exactly the move the generator will render.
 */
import { resolveCameraPath } from '@reelgraph/nodes/camera-path';
import { CAMERA_EASINGS, CAMERA_FRAMINGS, CAMERA_PRESETS, type CameraValue } from '@reelgraph/nodes/values';

export interface CameraPose {
  zoom: number;
  /** Frame widths; positive looks right. */
  x: number;
  /** Frame heights; positive looks down. */
  y: number;
  /** Degrees, clockwise. */
  roll: number;
}

export interface CameraKeyframe extends CameraPose {
  time: number;
}

export interface CameraSettings {
  preset: string;
  framing: string;
  intensity: number;
  easing: string;
  seed: number;
  keyframes: CameraKeyframe[];
}

const PRESET_SECONDS = 3;

export function readCameraSettings(params: Readonly<Record<string, unknown>>): CameraSettings {
  const text = (value: unknown, fallback: string) => (typeof value === 'string' ? value : fallback);
  const number = (value: unknown, fallback: number) => (typeof value === 'number' && Number.isFinite(value) ? value : fallback);
  return {
    preset: text(params.preset, 'static'),
    framing: text(params.framing, 'wide'),
    intensity: number(params.intensity, 0.5),
    easing: text(params.easing, 'linear'),
    seed: number(params.seed, 0),
    keyframes: Array.isArray(params.keyframes) ? (params.keyframes as unknown[]).filter(isKeyframe) : [],
  };
}

/** How long the sketched shot lasts: the keyframes' span, or a few seconds for a preset. */
export function sketchSeconds(settings: CameraSettings): number {
  const last = settings.keyframes.at(-1);
  return last && last.time > 0 ? last.time : PRESET_SECONDS;
}

/** `samples` poses evenly over the shot, computed by the node's own camera path. */
export function sketchPath(settings: CameraSettings, samples = 60): CameraPose[] {
  const seconds = sketchSeconds(settings);
  const camera: CameraValue = {
    kind: 'camera',
    preset: oneOf(CAMERA_PRESETS, settings.preset, 'static'),
    framing: oneOf(CAMERA_FRAMINGS, settings.framing, 'wide'),
    intensity: Math.min(1, Math.max(0, settings.intensity)),
    easing: oneOf(CAMERA_EASINGS, settings.easing, 'linear'),
    seed: settings.seed,
    keyframes: settings.keyframes,
  };
  const fps = samples > 1 ? (samples - 1) / seconds : 1;
  return resolveCameraPath(camera, { fps, frameCount: samples }).map(({ zoom, x, y, roll }) => ({ zoom, x, y, roll }));
}

function oneOf<T extends string>(options: readonly T[], value: string, fallback: T): T {
  return (options as readonly string[]).includes(value) ? (value as T) : fallback;
}

function isKeyframe(value: unknown): value is CameraKeyframe {
  if (typeof value !== 'object' || value === null) return false;
  const record = value as Record<string, unknown>;
  return ['time', 'zoom', 'x', 'y', 'roll'].every((field) => typeof record[field] === 'number' && Number.isFinite(record[field]));
}
