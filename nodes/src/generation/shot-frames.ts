/**
 * What a shot needs for each frame, in family-neutral terms: the prompt at
 * that moment (a schedule moves from one prompt to the next) and the
 * camera's matrix. The model family turns the text into its conditioning.
 */
import { IDENTITY_MATRIX, type ShotFrame } from '@reelgraph/models';
import { resolveCameraPath } from '../camera/camera-path.ts';
import { promptAt } from '../prompt/prompt-schedule.ts';
import type { CameraValue, PromptValue } from '../sdk/values.ts';

export interface ShotTiming {
  fps: number;
  frameCount: number;
}

/** Frames in a shot: at least one, however short. */
export function shotFrameCount(duration: number, fps: number): number {
  return Math.max(1, Math.round(duration * fps));
}

export function shotFrames(prompt: PromptValue, camera: CameraValue | undefined, timing: ShotTiming): ShotFrame[] {
  const matrices = camera ? resolveCameraPath(camera, timing).map((transform) => transform.matrix) : undefined;
  return Array.from({ length: timing.frameCount }, (_, frame) => ({
    prompt: promptAt(prompt, frame / timing.fps),
    camera: matrices?.[frame] ?? IDENTITY_MATRIX,
  }));
}
