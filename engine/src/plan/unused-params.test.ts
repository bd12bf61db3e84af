/**
 * Params a wired input makes unused (`unusedWhenWired`) stay out of the
 * cache key: moving inpaint's own region while a mask is wired, or resizing a
 * mask that follows a wired video, re-renders nothing.
 */
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PROCEDURAL_MODEL, registerModel, unregisterModel } from '@reelgraph/models';
import { builtinNodes } from '@reelgraph/nodes';
import { describe, expect, it } from 'vitest';
import { Catalog } from '../catalog.ts';
import { AssetStore } from '../pipeline/asset-store.ts';
import { loadPipelineValue } from '../pipeline/load-pipeline.ts';
import { resolveParams } from '../pipeline/resolve-params.ts';
import { pipelineOf } from '../testing/pipeline-builder.ts';
import { computeKeys } from './plan-run.ts';
import { PipelineGraph } from './pipeline-graph.ts';

const catalog = new Catalog(builtinNodes);

async function keysOf(document: unknown): Promise<Map<string, string>> {
  const { document: loaded } = loadPipelineValue(document, catalog);
  const { params, issues } = await resolveParams(loaded, catalog, { baseDir: undefined, store: new AssetStore(path.join(tmpdir(), 'reelgraph-unused-params')) });
  expect(issues).toEqual([]);
  return computeKeys(new PipelineGraph(loaded), catalog, params);
}

const region = (x: number) => [{ time: 0, x, y: 0.5, width: 0.3, height: 0.3 }];

function inpaint(x: number, maskWired: boolean, feather = 12) {
  return pipelineOf(
    [
      { id: 'p', type: 'prompt', params: { text: 'a calm ocean at sunset' } },
      { id: 'shot', type: 'generate', params: { width: 64, height: 64, duration: 0.5, fps: 8 } },
      { id: 'mask', type: 'mask', params: {} },
      { id: 'fill', type: 'inpaint', params: { region: region(x), shape: x > 0.5 ? 'rectangle' : 'ellipse', feather } },
    ],
    ['p.prompt -> shot.prompt', 'shot.video -> fill.video', 'p.prompt -> fill.prompt', ...(maskWired ? ['shot.video -> mask.video', 'mask.mask -> fill.mask'] : [])],
  );
}

function shot(model: string, steps: number) {
  return pipelineOf(
    [
      { id: 'p', type: 'prompt', params: { text: 'a kite over a beach' } },
      { id: 'shot', type: 'generate', params: { model, width: 64, height: 64, duration: 0.5, fps: 8, steps } },
    ],
    ['p.prompt -> shot.prompt'],
  );
}

describe('params only another model family uses', () => {
  it('leave the key for other families, and count for theirs', async () => {
    const [a, b] = await Promise.all([keysOf(shot(PROCEDURAL_MODEL.id, 0)), keysOf(shot(PROCEDURAL_MODEL.id, 8))]);
    expect(a.get('shot')).toBe(b.get('shot'));
    registerModel({ ...PROCEDURAL_MODEL, id: 'test/diffusion-keys', family: 'diffusion', files: [{ path: 'model_index.json', sha256: '1'.repeat(64), bytes: 2 }] });
    try {
      const [c, d] = await Promise.all([keysOf(shot('test/diffusion-keys', 0)), keysOf(shot('test/diffusion-keys', 8))]);
      expect(c.get('shot')).not.toBe(d.get('shot'));
    } finally {
      unregisterModel('test/diffusion-keys');
    }
  });
});

describe('params a wired input makes unused', () => {
  it('leave the key when the input is wired, and count when it is not', async () => {
    const [a, b] = await Promise.all([keysOf(inpaint(0.3, true)), keysOf(inpaint(0.7, true))]);
    expect(a.get('fill')).toBe(b.get('fill'));
    const [c, d] = await Promise.all([keysOf(inpaint(0.3, false)), keysOf(inpaint(0.7, false))]);
    expect(c.get('fill')).not.toBe(d.get('fill'));
    // A param the wire does not make unused still counts.
    expect((await keysOf(inpaint(0.3, true, 30))).get('fill')).not.toBe(a.get('fill'));
  });

  it('name inputs their node has', () => {
    for (const node of builtinNodes) {
      for (const [name, spec] of Object.entries(node.params as Record<string, { unusedWhenWired?: string }>)) {
        if (spec.unusedWhenWired) expect(Object.keys(node.inputs), `${node.type}.${name}`).toContain(spec.unusedWhenWired);
      }
    }
  });
});
