/** What the benchmarks feed nodes: one prompt, one camera move, and a run context for a node run outside the engine (frames kept in memory). */
import { memoryFrameStore, type CameraValue, type PromptValue, type RunContext } from '@reelgraph/nodes';

export const PROMPT: PromptValue = { kind: 'prompt', text: 'sunset over a calm ocean, cinematic', negative: '', schedule: [] };
export const PUSH_IN: CameraValue = { kind: 'camera', preset: 'push-in', framing: 'wide', intensity: 1, easing: 'ease-in-out', seed: 0, keyframes: [] };

export function benchContext(dataDir: string, nodeId = 'bench'): RunContext {
  return {
    nodeId,
    signal: new AbortController().signal,
    progress: () => undefined,
    frames: memoryFrameStore,
    scratchFrames: memoryFrameStore,
    dataDir,
    pipeline: { format: 'reelgraph.pipeline', version: 1, name: 'bench', nodes: [], edges: [] },
  };
}
