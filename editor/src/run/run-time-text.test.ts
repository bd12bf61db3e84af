import { describe, expect, it } from 'vitest';
import { timeText } from './run-time-text.ts';
import type { RunSummary } from './run-store.ts';

const running = (summary: Partial<RunSummary>): RunSummary => ({ phase: 'running', total: 4, settled: 1, current: 'shot', ...summary });

describe('timeText', () => {
  it('says how long the run has taken, and what the current node’s rate says is left', () => {
    const start = 1_000_000;
    expect(timeText(running({ startedAt: start }), start + 12_400)).toBe(' · 12 s');
    const halfway = running({ startedAt: start - 5000, currentStartedAt: start, currentProgress: { done: 30, total: 60 } });
    expect(timeText(halfway, start + 20_000)).toBe(' · 25 s, 50% of shot, about 20 s left');
    expect(timeText(running({ startedAt: start, currentStartedAt: start, currentProgress: { done: 10, total: 100 } }), start + 90_000)).toBe(
      ' · 1 min 30 s, 10% of shot, about 13 min 30 s left',
    );
  });

  it('guesses nothing before the node has done a little, and nothing before the run started', () => {
    const start = 1_000_000;
    expect(timeText(running({ startedAt: start, currentStartedAt: start, currentProgress: { done: 1, total: 100 } }), start + 3000)).toBe(' · 3 s');
    expect(timeText(running({ startedAt: start, currentStartedAt: start, currentProgress: { done: 50, total: 100 } }), start + 500)).toBe(' · 1 s');
    expect(timeText(running({}), start)).toBe('');
  });
});
