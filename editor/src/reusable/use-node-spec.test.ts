import { describe, expect, it } from 'vitest';
import { testCatalog } from '../testing/test-catalog.ts';
import { useNodeSpec, withUseEntries, REUSABLE_CATEGORY, type Definitions } from './use-node-spec.ts';

const definitions: Definitions = {
  shot: {
    name: 'Shot',
    nodes: [
      { id: 'p', type: 'prompt', params: { text: 'a fox' } },
      { id: 'g', type: 'generate', params: { seed: 42 } },
    ],
    edges: [{ from: { node: 'p', port: 'prompt' }, to: { node: 'g', port: 'prompt' } }],
    inputs: { camera: { targets: [{ node: 'g', port: 'camera' }] } },
    outputs: { video: { node: 'g', port: 'video' } },
    params: { seed: { targets: [{ node: 'g', param: 'seed' }] }, width: { targets: [{ node: 'g', param: 'width' }] } },
  },
  film: {
    name: 'Film',
    nodes: [
      { id: 'a', type: 'graph:shot', params: {} },
      { id: 'b', type: 'graph:shot', params: {} },
      { id: 'join', type: 'concat', params: {} },
    ],
    edges: [],
    inputs: { look: { targets: [{ node: 'a', port: 'camera' }, { node: 'b', port: 'camera' }] } },
    outputs: { film: { node: 'join', port: 'video' }, first: { node: 'a', port: 'video' } },
    params: { seed: { targets: [{ node: 'a', param: 'seed' }] } },
  },
};

describe('useNodeSpec', () => {
  it('titles the use by the definition and types its ports by the inner ports', () => {
    const entry = useNodeSpec('shot', definitions, testCatalog)!;
    expect(entry.type).toBe('graph:shot');
    expect(entry.title).toBe('Shot');
    expect(entry.category).toBe(REUSABLE_CATEGORY);
    expect(entry.inputs).toEqual({ camera: { type: 'CAMERA', optional: true } });
    expect(entry.outputs).toEqual({ video: { type: 'VIDEO' } });
  });

  it('gives exposed params the inner spec with the inner value (else the spec default) as default', () => {
    const entry = useNodeSpec('shot', definitions, testCatalog)!;
    expect(entry.params.seed).toMatchObject({ kind: 'seed', default: 42 });
    expect(entry.params.width).toMatchObject({ kind: 'int', default: 512 });
  });

  it('resolves nested uses through their own definitions', () => {
    const entry = useNodeSpec('film', definitions, testCatalog)!;
    expect(entry.inputs.look).toEqual({ type: 'CAMERA', optional: true });
    expect(entry.outputs).toEqual({ film: { type: 'VIDEO' }, first: { type: 'VIDEO' } });
    // The nested use's param default is the inner use's default, i.e. the innermost value.
    expect(entry.params.seed).toMatchObject({ kind: 'seed', default: 42 });
    expect(entry.device).toBe('accelerator');
  });

  it('is undefined for a missing definition and stops at a definition that uses itself', () => {
    expect(useNodeSpec('nope', definitions, testCatalog)).toBeUndefined();
    const loop: Definitions = {
      loop: { name: 'Loop', nodes: [{ id: 'x', type: 'graph:loop', params: {} }], edges: [], inputs: {}, outputs: { v: { node: 'x', port: 'v' } }, params: {} },
    };
    expect(useNodeSpec('loop', loop, testCatalog)?.outputs).toEqual({});
  });

  it('adds one entry per definition to the catalog and keeps the engine kinds', () => {
    const merged = withUseEntries(testCatalog, definitions);
    expect(merged.get('graph:shot')?.title).toBe('Shot');
    expect(merged.get('graph:film')?.title).toBe('Film');
    expect(merged.get('prompt')).toBe(testCatalog.get('prompt'));
    expect(withUseEntries(testCatalog, undefined)).toBe(testCatalog);
  });
});
