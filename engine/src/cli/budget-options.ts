import type { RunBudget } from '../run/run-budget.ts';
import { UsageError } from './usage-error.ts';

/** The flags that raise or lower what one run may cost (`run` and `serve`). */
export const BUDGET_OPTIONS = {
  'max-nodes': { type: 'string' },
  'max-files': { type: 'string' },
  'max-written': { type: 'string' },
} as const;

const UNITS: Record<string, number> = { '': 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3, t: 1024 ** 4 };

/** `--max-nodes 5000 --max-written 200G` as a partial budget; refuses anything that is not a positive count or size. */
export function budgetFromFlags(values: { 'max-nodes'?: string; 'max-files'?: string; 'max-written'?: string }): Partial<RunBudget> {
  const budget: Partial<RunBudget> = {};
  const count = (flag: string, text: string) => {
    const value = Number(text);
    if (!Number.isInteger(value) || value < 1) throw new UsageError(`--${flag} must be a whole number of at least 1, not "${text}".`);
    return value;
  };
  if (values['max-nodes'] !== undefined) budget.nodes = count('max-nodes', values['max-nodes']);
  if (values['max-files'] !== undefined) budget.files = count('max-files', values['max-files']);
  if (values['max-written'] !== undefined) budget.bytesWritten = parseSize('max-written', values['max-written']);
  return budget;
}

/** A size flag (`500M`, `64G`, bytes without a unit) in bytes; refuses anything that is not a positive size. */
export function parseSize(flag: string, text: string): number {
  const match = /^(\d+(?:\.\d+)?)\s*([kmgt]?)i?b?$/i.exec(text.trim());
  if (!match) throw new UsageError(`--${flag} must be a size such as 500M or 64G, not "${text}".`);
  const bytes = Math.round(Number(match[1]) * UNITS[match[2]!.toLowerCase()]!);
  if (bytes < 1) throw new UsageError(`--${flag} must be more than nothing, not "${text}".`);
  return bytes;
}
