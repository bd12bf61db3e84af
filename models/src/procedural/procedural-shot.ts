/**
 * A shot request as the procedural field's job: each frame's prompt blend
 * becomes the mix of two lexicon embeddings (each text embedded once).
 */
import type { OpenShotOptions, ShotGenerator, ShotRequest } from '../shot-generator.ts';
import { ProceduralField, type FieldFrame } from './procedural-field.ts';
import { embedPrompt, mixEmbeddings, type PromptEmbedding } from './prompt-embedding.ts';

export function openProceduralShot(shot: ShotRequest, options: OpenShotOptions = {}): Promise<ShotGenerator> {
  const { width, height, fps, seed, reference } = shot;
  return ProceduralField.open({ width, height, fps, seed, frames: fieldFramesOf(shot), ...(reference ? { reference } : {}) }, options);
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
