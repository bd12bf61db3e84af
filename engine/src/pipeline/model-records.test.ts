import { describe, expect, it } from 'vitest';
import { checkModelRecords, modelUses, recordModels, type ParamKinds } from './model-records.ts';

const kinds: Record<string, Record<string, { kind: string; default?: unknown }>> = {
  generate: { model: { kind: 'model', default: 'builtin/field' }, seed: { kind: 'seed', default: 0 } },
  upscale: { model: { kind: 'model', default: 'builtin/esrgan' } },
  prompt: { text: { kind: 'text', default: '' } },
};
const paramsOf: ParamKinds = (type) => kinds[type];

const digests: Record<string, string> = { 'builtin/field': 'a'.repeat(64), 'builtin/esrgan': 'b'.repeat(64), 'me/sd-turbo': 'c'.repeat(64) };
const digestOf = (id: string) => digests[id];

const doc = (models?: Record<string, { sha256: string }>) => ({
  nodes: [
    { id: 'p', type: 'prompt', params: {} },
    { id: 'g1', type: 'generate', params: {} },
    { id: 'g2', type: 'generate', params: { model: 'me/sd-turbo' } },
    { id: 'u', type: 'upscale', params: { model: 'builtin/esrgan' } },
  ],
  ...(models ? { models } : {}),
});

describe('model records', () => {
  it('finds every model param, taking the default where the node leaves it out', () => {
    expect(modelUses(doc(), paramsOf)).toEqual([
      { modelId: 'builtin/field', nodeId: 'g1', param: 'model' },
      { modelId: 'me/sd-turbo', nodeId: 'g2', param: 'model' },
      { modelId: 'builtin/esrgan', nodeId: 'u', param: 'model' },
    ]);
  });

  it('records exactly the models in use with the installed digests; one not installed keeps what the file said', () => {
    const stale = { 'old/unused': { sha256: 'd'.repeat(64) }, 'me/sd-turbo': { sha256: 'e'.repeat(64) } };
    const recorded = recordModels(doc(stale), paramsOf, (id) => (id === 'me/sd-turbo' ? undefined : digestOf(id)));
    expect(recorded.models).toEqual({
      'builtin/field': { sha256: 'a'.repeat(64) },
      'me/sd-turbo': { sha256: 'e'.repeat(64) },
      'builtin/esrgan': { sha256: 'b'.repeat(64) },
    });
    expect(recordModels({ nodes: [{ id: 'p', type: 'prompt', params: {} }], models: stale }, paramsOf, digestOf)).not.toHaveProperty('models');
  });

  it('names each node whose installed model has other weights than the file records, and how to get them', () => {
    expect(checkModelRecords(doc({ 'builtin/field': { sha256: 'a'.repeat(64) } }), paramsOf, digestOf)).toEqual([]);
    const issues = checkModelRecords(doc({ 'me/sd-turbo': { sha256: 'f'.repeat(64) } }), paramsOf, digestOf);
    expect(issues).toHaveLength(1);
    expect(issues[0]).toMatchObject({ code: 'model', nodeId: 'g2', param: 'model' });
    expect(issues[0]!.message).toContain('"model" is "me/sd-turbo", but not the weights this pipeline was made with (it records ffffffffffff…, the installed ones are cccccccccccc…)');
    expect(issues[0]!.message).toContain('`reelgraph models pull me/sd-turbo`');
    // A model that is not installed at all is the model param's own issue, not this one.
    expect(checkModelRecords(doc({ 'me/sd-turbo': { sha256: 'f'.repeat(64) } }), paramsOf, () => undefined)).toEqual([]);
  });
});
