import type { NodeRunView } from '../run/run-store.ts';

const LABELS: Record<string, string> = {
  queued: 'queued',
  cached: 'cached',
  running: 'running',
  done: 'done',
  error: 'error',
  cancelled: 'cancelled',
  skipped: 'skipped',
};

/** The run state in a word, or a running node's percentage. */
export function statusText(run: NodeRunView): string | undefined {
  if (!run.state) return undefined;
  return run.state === 'running' && run.progress && run.progress.total > 0 ? `${Math.round((run.progress.done / run.progress.total) * 100)}%` : LABELS[run.state];
}

/**
 * The node's run state in words (tests and screen readers read `status: cached`), plus a stale mark.
 * `prefix` keeps copies outside the node (the preview panel's) apart from the node's own.
 */
export function StatusBadge({ run, prefix = '' }: { run: NodeRunView; prefix?: string }) {
  return (
    <span className="rg-status-group">
      {run.stale && (
        <span className="rg-badge rg-badge-stale" aria-label={`${prefix}stale`} title="Settings changed since this result; run again to update it.">
          stale
        </span>
      )}
      {run.state && (
        <span
          className={`rg-badge rg-badge-${run.state}`}
          aria-label={`${prefix}status: ${run.state}`}
          {...(run.worker ? { title: `${run.state === 'running' ? 'Running' : 'Made'} on the farm worker ${run.worker}` } : {})}
        >
          {statusText(run)}
        </span>
      )}
    </span>
  );
}
