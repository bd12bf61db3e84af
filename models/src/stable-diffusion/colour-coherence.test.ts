import { describe, expect, it } from 'vitest';
import { labMoments, matchColours } from './colour-coherence.ts';
import type { RgbImage } from '../frames.ts';

function picture(width: number, height: number, colour: (x: number, y: number) => [number, number, number]): RgbImage {
  const pixels = new Uint8Array(width * height * 3);
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) pixels.set(colour(x, y), (y * width + x) * 3);
  return { width, height, pixels };
}

describe('colour coherence', () => {
  const reference = picture(64, 48, (x, y) => [60 + x * 2, 90 + y, 160 - x]);

  it('moves a drifted frame back to frame 0\'s LAB mean and spread', () => {
    // The same scene gone warmer, darker and flatter, as a long img2img chain drifts.
    const drifted = picture(64, 48, (x, y) => [Math.min(255, 90 + x * 1.5), 80 + y * 0.8, 120 - x * 0.8]);
    const target = labMoments(reference);
    const before = labMoments(drifted);
    const after = labMoments(matchColours(drifted, target));
    for (let c = 0; c < 3; c++) {
      expect(Math.abs(before.mean[c]! - target.mean[c]!) + Math.abs(before.spread[c]! - target.spread[c]!)).toBeGreaterThan(2);
      expect(after.mean[c]).toBeCloseTo(target.mean[c]!, 0);
      expect(after.spread[c]).toBeCloseTo(target.spread[c]!, 0);
    }
  });

  it('leaves a frame that already matches as it was (to rounding), over a 96-frame chain too', () => {
    const target = labMoments(reference);
    let frame = reference;
    for (let i = 0; i < 96; i++) frame = matchColours(frame, target);
    let most = 0;
    for (let i = 0; i < frame.pixels.length; i++) most = Math.max(most, Math.abs(frame.pixels[i]! - reference.pixels[i]!));
    expect(most).toBeLessThanOrEqual(2);
  });
});
