import { builtinNodes } from '@reelgraph/nodes';
import { describe, expect, it } from 'vitest';
import { Catalog } from '../catalog.ts';
import { fixtureCatalog } from '../testing/fixture-nodes.ts';
import { issuesOf } from '../testing/issues-of.ts';
import { pipelineOf } from '../testing/pipeline-builder.ts';
import { loadPipelineText, loadPipelineValue } from './load-pipeline.ts';
import type { PipelineIssue } from './pipeline-issue.ts';
import { PIPELINE_LIMITS, structureProblem } from './pipeline-limits.ts';

const catalog = fixtureCatalog();

/** The issues of loading a document both ways it can arrive: as a file's text, and as a value (a socket message). */
function issuesBothWays(document: unknown, text = JSON.stringify(document)): { fromText: PipelineIssue[]; fromValue: PipelineIssue[] } {
  return { fromText: issuesOf(() => loadPipelineText(text, catalog)), fromValue: issuesOf(() => loadPipelineValue(JSON.parse(text), catalog)) };
}

function nested(depth: number): unknown {
  let value: unknown = {};
  for (let i = 0; i < depth; i++) value = { a: value };
  return value;
}

describe('one set of limits for every way a pipeline arrives', () => {
  it('refuses a ui object nested 200,000 deep, the same way from text and from a value', () => {
    const deep = '{"a":'.repeat(200_000) + '{}' + '}'.repeat(200_000);
    const text = `{"format":"reelgraph.pipeline","version":1,"nodes":[{"id":"s","type":"source","ui":{"x":0,"y":0,"extra":${deep}}}]}`;
    const { fromText, fromValue } = issuesBothWays(undefined, text);
    expect(fromText).toEqual(fromValue);
    // A long path keeps its start and its end.
    const path = `nodes[0].ui.extra${'.a'.repeat(60)}`;
    expect(fromText).toEqual([
      { code: 'json', message: `The pipeline nests deeper than ${PIPELINE_LIMITS.depth} levels (at "${path.slice(0, 44)}…${path.slice(-15)}"); a pipeline is never that deep.` },
    ]);
  });

  it('accepts nesting up to the limit and refuses one level more', () => {
    // The document is level 1 and nodes[0].ui.extra level 5: extra holds this many more.
    const at = (levels: number) => pipelineOf([{ id: 's', type: 'source', ui: { x: 0, y: 0, extra: nested(levels) } as never }]);
    expect(issuesBothWays(at(PIPELINE_LIMITS.depth - 5))).toEqual({ fromText: [], fromValue: [] });
    expect(issuesBothWays(at(PIPELINE_LIMITS.depth - 4)).fromValue[0]!.message).toMatch(/^The pipeline nests deeper than 64 levels/);
  });

  it('refuses "__proto__" keys anywhere instead of dropping them silently', () => {
    for (const text of [
      '{"format":"reelgraph.pipeline","version":1,"nodes":[{"id":"s","type":"source","ui":{"x":0,"y":0,"__proto__":{"polluted":true}}}]}',
      '{"format":"reelgraph.pipeline","version":1,"__proto__":{"nodes":[]},"nodes":[]}',
      '{"format":"reelgraph.pipeline","version":1,"nodes":[{"id":"s","type":"source","params":{"__proto__":{"text":"y"}}}]}',
    ]) {
      const { fromText, fromValue } = issuesBothWays(undefined, text);
      expect(fromText).toEqual(fromValue);
      expect(fromText).toHaveLength(1);
      expect(fromText[0]!.message).toMatch(/^The pipeline uses the reserved key "__proto__" \(at "[^"]*__proto__"\); remove it\.$/);
    }
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('refuses a value over the size limit that never was text', () => {
    const big = pipelineOf([{ id: 's', type: 'source' }], [], {
      assets: { [`sha256:${'a'.repeat(64)}`]: { name: 'x.png', mime: 'image/png', data: 'A'.repeat(PIPELINE_LIMITS.fileBytes) } },
    });
    expect(() => loadPipelineValue(big, catalog)).toThrow('The pipeline is larger than 32 MiB; embed fewer assets or reference files beside it.');
    expect(() => loadPipelineText(JSON.stringify(big), catalog)).toThrow('The pipeline is larger than 32 MiB');
  });

  it('walks wide documents without recursion or quadratic cost', () => {
    const wide = { list: Array.from({ length: 200_000 }, (_, i) => ({ i })) };
    expect(structureProblem(wide)).toBeUndefined();
    expect(structureProblem(wide, { what: 'The message', depth: 1 })).toBe(
      'The message nests deeper than 1 levels (at "list"); a pipeline is never that deep.',
    );
  });
});

describe('required params', () => {
  const builtin = new Catalog(builtinNodes);
  const issues = (document: unknown) => issuesOf(() => loadPipelineValue(document, builtin));

  it('refuses an absent file, naming node and param, as it refuses an empty one', () => {
    const absent = issues(pipelineOf([{ id: 'photo', type: 'reference-image' }, { id: 'clip', type: 'load-video' }]));
    expect(absent).toEqual([
      { code: 'bad-param', nodeId: 'photo', param: 'image', message: '"image" is missing and needs a file: choose one.' },
      { code: 'bad-param', nodeId: 'clip', param: 'video', message: '"video" is missing and needs a file: choose one.' },
    ]);
    const empty = issues(pipelineOf([{ id: 'photo', type: 'reference-image', params: { image: '' } }]));
    expect(empty).toEqual([{ code: 'bad-param', nodeId: 'photo', param: 'image', message: '"image" needs a file: choose one.' }]);
  });

  it('lets optional params stay absent', () => {
    expect(issues(pipelineOf([{ id: 'c', type: 'camera-move' }]))).toEqual([]);
  });
});
