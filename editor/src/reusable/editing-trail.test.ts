import { produce } from 'immer';
import { describe, expect, it } from 'vitest';
import type { PipelineDocument } from '../document/pipeline-types.ts';
import { inDefinition } from './definition-scope.ts';
import { countUses, openDefinitions, runPathOf, type EditingStep } from './editing-trail.ts';
import { makeReusable } from './make-reusable.ts';
import { shotDocument } from './reusable-test-doc.ts';

/** The first shot made reusable ("Shot", used as node `shot`), and inside it prompt + camera made reusable ("Look", used as `look`). */
function nested(): PipelineDocument {
  const outer = produce(shotDocument(), (draft) => void makeReusable(draft, ['prompt', 'camera', 'shot'], { name: 'Shot', exposeParams: [] }));
  return produce(outer, inDefinition('shot', (draft) => void makeReusable(draft, ['prompt', 'camera'], { name: 'Look', exposeParams: [] })));
}

describe('the open definitions', () => {
  const steps: EditingStep[] = [
    { from: undefined, useId: 'shot' },
    { from: 'shot', useId: 'look' },
  ];

  it('pairs each step with the definition it opened, outermost first', () => {
    expect(openDefinitions(steps, 'look')).toEqual([
      { definition: 'shot', useId: 'shot' },
      { definition: 'look', useId: 'look' },
    ]);
    expect(openDefinitions(steps, undefined)).toEqual([]);
  });

  it('gives an inner node of a nested definition the path the engine reports it under', () => {
    const doc = nested();
    expect(doc.definitions?.shot?.nodes.map((node) => `${node.id}:${node.type}`)).toContain('look:graph:look');
    expect(runPathOf(doc, openDefinitions(steps, 'look'), 'prompt')).toBe('shot/look/prompt');
    expect(runPathOf(doc, openDefinitions(steps.slice(0, 1), 'shot'), 'look')).toBe('shot/look');
  });

  it('has no path when the trail no longer leads through the document', () => {
    const doc = nested();
    const open = openDefinitions(steps, 'look');
    expect(runPathOf(produce(doc, (draft) => void (draft.nodes = draft.nodes.filter((node) => node.id !== 'shot'))), open, 'prompt')).toBeUndefined();
    expect(runPathOf(produce(doc, (draft) => void (draft.definitions!.shot!.nodes.find((node) => node.id === 'look')!.type = 'prompt')), open, 'prompt')).toBeUndefined();
    expect(runPathOf(doc, [], 'prompt')).toBeUndefined();
  });

  it('counts the uses of a definition in the pipeline and inside other definitions', () => {
    const doc = produce(nested(), (draft) => void draft.nodes.push({ id: 'shot-2', type: 'graph:shot', params: {} }));
    expect(countUses(doc, 'shot')).toBe(2);
    expect(countUses(doc, 'look')).toBe(1);
    expect(countUses(doc, 'nothing')).toBe(0);
  });
});
