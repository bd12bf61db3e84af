import { produce } from 'immer';
import { describe, expect, it } from 'vitest';
import type { PipelineIssue } from '../document/pipeline-types.ts';
import { setParam } from '../document/node-operations.ts';
import { testCatalog, testDocument } from '../testing/test-catalog.ts';
import { issuesByNode, syncFlowNodes, toFlowEdges } from './flow-mapping.ts';
import { PORT_COLORS } from './port-colors.ts';

const noIssues = { issues: new Map() };

describe('syncFlowNodes', () => {
  it('maps document nodes to flow nodes with positions and accessible names', () => {
    const nodes = syncFlowNodes([], testDocument(), testCatalog, noIssues);
    expect(nodes.map((node) => [node.id, node.type, node.position, node.ariaLabel])).toEqual([
      ['p1', 'pipeline', { x: 0, y: 0 }, 'Prompt (p1)'],
      ['g1', 'pipeline', { x: 300, y: 0 }, 'Generate (g1)'],
      ['g2', 'pipeline', { x: 300, y: 300 }, 'Generate (g2)'],
      ['out', 'pipeline', { x: 600, y: 0 }, 'Export (out)'],
    ]);
  });

  it('reuses the flow node of every document node that did not change', () => {
    const doc = testDocument();
    const first = syncFlowNodes([], doc, testCatalog, noIssues);
    const edited = produce(doc, (draft) => setParam(draft, 'g1', 'width', 1024));
    const second = syncFlowNodes(first, edited, testCatalog, noIssues);
    expect(second[0]).toBe(first[0]);
    expect(second[1]).not.toBe(first[1]);
    expect(second[1]!.data.node.params.width).toBe(1024);
  });

  it('keeps what only the canvas knows: selection, measured size, and the position of a node being dragged', () => {
    const doc = testDocument();
    const first = syncFlowNodes([], doc, testCatalog, noIssues).map((node) =>
      node.id === 'g1' ? { ...node, selected: true, measured: { width: 252, height: 180 }, dragging: true, position: { x: 333, y: 44 } } : node,
    );
    const edited = produce(doc, (draft) => setParam(draft, 'g1', 'width', 64));
    const g1 = syncFlowNodes(first, edited, testCatalog, noIssues)[1]!;
    expect(g1).toMatchObject({ selected: true, measured: { width: 252, height: 180 }, position: { x: 333, y: 44 } });
  });

  it('replaces the selection when asked (after a paste)', () => {
    const first = syncFlowNodes([], testDocument(), testCatalog, noIssues).map((node) => ({ ...node, selected: node.id === 'p1' }));
    const next = syncFlowNodes(first, testDocument(), testCatalog, { ...noIssues, select: new Set(['g2']) });
    expect(next.filter((node) => node.selected).map((node) => node.id)).toEqual(['g2']);
  });
});

describe('toFlowEdges', () => {
  it('colours each wire by the type of its output port', () => {
    const edges = toFlowEdges(testDocument(), testCatalog, new Set(['g1.video->out.video']));
    expect(edges.map((edge) => [edge.id, edge.style?.stroke, edge.selected])).toEqual([
      ['p1.prompt->g1.prompt', PORT_COLORS.PROMPT, false],
      ['g1.video->out.video', PORT_COLORS.VIDEO, true],
    ]);
  });
});

describe('issuesByNode', () => {
  it('groups issues per node and keeps the array of a node whose issues did not change', () => {
    const issue = (nodeId: string, message: string): PipelineIssue => ({ code: 'bad-param', nodeId, param: 'width', message });
    const first = issuesByNode([issue('g1', 'too wide'), issue('g2', 'too narrow'), { code: 'format', message: 'global' }]);
    expect([...first.keys()]).toEqual(['g1', 'g2']);
    const second = issuesByNode([issue('g1', 'too wide'), issue('g2', 'still too narrow')], first);
    expect(second.get('g1')).toBe(first.get('g1'));
    expect(second.get('g2')).not.toBe(first.get('g2'));
  });

  it('puts problems of nodes inside a reusable graph on the use node', () => {
    const grouped = issuesByNode([{ code: 'bad-param', nodeId: 'film/a/gen', param: 'seed', message: 'bad seed' }]);
    expect([...grouped.keys()]).toEqual(['film']);
  });
});
