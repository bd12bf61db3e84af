import { describe, expect, it } from 'vitest';
import { fixtureCatalog } from '../testing/fixture-nodes.ts';
import { issuesOf as refusals } from '../testing/issues-of.ts';
import { pipelineOf } from '../testing/pipeline-builder.ts';
import { loadPipelineText, loadPipelineValue } from './load-pipeline.ts';
import type { PipelineIssue } from './pipeline-issue.ts';

const catalog = fixtureCatalog();

const issuesOf = (document: unknown): PipelineIssue[] => refusals(() => loadPipelineValue(document, catalog));
const issuesOfText = (text: string): PipelineIssue[] => refusals(() => loadPipelineText(text, catalog));

describe('validatePipeline', () => {
  it('accepts a well-formed pipeline and applies defaults', () => {
    const { document } = loadPipelineValue(pipelineOf([{ id: 's', type: 'source' }]), catalog);
    expect(document.nodes[0]!.params).toEqual({});
    expect(document.edges).toEqual([]);
    expect(document.assets).toEqual({});
  });

  it('reports malformed JSON with line and column', () => {
    const issues = issuesOfText('{\n  "format": "reelgraph.pipeline",\n  "nodes": [,]\n}');
    expect(issues).toHaveLength(1);
    expect(issues[0]).toMatchObject({ code: 'json', line: 3, column: 13 });
    expect(issues[0]!.message).toMatch(/not valid JSON/);
  });

  it('reports a truncated file at its end', () => {
    const issues = issuesOfText('{\n  "format": "reelgraph.pipeline",');
    expect(issues[0]).toMatchObject({ code: 'json', line: 2 });
  });

  it('refuses __proto__ keys', () => {
    const issues = issuesOfText('{"format":"reelgraph.pipeline","version":1,"nodes":[{"id":"a","type":"source","params":{"__proto__":{"x":1}}}]}');
    expect(issues[0]).toMatchObject({ code: 'json' });
    expect(issues[0]!.message).toMatch(/__proto__/);
  });

  it('refuses a wrong format and says what it expected', () => {
    const issues = issuesOf({ format: 'comfyui.workflow', version: 1, nodes: [] });
    expect(issues).toEqual([expect.objectContaining({ code: 'format' })]);
    expect(issues[0]!.message).toContain('"comfyui.workflow"');
    expect(issues[0]!.message).toContain('"reelgraph.pipeline"');
  });

  it('refuses a newer version with advice', () => {
    const issues = issuesOf({ ...pipelineOf([]), version: 7 });
    expect(issues[0]).toMatchObject({ code: 'version' });
    expect(issues[0]!.message).toMatch(/newer Reelgraph.*Update/);
  });

  it('reports shape problems with their path and node', () => {
    const document = pipelineOf([{ id: 'a', type: 'source' }]);
    (document.nodes[0] as Record<string, unknown>).colour = 'red';
    const issues = issuesOf(document);
    expect(issues[0]).toMatchObject({ code: 'shape', nodeId: 'a' });
    expect(issues[0]!.message).toContain('nodes[0]');
    expect(issues[0]!.message).toContain('colour');
  });

  it('reports duplicate node ids', () => {
    const issues = issuesOf(pipelineOf([{ id: 'a', type: 'source' }, { id: 'a', type: 'source' }]));
    expect(issues).toEqual([expect.objectContaining({ code: 'duplicate-id', nodeId: 'a' })]);
  });

  it('reports an unknown node type and suggests a close one', () => {
    const issues = issuesOf(pipelineOf([{ id: 'a', type: 'sourse' }]));
    expect(issues).toEqual([expect.objectContaining({ code: 'unknown-type', nodeId: 'a' })]);
    expect(issues[0]!.message).toContain('Did you mean "source"?');
  });

  it('reports unknown params, wrong types and out-of-range values at once', () => {
    const issues = issuesOf(
      pipelineOf([
        { id: 'a', type: 'source', params: { txt: 'hi', size: 11 } },
        { id: 'b', type: 'source', params: { text: 5, size: 1.5 } },
        { id: 'j', type: 'join', params: { mode: 'shuffle' } },
      ], ['a.out -> j.a']),
    );
    expect(issues.map((i) => [i.code, i.nodeId, i.param])).toEqual([
      ['unknown-param', 'a', 'txt'],
      ['bad-param', 'a', 'size'],
      ['bad-param', 'b', 'text'],
      ['bad-param', 'b', 'size'],
      ['bad-param', 'j', 'mode'],
    ]);
    expect(issues[0]!.message).toContain('Did you mean "text"?');
    expect(issues[1]!.message).toBe('"size" must be between 0 and 10, not 11.');
    expect(issues[2]!.message).toBe('"text" must be text, not a number.');
    expect(issues[3]!.message).toBe('"size" must be a whole number, not 1.5.');
    expect(issues[4]!.message).toContain('must be one of "join", "reverse"');
  });

  it('reports unknown ports on both ends of a wire', () => {
    const issues = issuesOf(
      pipelineOf([{ id: 's', type: 'source' }, { id: 'j', type: 'join' }], ['s.output -> j.a', 's.out -> j.c']),
    );
    expect(issues.filter((i) => i.code === 'unknown-port')).toEqual([
      expect.objectContaining({ nodeId: 's', port: 'output', edge: 0 }),
      expect.objectContaining({ nodeId: 'j', port: 'c', edge: 1 }),
    ]);
    expect(issues[0]!.message).toContain('its outputs: "out"');
  });

  it('reports a port type mismatch naming both types', () => {
    const issues = issuesOf(pipelineOf([{ id: 's', type: 'source' }, { id: 'k', type: 'video-sink' }], ['s.out -> k.video']));
    const mismatch = issues.find((i) => i.code === 'type-mismatch');
    expect(mismatch).toMatchObject({ nodeId: 'k', port: 'video', edge: 0 });
    expect(mismatch!.message).toBe('Input "video" takes VIDEO, but wire 0 brings PROMPT from "s.out".');
  });

  it('reports a missing required input', () => {
    const issues = issuesOf(pipelineOf([{ id: 'j', type: 'join' }]));
    expect(issues).toEqual([expect.objectContaining({ code: 'missing-input', nodeId: 'j', port: 'a' })]);
    expect(issues[0]!.message).toBe('Input "a" (PROMPT) needs a wire.');
  });

  it('reports two wires into one input', () => {
    const issues = issuesOf(
      pipelineOf([{ id: 's', type: 'source' }, { id: 't', type: 'source' }, { id: 'j', type: 'join' }], ['s.out -> j.a', 't.out -> j.a']),
    );
    expect(issues).toEqual([expect.objectContaining({ code: 'input-taken', nodeId: 'j', port: 'a', edge: 1 })]);
  });

  it('reports an edge to a missing node', () => {
    const issues = issuesOf(pipelineOf([{ id: 's', type: 'source' }], ['s.out -> ghost.a']));
    expect(issues).toEqual([expect.objectContaining({ code: 'missing-node', edge: 0 })]);
    expect(issues[0]!.message).toContain('"ghost"');
  });

  it('reports a cycle and names every node in it', () => {
    const issues = issuesOf(
      pipelineOf(
        [{ id: 's', type: 'source' }, { id: 'a', type: 'join' }, { id: 'b', type: 'join' }, { id: 'c', type: 'join' }],
        ['s.out -> a.b', 'a.out -> b.a', 'b.out -> c.a', 'c.out -> a.a'],
      ),
    );
    expect(issues).toEqual([expect.objectContaining({ code: 'cycle', nodeId: 'a' })]);
    expect(issues[0]!.message).toContain('"a" → "b" → "c" → "a"');
  });

  it('reports a node wired to itself as a cycle', () => {
    const issues = issuesOf(pipelineOf([{ id: 'a', type: 'join' }], ['a.out -> a.a']));
    expect(issues).toEqual([expect.objectContaining({ code: 'cycle', nodeId: 'a' })]);
  });

  it('lists every problem of a hostile file at once', () => {
    const issues = issuesOf(
      pipelineOf(
        [
          { id: 'a', type: 'source', params: { size: -1 } },
          { id: 'a', type: 'source' },
          { id: 'x', type: 'rm -rf' },
          { id: 'k', type: 'video-sink' },
        ],
        ['a.out -> k.video', 'a.out -> nowhere.in'],
      ),
    );
    expect(new Set(issues.map((i) => i.code))).toEqual(
      new Set(['bad-param', 'duplicate-id', 'unknown-type', 'type-mismatch', 'missing-node']),
    );
  });

  it('refuses asset keys that are not sha256 names', () => {
    const issues = issuesOf(pipelineOf([], [], { assets: { 'md5:abc': { name: 'a.png', mime: 'image/png' } } }));
    expect(issues[0]!.code).toBe('shape');
    expect(issues[0]!.message).toContain('sha256');
  });
});
