import { useCallback, useSyncExternalStore } from 'react';
import type { OutputSummary } from '@reelgraph/engine';
import { useCatalog, useEditor, useNodeRun } from '../app/editor-context.ts';

const FRAME_TYPES = ['VIDEO', 'IMAGE'];

/** The picture feeding this node (its first wired VIDEO or IMAGE input), once the upstream node has a result. */
export function useUpstreamMedia(nodeId: string): OutputSummary | undefined {
  const { document } = useEditor();
  const catalog = useCatalog();
  const read = useCallback(() => {
    const doc = document.getSnapshot();
    const node = doc.nodes.find((candidate) => candidate.id === nodeId);
    const inputs = Object.entries(catalog.get(node?.type ?? '')?.inputs ?? {});
    for (const type of FRAME_TYPES) {
      for (const [port, spec] of inputs) {
        if (spec.type !== type) continue;
        const edge = doc.edges.find((candidate) => candidate.to.node === nodeId && candidate.to.port === port);
        if (edge) return `${edge.from.node}\u0000${edge.from.port}`;
      }
    }
    return '';
  }, [document, catalog, nodeId]);
  const source = useSyncExternalStore(document.subscribe, read);
  const [upstreamId, port] = source === '' ? [undefined, undefined] : source.split('\u0000');
  const run = useNodeRun(upstreamId);
  return port !== undefined ? run.outputs?.[port] : undefined;
}
