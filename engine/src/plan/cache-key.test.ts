import { describe, expect, it } from 'vitest';
import { Catalog } from '../catalog.ts';
import { loadPipelineValue } from '../pipeline/load-pipeline.ts';
import { fixtureCatalog } from '../testing/fixture-nodes.ts';
import { pipelineOf } from '../testing/pipeline-builder.ts';
import { canonicalJson } from './canonical-json.ts';
import { cacheKey } from './cache-key.ts';
import { PipelineGraph } from './pipeline-graph.ts';
import { computeKeys } from './plan-run.ts';
import { withDefaults } from '../pipeline/validate-pipeline.ts';

const catalog = fixtureCatalog();

function keysOf(document: unknown, using: Catalog = catalog): Map<string, string> {
  const { document: doc } = loadPipelineValue(document, using);
  const params = new Map(doc.nodes.map((n) => [n.id, withDefaults(n.params, using.get(n.type)!.params)]));
  return computeKeys(new PipelineGraph(doc), using, params);
}

const chain = (sourceParams: Record<string, unknown> = {}, joinParams: Record<string, unknown> = {}) =>
  pipelineOf(
    [
      { id: 's', type: 'source', params: sourceParams, ui: { x: 0, y: 0 } },
      { id: 'j', type: 'join', params: joinParams, ui: { x: 100, y: 0 } },
    ],
    ['s.out -> j.a'],
  );

describe('canonicalJson', () => {
  it('sorts keys at every depth and drops undefined', () => {
    expect(canonicalJson({ b: 1, a: { d: [2, { f: 1, e: 0 }], c: undefined } })).toBe('{"a":{"d":[2,{"e":0,"f":1}]},"b":1}');
  });
  it('treats -0 as 0 and refuses NaN', () => {
    expect(canonicalJson(-0)).toBe('0');
    expect(() => canonicalJson(Number.NaN)).toThrow(/non-finite/);
  });
});

describe('cache keys', () => {
  it('ignore node ids, titles and positions', () => {
    const moved = pipelineOf(
      [
        { id: 'other', type: 'source', title: 'Renamed', ui: { x: 500, y: 9 } },
        { id: 'j2', type: 'join', ui: { x: -3, y: 4 } },
      ],
      ['other.out -> j2.a'],
    );
    const a = keysOf(chain());
    const b = keysOf(moved);
    expect(b.get('other')).toBe(a.get('s'));
    expect(b.get('j2')).toBe(a.get('j'));
  });

  it('treat an explicit default like a missing param', () => {
    expect(keysOf(chain({ text: 'x', size: 1 }))).toEqual(keysOf(chain()));
  });

  it('change with any param, and the change flows downstream only', () => {
    const base = keysOf(chain());
    const sourceChanged = keysOf(chain({ size: 2 }));
    expect(sourceChanged.get('s')).not.toBe(base.get('s'));
    expect(sourceChanged.get('j')).not.toBe(base.get('j'));
    const joinChanged = keysOf(chain({}, { separator: '-' }));
    expect(joinChanged.get('s')).toBe(base.get('s'));
    expect(joinChanged.get('j')).not.toBe(base.get('j'));
  });

  it('change when a wire moves to another input', () => {
    const other = pipelineOf(
      [{ id: 's', type: 'source' }, { id: 't', type: 'source', params: { text: 'y' } }, { id: 'j', type: 'join' }],
      ['s.out -> j.a', 't.out -> j.b'],
    );
    const swapped = pipelineOf(
      [{ id: 's', type: 'source' }, { id: 't', type: 'source', params: { text: 'y' } }, { id: 'j', type: 'join' }],
      ['t.out -> j.a', 's.out -> j.b'],
    );
    expect(keysOf(other).get('j')).not.toBe(keysOf(swapped).get('j'));
  });

  it('change with the node version', () => {
    const definitions = catalog.types.map((t) => catalog.get(t)!);
    const bumped = new Catalog(definitions.map((d) => (d.type === 'source' ? { ...d, version: 2 } : d)));
    expect(keysOf(chain(), bumped).get('s')).not.toBe(keysOf(chain()).get('s'));
  });

  it('include file content, not file names', () => {
    const parts = { type: 't', version: 1, inputs: [] };
    expect(cacheKey({ ...parts, params: { image: { sha256: 'aa' } } })).not.toBe(cacheKey({ ...parts, params: { image: { sha256: 'bb' } } }));
  });

  it('are fresh every run for non-deterministic nodes, and so downstream', () => {
    const document = pipelineOf([{ id: 'r', type: 'random' }, { id: 'j', type: 'join' }], ['r.out -> j.a']);
    const first = keysOf(document);
    const second = keysOf(document);
    expect(first.get('r')).not.toBe(second.get('r'));
    expect(first.get('j')).not.toBe(second.get('j'));
  });
});
