/**
 * A shot request as the procedural field's job: each frame's prompt blend
 * becomes the mix of two lexicon embeddings (each text embedded once); a
 * first frame is dissolved from into the field.
 */
import { imageAsFrames, type RgbImage } from '../frames.ts';
import { resizeFrames } from '../pixel/resize-frames.ts';
import type { OpenShotOptions, ShotGenerator, ShotRequest } from '../shot-generator.ts';
import { ProceduralField, type FieldFrame } from './procedural-field.ts';
import { embedPrompt, mixEmbeddings, type PromptEmbedding } from './prompt-embedding.ts';

export async function openProceduralShot(shot: ShotRequest, options: OpenShotOptions = {}): Promise<ShotGenerator> {
  const { width, height, fps, seed, reference } = shot;
  const field = await ProceduralField.open({ width, height, fps, seed, frames: fieldFramesOf(shot), ...(reference ? { reference } : {}) }, options);
  return shot.firstFrame ? await dissolvingFrom(field, shot.firstFrame, shot) : field;
}

/** Seconds over which a shot with a first frame dissolves from it into the field. */
export const FIRST_FRAME_DISSOLVE_SECONDS = 1;

/**
 * The field, starting on `first` (fitted, cover) and dissolving into the
 * field's own frames over FIRST_FRAME_DISSOLVE_SECONDS (smoothstep), so a shot
 * picks up exactly where the one before it ended.
 */
async function dissolvingFrom(field: ShotGenerator, first: RgbImage, shot: ShotRequest): Promise<ShotGenerator> {
  const { width, height } = shot;
  const fitted = first.width === width && first.height === height ? first.pixels : (await resizeFrames(imageAsFrames(first), { width, height, fit: 'cover' })).frames;
  const span = Math.max(1, Math.round(FIRST_FRAME_DISSOLVE_SECONDS * shot.fps));
  const frameBytes = width * height * 3;
  return {
    frameCount: field.frameCount,
    framesPerRun: field.framesPerRun,
    async render(start, count) {
      const frames = await field.render(start, count);
      for (let i = 0; i < count; i++) {
        const t = (start + i) / span;
        if (t >= 1) continue;
        const keep = 1 - t * t * (3 - 2 * t);
        const frame = frames.subarray(i * frameBytes, (i + 1) * frameBytes);
        for (let p = 0; p < frameBytes; p++) frame[p] = Math.round(fitted[p]! * keep + frame[p]! * (1 - keep));
      }
      return frames;
    },
  };
}

export function fieldFramesOf(shot: Pick<ShotRequest, 'frames' | 'negative'>): FieldFrame[] {
  const embeddings = new Map<string, PromptEmbedding>();
  const embed = (text: string) => {
    let embedding = embeddings.get(text);
    if (embedding === undefined) {
      embedding = embedPrompt(text, shot.negative ?? '');
      embeddings.set(text, embedding);
    }
    return embedding;
  };
  return shot.frames.map(({ prompt, camera }) => ({ embedding: mixEmbeddings(embed(prompt.from), embed(prompt.to), prompt.mix), camera }));
}
