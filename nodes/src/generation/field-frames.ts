/**
 * What the procedural model needs for each frame of a shot: the prompt's
 * embedding at that moment (a schedule blends two prompts' embeddings, so the
 * look morphs from one to the next) and the camera's matrix.
 */
import { embedPrompt, IDENTITY_MATRIX, mixEmbeddings, type FieldFrame, type PromptEmbedding } from '@reelgraph/models';
import { resolveCameraPath } from '../camera/camera-path.ts';
import { promptAt } from '../prompt/prompt-schedule.ts';
import type { CameraValue, PromptValue } from '../sdk/values.ts';

export interface ShotTiming {
  fps: number;
  frameCount: number;
}

/** Frames in a shot: at least one, however short. */
export function shotFrames(duration: number, fps: number): number {
  return Math.max(1, Math.round(duration * fps));
}

export function fieldFrames(prompt: PromptValue, camera: CameraValue | undefined, timing: ShotTiming): FieldFrame[] {
  const embeddings = new Map<string, PromptEmbedding>();
  const embed = (text: string) => {
    let embedding = embeddings.get(text);
    if (embedding === undefined) {
      embedding = embedPrompt(text, prompt.negative);
      embeddings.set(text, embedding);
    }
    return embedding;
  };
  const matrices = camera ? resolveCameraPath(camera, timing).map((transform) => transform.matrix) : undefined;
  return Array.from({ length: timing.frameCount }, (_, frame) => {
    const blend = promptAt(prompt, frame / timing.fps);
    return {
      embedding: mixEmbeddings(embed(blend.from), embed(blend.to), blend.mix),
      camera: matrices?.[frame] ?? IDENTITY_MATRIX,
    };
  });
}
