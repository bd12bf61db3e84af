import { produce } from 'immer';
import { describe, expect, it } from 'vitest';
import { makeReusable } from './make-reusable.ts';
import { recordExpandedModels } from './record-expanded-models.ts';
import { shotDocument } from './reusable-test-doc.ts';

const paramsOf = (type: string) => (type === 'generate' ? { model: { kind: 'model', default: 'reelgraph/procedural-field' } } : {});
const digestOf = (id: string) => (id === 'reelgraph/procedural-field' ? 'a'.repeat(64) : undefined);

describe('recordExpandedModels', () => {
  it('records the models used inside reusable graphs, and keeps the file as written', () => {
    const doc = produce(shotDocument(), (draft) => void makeReusable(draft, ['prompt', 'camera', 'shot'], { name: 'Shot' }));
    const saved = recordExpandedModels(doc, paramsOf as never, digestOf);
    expect(saved.models).toEqual({ 'reelgraph/procedural-field': { sha256: 'a'.repeat(64) } });
    expect(saved.nodes).toBe(doc.nodes);
    expect(saved.definitions).toBe(doc.definitions);
  });

  it('records a pipeline without uses as before', () => {
    expect(recordExpandedModels(shotDocument(), paramsOf as never, digestOf).models).toEqual({ 'reelgraph/procedural-field': { sha256: 'a'.repeat(64) } });
  });
});
