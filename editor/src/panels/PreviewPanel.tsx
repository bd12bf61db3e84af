import type { OutputSummary } from '@reelgraph/engine';
import { formatBytes } from '@reelgraph/engine/format-bytes';
import { useCallback, useEffect, useState, useSyncExternalStore } from 'react';
import { useCatalog, useEditor, useNodeRun, useSelection } from '../app/editor-context.ts';
import { engineUrl } from '../engine/engine-url.ts';
import { displayTitle } from '../graph/connection-check.ts';
import { mediaOutput } from '../nodes/NodePreview.tsx';
import { StatusBadge } from '../nodes/StatusBadge.tsx';
import { Icon } from './Icon.tsx';
import { MediaPlayer } from './MediaPlayer.tsx';

/** The selected node's result, larger, with frame scrubbing and details of every output. */
export function PreviewPanel({ onClose }: { onClose: () => void }) {
  const selection = useSelection();
  const [nodeId, setNodeId] = useState<string | undefined>();
  useEffect(() => {
    if (selection.nodes.length === 1) setNodeId(selection.nodes[0]);
  }, [selection]);
  const title = useNodeTitle(nodeId);
  const run = useNodeRun(nodeId);
  const media = mediaOutput(run.outputs);

  return (
    <aside className="rg-preview-panel" aria-label="preview">
      <header className="rg-panel-head">
        <span className="rg-panel-title">{title ?? 'Preview'}</span>
        {title && <StatusBadge run={run} prefix="preview " />}
        <button type="button" className="rg-icon-button" aria-label="hide preview" onClick={onClose}>
          <Icon name="close" />
        </button>
      </header>
      {!title && <p className="rg-hint rg-panel-hint">Select a node to see its result here.</p>}
      {title && media && media.kind === 'video' && <MediaPlayer url={engineUrl(media.summary.url!)} summary={media.summary} title={title} />}
      {title && media && media.kind === 'image' && (
        <div className="rg-player">
          <img src={engineUrl(media.summary.url!)} alt={`${title} result`} />
        </div>
      )}
      {title && !media && run.preview && run.state === 'running' && (
        <div className="rg-player">
          <img src={run.preview} alt={`${title} live preview`} />
        </div>
      )}
      {title && run.state === 'error' && <p className="rg-node-error rg-panel-hint">{run.error}</p>}
      {title && !media && !run.preview && !run.outputs && run.state !== 'error' && (
        <p className="rg-hint rg-panel-hint">No result yet: run the pipeline, or this node with Run to here.</p>
      )}
      {title && run.outputs && (
        <dl className="rg-output-details">
          {Object.entries(run.outputs).map(([port, summary]) => (
            <div key={port}>
              <dt>{port}</dt>
              <dd>
                {describeOutput(summary)}
                {summary.kind === 'file' && summary.url && (
                  <a className="rg-link" href={engineUrl(summary.url)} download aria-label={`download ${port}`}>
                    <Icon name="download" size={12} /> download
                  </a>
                )}
                {typeof summary.note === 'string' && <span className="rg-output-note">{summary.note}</span>}
              </dd>
            </div>
          ))}
        </dl>
      )}
      {run.stale && <p className="rg-hint rg-panel-hint">Settings changed since this result; run again to update it.</p>}
    </aside>
  );
}

function useNodeTitle(nodeId: string | undefined): string | undefined {
  const { document } = useEditor();
  const catalog = useCatalog();
  const read = useCallback(() => {
    const node = document.getSnapshot().nodes.find((candidate) => candidate.id === nodeId);
    return node ? displayTitle(node, catalog.get(node.type)) : undefined;
  }, [document, catalog, nodeId]);
  return useSyncExternalStore(document.subscribe, read);
}

export function describeOutput(summary: OutputSummary): string {
  const parts: string[] = [summary.kind];
  if (typeof summary.width === 'number' && typeof summary.height === 'number') parts.push(`${summary.width}×${summary.height}`);
  if (typeof summary.fps === 'number') parts.push(`${Number(summary.fps.toFixed(2))} fps`);
  if (typeof summary.frameCount === 'number') parts.push(`${summary.frameCount} frames`);
  if (typeof summary.duration === 'number') parts.push(`${summary.duration.toFixed(2)} s`);
  if (typeof summary.bytes === 'number') parts.push(formatBytes(summary.bytes));
  if (typeof summary.path === 'string') parts.push(summary.path);
  if (typeof summary.text === 'string') parts.push(`“${summary.text}”`);
  if (typeof summary.preset === 'string') parts.push(summary.preset);
  return parts.join(' · ');
}

