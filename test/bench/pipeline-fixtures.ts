/** Large pipelines built from the real node kinds, for benchmarks. */
import { PIPELINE_FORMAT, PIPELINE_VERSION } from '@reelgraph/engine';

type Node = { id: string; type: string; params: Record<string, unknown>; ui: { x: number; y: number } };
type Edge = { from: { node: string; port: string }; to: { node: string; port: string } };

/**
 * `groups` copies of: two clips → concat → export, plus a prompt and a camera
 * move; five nodes and three wires per group, every group with its own params.
 */
export function editingPipeline(groups: number, clip: string) {
  const nodes: Node[] = [];
  const edges: Edge[] = [];
  const wire = (from: string, fromPort: string, to: string, toPort: string) =>
    edges.push({ from: { node: from, port: fromPort }, to: { node: to, port: toPort } });
  for (let g = 0; g < groups; g++) {
    const ui = { x: 0, y: g * 200 };
    nodes.push(
      { id: `a${g}`, type: 'load-video', params: { video: clip, start: 0 }, ui },
      { id: `b${g}`, type: 'load-video', params: { video: clip, start: (g % 10) / 10 }, ui },
      { id: `c${g}`, type: 'concat', params: { transition: 'crossfade', duration: 0.25 + (g % 4) / 8 }, ui },
      { id: `e${g}`, type: 'export', params: { format: 'mp4', filename: `group-${g}` }, ui },
      { id: `p${g}`, type: 'prompt', params: { text: `shot ${g}`, schedule: `0s: dawn ${g} | 2s: dusk ${g}` }, ui },
    );
    wire(`a${g}`, 'video', `c${g}`, 'clip1');
    wire(`b${g}`, 'video', `c${g}`, 'clip2');
    wire(`c${g}`, 'video', `e${g}`, 'video');
  }
  return { format: PIPELINE_FORMAT, version: PIPELINE_VERSION, name: `${groups * 5} nodes`, nodes, edges };
}

/** `count` independent prompt and camera-move nodes: every one a sink, the worst case for a cached run. */
export function sinkPipeline(count: number) {
  const nodes: Node[] = Array.from({ length: count }, (_, i) =>
    i % 2 === 0
      ? { id: `p${i}`, type: 'prompt', params: { text: `a lighthouse at dusk, take ${i}` }, ui: { x: 0, y: i * 50 } }
      : { id: `c${i}`, type: 'camera-move', params: { preset: 'orbit-left', intensity: (i % 10) / 10 }, ui: { x: 300, y: i * 50 } },
  );
  return { format: PIPELINE_FORMAT, version: PIPELINE_VERSION, name: `${count} sinks`, nodes, edges: [] };
}
