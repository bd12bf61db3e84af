import { describe, expect, it } from 'vitest';
import type { CatalogEntry } from '../catalog/catalog-types.ts';
import { paramLayout } from './widget-registry.ts';

const entry = (params: Record<string, unknown>): CatalogEntry =>
  ({ type: 't', version: 1, title: 'T', category: 'Edit', description: '', device: 'cpu', inputs: {}, outputs: {}, params }) as CatalogEntry;

describe('paramLayout', () => {
  it('draws every param in catalog order when no widget gathers any', () => {
    expect(paramLayout(entry({ a: { kind: 'int' }, b: { kind: 'json', widget: '' }, c: { kind: 'text' } }))).toEqual(['a', 'b', 'c']);
  });

  it('puts the camera path editor where its first gathered param was and drops the gathered rows', () => {
    const camera = entry({
      preset: { kind: 'select' },
      framing: { kind: 'select' },
      intensity: { kind: 'number' },
      easing: { kind: 'select' },
      seed: { kind: 'seed' },
      keyframes: { kind: 'json', widget: 'camera-keyframes' },
    });
    expect(paramLayout(camera)).toEqual(['keyframes', 'seed']);
  });

  it('gathers the shape into the mask painter', () => {
    expect(paramLayout(entry({ model: { kind: 'model' }, shape: { kind: 'select' }, region: { kind: 'json', widget: 'mask-keyframes' }, feather: { kind: 'number' } }))).toEqual([
      'model',
      'region',
      'feather',
    ]);
  });
});
