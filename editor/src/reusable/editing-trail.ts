/**
 * Which definitions are open, one inside another: a person opens a use's
 * definition, then a use inside it, and so on. Each step remembers the use it
 * was opened from, so Done goes back one level, the banner shows the chain,
 * and the canvas shows the run state of the very use that was opened (the
 * engine reports expanded nodes by their path of use ids).
 */
import { definitionIdOf, GRAPH_TYPE_PREFIX, isGraphUse, PATH_SEPARATOR } from '@reelgraph/engine/reusable-graphs';
import type { PipelineDocument } from '../document/pipeline-types.ts';

/** One step in: the definition that was open (undefined: the pipeline) and the use there whose definition was opened. */
export interface EditingStep {
  from: string | undefined;
  useId: string;
}

/** One open definition, outermost first, with the use (in the level above) it was opened from. */
export interface OpenDefinition {
  definition: string;
  useId: string;
}

/** The open definitions, outermost first: each step's use opened the next step's `from`, the last one `editing`. */
export function openDefinitions(steps: readonly EditingStep[], editing: string | undefined): OpenDefinition[] {
  if (editing === undefined) return [];
  return steps.map((step, index) => ({ definition: steps[index + 1]?.from ?? editing, useId: step.useId }));
}

/**
 * The expanded id the engine reports `nodeId` of the innermost open definition
 * under, or undefined when the trail no longer leads there through the
 * document (something it went through was removed or changed).
 */
export function runPathOf(doc: PipelineDocument, open: readonly OpenDefinition[], nodeId: string): string | undefined {
  if (open.length === 0) return undefined;
  let level = doc.nodes;
  for (const { definition, useId } of open) {
    const use = level.find((node) => node.id === useId);
    if (!use || !isGraphUse(use.type) || definitionIdOf(use.type) !== definition) return undefined;
    const next = doc.definitions?.[definition];
    if (!next) return undefined;
    level = next.nodes;
  }
  return [...open.map((step) => step.useId), nodeId].join(PATH_SEPARATOR);
}

/** How many nodes use definition `id`, in the pipeline and inside every definition. */
export function countUses(doc: PipelineDocument, id: string): number {
  const type = `${GRAPH_TYPE_PREFIX}${id}`;
  const levels = [doc.nodes, ...Object.values(doc.definitions ?? {}).map((definition) => definition.nodes)];
  return levels.reduce((sum, nodes) => sum + nodes.filter((node) => node.type === type).length, 0);
}
