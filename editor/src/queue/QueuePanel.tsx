import type { RunSummary } from '@reelgraph/engine';
import { useSyncExternalStore } from 'react';
import { useEditor } from '../app/editor-context.ts';
import { engineUrl } from '../engine/engine-url.ts';
import { Dialog } from '../panels/Dialog.tsx';

/** Every run the engine knows, from any client: waiting, running and finished, newest first; cancel, open, download. */
export function QueuePanel({ onClose }: { onClose: () => void }) {
  const controller = useEditor();
  const runs = useSyncExternalStore(controller.queue.subscribe, controller.queue.getSnapshot);
  const newestFirst = [...runs].reverse();
  return (
    <Dialog title="Queue" closeLabel="close queue" onClose={onClose} className="rg-queue">
      {newestFirst.length === 0 && <p className="rg-hint rg-queue-empty">No runs yet.</p>}
      <ul className="rg-queue-list" aria-label="runs">
        {newestFirst.map((run) => (
          <li key={run.runId} className="rg-queue-row" aria-label={`run ${run.name} (${run.runId})`}>
            <div className="rg-queue-main">
              <span className="rg-queue-name">{run.name}</span>
              <span className="rg-queue-state" role="status">
                {stateText(run)}
              </span>
              {run.files && run.files.length > 0 && (
                <span className="rg-queue-files">
                  {run.files.map((file) => (
                    <a key={file.url} href={engineUrl(file.url)} download={file.name}>
                      {file.name}
                    </a>
                  ))}
                </span>
              )}
            </div>
            <div className="rg-queue-actions">
              {run.phase !== 'finished' && (
                <button type="button" className="rg-tool" aria-label={`cancel ${run.runId}`} onClick={() => controller.queue.cancel(run.runId)}>
                  {run.phase === 'queued' ? 'Remove' : 'Cancel'}
                </button>
              )}
              <button
                type="button"
                className="rg-tool"
                aria-label={`open ${run.runId}`}
                title="Open the pipeline this run was made from"
                onClick={() => {
                  void controller.openRun(run.runId);
                  onClose();
                }}
              >
                Open
              </button>
            </div>
          </li>
        ))}
      </ul>
    </Dialog>
  );
}

/** "waiting, 2 ahead", "running", "succeeded in 4.2 s · 3 ran, 1 cached", "cancelled". */
export function stateText(run: RunSummary): string {
  if (run.phase === 'queued') return run.position ? `waiting, ${run.position} ahead` : 'waiting';
  if (run.phase === 'running') return 'running';
  const stats = run.stats;
  return `${run.status ?? 'finished'}${stats ? ` in ${(stats.ms / 1000).toFixed(1)} s · ${stats.executed} ran, ${stats.cached} cached` : ''}`;
}
