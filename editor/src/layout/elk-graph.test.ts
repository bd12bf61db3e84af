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

  it('stacks the shots feeding a concat in clip order, top to bottom, whatever their order in the file', async () => {
    const shot = (n: number) => [
      { id: `p${n}`, type: 'prompt', params: {}, ui: { x: 0, y: 0 } },
      { id: `g${n}`, type: 'generate', params: {}, ui: { x: 0, y: 0 } },
    ];
    for (const order of [[1, 2], [2, 1]]) {
      const doc = {
        ...testDocument(),
        nodes: [...order.flatMap(shot), { id: 'join', type: 'concat', params: {}, ui: { x: 0, y: 0 } }],
        edges: [1, 2].flatMap((n) => [
          { from: { node: `p${n}`, port: 'prompt' }, to: { node: `g${n}`, port: 'prompt' } },
          { from: { node: `g${n}`, port: 'video' }, to: { node: 'join', port: `clip${n}` } },
        ]),
      };
      const positions = positionsOf(await new ELK().layout(elkGraph(doc, testCatalog, new Map())));
      expect(positions.get('g1')!.y, `file order ${order.join(', ')}`).toBeLessThan(positions.get('g2')!.y);
    }
  });
});

