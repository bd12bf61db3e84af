import { produce } from 'immer';
import { describe, expect, it } from 'vitest';
import { addNode, removeNodes, setParam } from '../document/node-operations.ts';
import { testCatalog } from '../testing/test-catalog.ts';
import { definitionView, inDefinition } from './definition-scope.ts';
import { makeReusable } from './make-reusable.ts';
import { shotDocument } from './reusable-test-doc.ts';

const reusable = () => produce(shotDocument(), (draft) => void makeReusable(draft, ['prompt', 'camera', 'shot'], { name: 'Shot' }));

describe('definitionView', () => {
  it('shows the definition’s nodes and wires in place of the pipeline’s, and keeps identities', () => {
    const doc = reusable();
    const view = definitionView(doc, 'shot');
    expect(view.nodes).toBe(doc.definitions!.shot!.nodes);
    expect(view.edges).toBe(doc.definitions!.shot!.edges);
    expect(view.definitions).toBe(doc.definitions);
    expect(definitionView(doc, 'missing')).toBe(doc);
  });
});

describe('inDefinition', () => {
  it('applies edits to the definition and leaves the pipeline’s nodes alone', () => {
    const doc = reusable();
    const next = produce(doc, inDefinition('shot', (draft) => setParam(draft, 'prompt', 'text', 'a harbour at night')));
    expect(next.definitions!.shot!.nodes.find((node) => node.id === 'prompt')!.params.text).toBe('a harbour at night');
    expect(next.nodes).toBe(doc.nodes);
  });

  it('writes back lists a recipe replaces (removing nodes filters both lists)', () => {
    const next = produce(reusable(), inDefinition('shot', (draft) => removeNodes(draft, ['camera'])));
    const definition = next.definitions!.shot!;
    expect(definition.nodes.map((node) => node.id)).toEqual(['prompt', 'shot']);
    expect(definition.edges).toEqual([{ from: { node: 'prompt', port: 'prompt' }, to: { node: 'shot', port: 'prompt' } }]);
  });

  it('adds nodes with ids unique within the definition, and does nothing for a missing definition', () => {
    const next = produce(reusable(), inDefinition('shot', (draft) => void addNode(draft, testCatalog.get('prompt')!, { x: 0, y: 0 })));
    expect(next.definitions!.shot!.nodes.map((node) => node.id)).toEqual(['prompt', 'camera', 'shot', 'prompt-2']);
    const doc = reusable();
    expect(produce(doc, inDefinition('gone', (draft) => removeNodes(draft, ['out'])))).toBe(doc);
  });
});
