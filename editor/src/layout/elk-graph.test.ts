import ELK from 'elkjs/lib/elk.bundled.js';
import { describe, expect, it } from 'vitest';
import { testCatalog, testDocument } from '../testing/test-catalog.ts';
import { elkGraph, portId, positionsOf } from './elk-graph.ts';

describe('elkGraph', () => {
  it('gives each node its ports, inputs west and outputs east in catalog order', () => {
    const graph = elkGraph(testDocument(), testCatalog, new Map([['g1', { width: 252, height: 300 }]]));
    const g1 = graph.children!.find((child) => child.id === 'g1')!;
    expect([g1.width, g1.height]).toEqual([252, 300]);
    expect(g1.layoutOptions).toEqual({ 'elk.portConstraints': 'FIXED_ORDER' });
    expect(g1.ports!.map((port) => [port.id, port.layoutOptions!['elk.port.side']])).toEqual([
      [portId('g1', 'in', 'prompt'), 'WEST'],
      [portId('g1', 'in', 'camera'), 'WEST'],
      [portId('g1', 'out', 'video'), 'EAST'],
    ]);
    expect(graph.edges![0]).toMatchObject({ sources: [portId('p1', 'out', 'prompt')], targets: [portId('g1', 'in', 'prompt')] });
  });

  it('lays the pipeline out left to right with ELK', async () => {
    const doc = testDocument();
    const layout = await new ELK().layout(elkGraph(doc, testCatalog, new Map()));
    const positions = positionsOf(layout);
    expect(positions.get('p1')!.x).toBeLessThan(positions.get('g1')!.x);
    expect(positions.get('g1')!.x).toBeLessThan(positions.get('out')!.x);
  });
});
