import type { OutputSummary } from '@reelgraph/engine';
import { useState } from 'react';
import { engineUrl } from '../engine/engine-url.ts';
import type { NodeRunView } from '../run/run-store.ts';

/** The first output a browser can show: a video, an image, or an exported file that is one. */
export function mediaOutput(outputs: NodeRunView['outputs']): { port: string; summary: OutputSummary; kind: 'video' | 'image' } | undefined {
  for (const [port, summary] of Object.entries(outputs ?? {})) {
    if (!summary.url) continue;
    if (summary.kind === 'video' || summary.kind === 'image') return { port, summary, kind: summary.kind };
    const mime = typeof summary.mime === 'string' ? summary.mime : '';
    if (summary.kind === 'file' && (mime.startsWith('video/') || mime === 'image/gif')) {
      return { port, summary, kind: mime.startsWith('video/') ? 'video' : 'image' };
    }
  }
  return undefined;
}

/** Output types a browser can show; nodes with one keep a preview box, so they do not grow when a result arrives. */
const SHOWN_TYPES = new Set(['VIDEO', 'IMAGE', 'FILE']);

export function hasPreview(outputTypes: readonly string[]): boolean {
  return outputTypes.some((type) => SHOWN_TYPES.has(type));
}

/** Live thumbnails while the node runs, then its result looping silently. Text results show in the preview panel. */
export function NodePreview({ run, title, reserve }: { run: NodeRunView; title: string; reserve: boolean }) {
  if (run.state === 'running' && run.preview) {
    return (
      <div className="rg-node-preview">
        <img src={run.preview} alt={`${title} live preview`} />
      </div>
    );
  }
  const media = mediaOutput(run.outputs);
  if (media) {
    const url = engineUrl(media.summary.url!);
    return (
      <div className={run.stale ? 'rg-node-preview rg-preview-stale' : 'rg-node-preview'}>
        {media.kind === 'video' ? (
          <PreviewVideo key={url} url={url} label={`${title} preview`} />
        ) : (
          <img src={url} alt={`${title} preview`} />
        )}
      </div>
    );
  }
  if (!reserve) return null;
  return (
    <div className="rg-node-preview rg-preview-empty" aria-hidden="true">
      {run.state === 'running' ? 'working…' : run.state === 'queued' ? 'queued' : 'not run yet'}
    </div>
  );
}

/**
 * A preview video that asks again when its source fails: the editor can
 * learn a preview's URL a moment before the engine can serve it (its cache
 * entry still being committed), and a <video> whose source failed never
 * retries on its own. A few tries, a second apart.
 */
function PreviewVideo({ url, label }: { url: string; label: string }) {
  const [attempt, setAttempt] = useState(0);
  const src = attempt === 0 ? url : `${url}${url.includes('?') ? '&' : '?'}retry=${attempt}`;
  return (
    <video
      src={src}
      muted
      loop
      autoPlay
      playsInline
      aria-label={label}
      onError={() => {
        if (attempt < 5) setTimeout(() => setAttempt((n) => n + 1), 1000);
      }}
    />
  );
}
