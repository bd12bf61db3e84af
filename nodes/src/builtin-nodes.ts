import cameraMove from './camera-move.ts';
import prompt from './prompt.ts';
import type { AnyNodeDefinition } from './sdk/define-node.ts';

/** The node kinds every engine starts with, in palette order. */
export const builtinNodes: readonly AnyNodeDefinition[] = [prompt, cameraMove];
