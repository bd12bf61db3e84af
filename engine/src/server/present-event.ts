/**
 * Engine events as clients receive them: outputs gain the URL that serves
 * them, and a progress preview frame becomes a small JPEG data URL, at most
 * every PREVIEW_INTERVAL_MS per node. Encoding happens off the event path: the
 * plain progress goes out at once, the picture follows when it is ready, with
 * the node's latest counts so that the progress a client sees never goes back.
 */
import { encodeImage, type FileValue, type ImageValue } from '@reelgraph/nodes';
import type { OutputSummary } from '../protocol/protocol.ts';
import type { MediaRegistry } from './media-registry.ts';
import type { PresentEvent } from './run-queue.ts';

export const PREVIEW_INTERVAL_MS = 500;
const PREVIEW_BOX = 256;

/** Turns a preview frame into the data URL clients get. */
export type PreviewEncoder = (image: ImageValue) => Promise<string>;

export function createPresenter(registry: MediaRegistry, warn: (message: string) => void, encode: PreviewEncoder = encodePreview): PresentEvent {
  const lastPreview = new Map<string, number>();
  const latestCounts = new Map<string, { done: number; total: number }>();
  const running = new Set<string>();

  return (event, send) => {
    const nodeKey = `${event.runId}\0${'nodeId' in event ? event.nodeId : ''}`;
    switch (event.type) {
      case 'node.status':
        if (event.state === 'running') running.add(nodeKey);
        else {
          running.delete(nodeKey);
          lastPreview.delete(nodeKey);
          latestCounts.delete(nodeKey);
        }
        return event;
      case 'node.output':
        return { ...event, outputs: registerOutputs(event.key, event.outputs, registry) };
      case 'node.progress': {
        const { preview, ...progress } = event;
        latestCounts.set(nodeKey, { done: progress.done, total: progress.total });
        const now = performance.now();
        if (preview && now - (lastPreview.get(nodeKey) ?? -Infinity) >= PREVIEW_INTERVAL_MS) {
          lastPreview.set(nodeKey, now);
          void encode(preview).then(
            (dataUrl) => {
              if (running.has(nodeKey)) send({ ...progress, ...latestCounts.get(nodeKey), preview: dataUrl });
            },
            (error: Error) => warn(`Could not encode a preview of node "${event.nodeId}": ${error.message}`),
          );
        }
        return progress;
      }
      case 'run.finished':
        return event;
    }
  };
}

async function encodePreview(image: ImageValue): Promise<string> {
  const jpeg = await encodeImage(image, { format: 'jpeg', maxWidth: PREVIEW_BOX, maxHeight: PREVIEW_BOX });
  return `data:image/jpeg;base64,${jpeg.toString('base64')}`;
}

/** Output summaries with the URL that serves each one, registering it; also how a restored run's outputs become servable again. */
export function registerOutputs(key: string, outputs: Record<string, Record<string, unknown>>, registry: MediaRegistry): Record<string, OutputSummary> {
  return Object.fromEntries(
    Object.entries(outputs).map(([port, summary]) => {
      const url =
        summary.kind === 'file'
          ? registry.registerFile(summary as unknown as FileValue)
          : summary.kind === 'video'
            ? registry.registerPreview(key, port, 'mp4')
            : summary.kind === 'image'
              ? registry.registerPreview(key, port, 'png')
              : undefined;
      return [port, { ...(summary as OutputSummary), ...(url ? { url } : {}) }];
    }),
  );
}
