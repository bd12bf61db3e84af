/** A small catalog shaped like the engine's, for unit tests. */
import { indexCatalog, type CatalogEntry } from '../catalog/catalog-types.ts';
import { emptyDocument, type PipelineDocument } from '../document/pipeline-types.ts';

const entry = (partial: Partial<CatalogEntry> & Pick<CatalogEntry, 'type' | 'title'>): CatalogEntry => ({
  version: 1,
  category: 'Input',
  description: '',
  device: 'cpu',
  inputs: {},
  outputs: {},
  params: {},
  ...partial,
});

export const testEntries: CatalogEntry[] = [
  entry({
    type: 'prompt',
    title: 'Prompt',
    description: 'What the shot shows.',
    outputs: { prompt: { type: 'PROMPT' } },
    params: { text: { kind: 'text', default: '' } as never },
  }),
  entry({
    type: 'camera-move',
    title: 'Camera move',
    category: 'Camera',
    outputs: { camera: { type: 'CAMERA' } },
    params: { preset: { kind: 'select', default: 'push-in' } as never, keyframes: { kind: 'json', default: [], widget: 'camera-keyframes' } as never },
  }),
  entry({
    type: 'generate',
    title: 'Generate',
    category: 'Generation',
    device: 'accelerator',
    inputs: { prompt: { type: 'PROMPT', optional: false }, camera: { type: 'CAMERA', optional: true } },
    outputs: { video: { type: 'VIDEO' } },
    params: { width: { kind: 'int', default: 512 } as never, seed: { kind: 'seed', default: 0 } as never },
  }),
  entry({
    type: 'concat',
    title: 'Concat',
    category: 'Edit',
    inputs: { clip1: { type: 'VIDEO', optional: false }, clip2: { type: 'VIDEO', optional: false } },
    outputs: { video: { type: 'VIDEO' } },
    params: { duration: { kind: 'number', default: 0.5 } as never },
  }),
  entry({
    type: 'export',
    title: 'Export',
    category: 'Output',
    inputs: { video: { type: 'VIDEO', optional: false } },
    outputs: { file: { type: 'FILE' } },
    params: { format: { kind: 'select', default: 'mp4' } as never },
  }),
];

export const testCatalog = indexCatalog(testEntries);

/** prompt → generate → export, with a spare generate (g2) unwired. */
export function testDocument(): PipelineDocument {
  return {
    ...emptyDocument('Test'),
    nodes: [
      { id: 'p1', type: 'prompt', params: { text: 'dinosaurs in Paris' }, ui: { x: 0, y: 0 } },
      { id: 'g1', type: 'generate', params: { width: 512 }, ui: { x: 300, y: 0 } },
      { id: 'g2', type: 'generate', params: {}, ui: { x: 300, y: 300 } },
      { id: 'out', type: 'export', params: {}, ui: { x: 600, y: 0 } },
    ],
    edges: [
      { from: { node: 'p1', port: 'prompt' }, to: { node: 'g1', port: 'prompt' } },
      { from: { node: 'g1', port: 'video' }, to: { node: 'out', port: 'video' } },
    ],
  };
}
