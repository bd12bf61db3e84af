import { describe, expect, it } from 'vitest';
import { findModel, listModels, registerModel, type ModelManifest } from './model-manifest.ts';
import { PROCEDURAL_MODEL } from './procedural/procedural-manifest.ts';

describe('model manifests', () => {
  it('always knows the built-in procedural model, and says plainly what it is', () => {
    expect(findModel('reelgraph/procedural-field')).toBe(PROCEDURAL_MODEL);
    expect(PROCEDURAL_MODEL).toMatchObject({ family: 'procedural', files: [] });
    expect(PROCEDURAL_MODEL.description).toMatch(/not a trained text-to-video model/);
    expect(listModels('inpaint')[0]).toBe(PROCEDURAL_MODEL);
  });

  it('registers installed models and lists them by task', () => {
    const turbo: ModelManifest = {
      id: 'test/tiny-diffusion',
      name: 'Tiny diffusion',
      family: 'diffusion',
      tasks: ['text-to-video'],
      description: 'A test model.',
      licence: 'MIT',
      source: 'made by the test',
      files: [],
    };
    expect(findModel(turbo.id)).toBeUndefined();
    registerModel(turbo);
    expect(findModel(turbo.id)).toBe(turbo);
    expect(listModels('text-to-video').map((m) => m.id)).toContain(turbo.id);
    expect(listModels('inpaint').map((m) => m.id)).not.toContain(turbo.id);
    expect(() => registerModel({ ...turbo, id: PROCEDURAL_MODEL.id })).toThrow(/built-in model's id/);
  });
});
