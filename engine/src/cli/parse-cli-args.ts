import { parseArgs, type ParseArgsConfig } from 'node:util';
import { UsageError } from './usage-error.ts';

type Options = NonNullable<ParseArgsConfig['options']>;

export const COMMON_OPTIONS = {
  'data-dir': { type: 'string' },
  json: { type: 'boolean', default: false },
} as const satisfies Options;

/** node:util's parseArgs, with its errors turned into usage errors; `positionals` is a count, or the most allowed with `optional`. */
export function parseCliArgs<O extends Options>(args: string[], options: O, positionals: number, optional = false) {
  let parsed;
  try {
    parsed = parseArgs({ args, options, allowPositionals: true, strict: true });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  if (optional ? parsed.positionals.length > positionals : parsed.positionals.length !== positionals) {
    throw new UsageError(
      positionals === 0 ? `Unexpected argument "${parsed.positionals[0]}".` : `Expected ${positionals} file argument, got ${parsed.positionals.length}.`,
    );
  }
  return parsed;
}
