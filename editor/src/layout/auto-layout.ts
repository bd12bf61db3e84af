/** Auto-layout through the ELK worker: one worker per page, started on first use. */
import type { ElkNode } from 'elkjs/lib/elk-api.js';
import type { Catalog } from '../catalog/catalog-types.ts';
import type { PipelineDocument } from '../document/pipeline-types.ts';
import { elkGraph, positionsOf, type Size } from './elk-graph.ts';

type Reply = { id: number; result: ElkNode } | { id: number; error: string };

let worker: Worker | undefined;
let requestCount = 0;
const pending = new Map<number, { resolve: (layout: ElkNode) => void; reject: (error: Error) => void }>();

function layoutWorker(): Worker {
  if (worker) return worker;
  worker = new Worker(new URL('./elk-worker.ts', import.meta.url), { type: 'module' });
  worker.addEventListener('message', (event: MessageEvent<Reply>) => {
    const request = pending.get(event.data.id);
    pending.delete(event.data.id);
    if (!request) return;
    if ('error' in event.data) request.reject(new Error(`Auto-layout failed: ${event.data.error}`));
    else request.resolve(event.data.result);
  });
  return worker;
}

export async function autoLayout(
  doc: PipelineDocument,
  catalog: Catalog,
  sizes: ReadonlyMap<string, Size>,
): Promise<Map<string, { x: number; y: number }>> {
  requestCount += 1;
  const id = requestCount;
  const graph = elkGraph(doc, catalog, sizes);
  const layout = await new Promise<ElkNode>((resolve, reject) => {
    pending.set(id, { resolve, reject });
    layoutWorker().postMessage({ id, graph });
  });
  return positionsOf(layout);
}
