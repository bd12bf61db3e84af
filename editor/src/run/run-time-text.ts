import type { RunSummary } from './run-store.ts';

/**
 * " · 12 s, about 20 s left": the run's elapsed time, and what the current
 * node's progress says is left of it (a guess from its rate so far, shown
 * once it has done a little: before, it would jump about).
 */
export function timeText(run: RunSummary, now: number): string {
  if (run.startedAt === undefined) return '';
  const elapsed = ` · ${formatSeconds(now - run.startedAt)}`;
  const progress = run.currentProgress;
  if (!progress || progress.total <= 0 || run.currentStartedAt === undefined) return elapsed;
  const share = progress.done / progress.total;
  const spent = now - run.currentStartedAt;
  if (share < 0.05 || spent < 1000) return elapsed;
  const left = (spent / share) * (1 - share);
  return `${elapsed}, ${Math.round(share * 100)}% of ${run.current ?? 'this node'}, about ${formatSeconds(left)} left`;
}

function formatSeconds(ms: number): string {
  const seconds = Math.max(0, Math.round(ms / 1000));
  return seconds < 60 ? `${seconds} s` : `${Math.floor(seconds / 60)} min ${String(seconds % 60).padStart(2, '0')} s`;
}
