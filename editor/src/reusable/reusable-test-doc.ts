/** prompt + camera → generate → export: the first-shot shape, for the reusable-graph tests. */
import { emptyDocument, type PipelineDocument } from '../document/pipeline-types.ts';

export function shotDocument(): PipelineDocument {
  return {
    ...emptyDocument('Shot'),
    nodes: [
      { id: 'prompt', type: 'prompt', params: { text: 'a lighthouse at dusk' }, ui: { x: 0, y: 0 } },
      { id: 'camera', type: 'camera-move', params: { preset: 'orbit' }, ui: { x: 0, y: 200 } },
      { id: 'shot', type: 'generate', params: { seed: 7 }, ui: { x: 300, y: 100 } },
      { id: 'out', type: 'export', params: {}, ui: { x: 600, y: 100 } },
    ],
    edges: [
      { from: { node: 'prompt', port: 'prompt' }, to: { node: 'shot', port: 'prompt' } },
      { from: { node: 'camera', port: 'camera' }, to: { node: 'shot', port: 'camera' } },
      { from: { node: 'shot', port: 'video' }, to: { node: 'out', port: 'video' } },
    ],
  };
}
