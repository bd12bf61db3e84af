import { findModel } from '@reelgraph/models';
import { NodeError } from '../sdk/define-node.ts';

/**
 * Checks that the model a node's picker names is installed and is one this
 * version can run: today only the built-in procedural family. `use` finishes
 * "which this version of Reelgraph cannot … yet", e.g. "run" or "inpaint with".
 */
export function requireProceduralModel(id: string, use: string): void {
  const model = findModel(id);
  if (model === undefined) throw new NodeError(`The model "${id}" is not installed; choose another in the model picker.`);
  if (model.family !== 'procedural') {
    throw new NodeError(`The model "${model.id}" is a ${model.family} model, which this version of Reelgraph cannot ${use} yet; choose the built-in model.`);
  }
}
