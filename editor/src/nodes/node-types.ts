import type { NodeTypes } from '@xyflow/react';
import { GroupNode } from '../annotations/GroupNode.tsx';
import { NoteNode } from '../annotations/NoteNode.tsx';
import { PipelineNode } from './PipelineNode.tsx';

/** Declared once at module level: a new object per render would remount every node. */
export const nodeTypes: NodeTypes = { pipeline: PipelineNode, note: NoteNode, 'canvas-group': GroupNode };
