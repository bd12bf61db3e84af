import type { NodeTypes } from '@xyflow/react';
import { PipelineNode } from './PipelineNode.tsx';

/** Declared once at module level: a new object per render would remount every node. */
export const nodeTypes: NodeTypes = { pipeline: PipelineNode };
