import { useEffect, useState } from 'react';
import { useConnection, useIssues, useRunSummary } from '../app/editor-context.ts';
import type { ConnectionState } from '../engine/engine-client.ts';
import type { RunSummary } from '../run/run-store.ts';
import { timeText } from '../run/run-time-text.ts';

/** Engine connection, device, the run and its place in the queue, and the problem count. */
export function StatusBar({ problemsOpen, onToggleProblems }: { problemsOpen: boolean; onToggleProblems: () => void }) {
  const connection = useConnection();
  const run = useRunSummary();
  const issues = useIssues();
  const device = connection.welcome?.device;
  const connectionText = useConnectionText(connection);
  const now = useClock(run.phase === 'running');
  return (
    <footer className="rg-statusbar">
      <span className={`rg-conn rg-conn-${connection.status}`} role="status" aria-label={`engine: ${connectionText}`}>
        <span className="rg-conn-dot" aria-hidden="true" />
        {connectionText}
      </span>
      <span className="rg-status-item" aria-label={`device: ${device?.name ?? 'unknown'}`} title={device?.reasons.join('\n') || undefined}>
        <span className="rg-status-key">device</span> {device?.name ?? '—'}
      </span>
      <span className="rg-status-item" role="status" aria-label={`queue: ${runText(run)}`}>
        <span className="rg-status-key">run</span> {runText(run)}
        {run.phase === 'running' && <span className="rg-muted">{timeText(run, now)}</span>}
      </span>
      <span className="rg-status-spacer" />
      <button
        type="button"
        className={issues.length > 0 ? 'rg-status-button rg-has-problems' : 'rg-status-button'}
        aria-label={`problems: ${issues.length}`}
        aria-expanded={problemsOpen}
        onClick={onToggleProblems}
      >
        {issues.length === 0 ? 'no problems' : `${issues.length} problem${issues.length === 1 ? '' : 's'}`}
      </button>
      {connection.welcome && <span className="rg-status-item rg-muted">engine {connection.welcome.engineVersion}</span>}
    </footer>
  );
}

/** Now, ticking every second while `running`. */
function useClock(running: boolean): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (!running) return;
    setNow(Date.now());
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, [running]);
  return now;
}

function useConnectionText(connection: ConnectionState): string {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (connection.status !== 'reconnecting') return;
    const timer = setInterval(() => setNow(Date.now()), 500);
    return () => clearInterval(timer);
  }, [connection.status]);
  if (connection.status === 'open') return 'connected';
  if (connection.status === 'connecting') return connection.attempts > 0 ? 'reconnecting…' : 'connecting…';
  const seconds = Math.max(0, Math.ceil(((connection.retryAt ?? now) - now) / 1000));
  return `disconnected, retrying in ${seconds}s`;
}

export function runText(run: RunSummary): string {
  switch (run.phase) {
    case 'idle':
      return 'idle';
    case 'sending':
      return 'starting…';
    case 'queued':
      return `queued, ${run.position ?? 0} ahead`;
    case 'running':
      return run.total > 0 ? `running ${run.settled}/${run.total}${run.current ? ` · ${run.current}` : ''}` : 'running';
    case 'rejected':
      return 'not run: the pipeline has problems';
    case 'lost':
      return 'lost: the engine restarted';
    case 'finished': {
      const stats = run.stats;
      const detail = stats ? ` in ${(stats.ms / 1000).toFixed(1)} s · ${stats.executed} ran, ${stats.cached} cached` : '';
      return `${run.status ?? 'finished'}${detail}`;
    }
  }
}
