/**
 * What a person may be shown: every issue, error and node failure the engine
 * reports must be a sentence of sensible length, never a leaked exception.
 */

/** Far more than any real message needs; a longer one echoes hostile input back at the reader. */
export const MAX_MESSAGE_CHARS = 1_000;

/** Traces of an exception escaping as text: JS internals, stack frames, broken string conversions. */
const LEAKS: { pattern: RegExp; what: string }[] = [
  { pattern: /\n\s+at /, what: 'a stack trace ("\\n    at ")' },
  { pattern: /^\s*at .+:\d+:\d+\)?$/m, what: 'a stack frame' },
  { pattern: /\b(TypeError|ReferenceError|RangeError|SyntaxError|EvalError|URIError|InternalError|AggregateError)\b/, what: 'a JavaScript error name' },
  { pattern: /Cannot read propert(y|ies) of/, what: '"Cannot read properties of"' },
  { pattern: /Cannot (set|convert|destructure|access)\b/, what: 'a JavaScript runtime error' },
  { pattern: /undefined is not|null is not|is not a function|is not iterable|is not a constructor|is not defined\b/, what: 'a JavaScript runtime error' },
  { pattern: /\[object [A-Za-z]+\]/, what: '"[object …]"' },
  { pattern: /Maximum call stack/, what: 'a stack overflow' },
  { pattern: /\bnode:internal\b/, what: 'a Node internal path' },
  { pattern: /\.(ts|js|mjs|cjs):\d+(:\d+)?\b/, what: 'a source position' },
  { pattern: /\bERR_[A-Z_]{3,}\b/, what: 'a Node error code' },
];

/**
 * Why `text` is not a clean message for a person, or undefined when it is:
 * non-empty, at most MAX_MESSAGE_CHARS, starting like a sentence (a capital,
 * a digit or a quote) and ending with a full stop, question or exclamation
 * mark (a closing quote or bracket may follow), with no trace of JS internals.
 */
export function uncleanReason(text: unknown): string | undefined {
  if (typeof text !== 'string') return `is ${text === null ? 'null' : typeof text}, not text`;
  if (text.trim() === '') return 'is empty';
  if (text.length > MAX_MESSAGE_CHARS) return `is ${text.length} characters long (more than ${MAX_MESSAGE_CHARS})`;
  for (const { pattern, what } of LEAKS) if (pattern.test(text)) return `contains ${what}`;
  if (!/^[\p{Lu}\p{N}"“'‘`(]/u.test(text)) return 'does not start like a sentence (a capital letter, digit or quote)';
  if (!/[.!?…][)"”'’`]*$/u.test(text.trimEnd())) return 'does not end like a sentence (".", "?", "!")';
  return undefined;
}

export function preview(text: string, max = 300): string {
  return text.length <= max ? text : `${text.slice(0, max)}… (${text.length} chars)`;
}

/** Throws naming where the message came from and why it is not clean. */
export function expectClean(text: unknown, where: string): void {
  const reason = uncleanReason(text);
  if (reason) throw new Error(`${where}: the message ${reason}: ${JSON.stringify(typeof text === 'string' ? preview(text) : text)}`);
}

const ISSUE_FIELDS = new Set(['code', 'message', 'nodeId', 'port', 'param', 'edge', 'line', 'column']);

/**
 * A list of pipeline issues as the engine reports them (PipelineInvalidError,
 * `run.rejected`, `validation`): each `{ code, message, … }` with a clean
 * message and well-typed optional fields.
 */
export function expectCleanIssues(issues: unknown, where: string, options: { allowEmpty?: boolean } = {}): void {
  if (!Array.isArray(issues)) throw new Error(`${where}: issues are ${JSON.stringify(issues)}, not a list`);
  if (issues.length === 0 && !options.allowEmpty) throw new Error(`${where}: refused with no issue at all`);
  issues.forEach((issue: unknown, index) => {
    const at = `${where}, issue ${index}`;
    if (issue === null || typeof issue !== 'object' || Array.isArray(issue)) throw new Error(`${at}: not an object: ${JSON.stringify(issue)}`);
    const record = issue as Record<string, unknown>;
    if (typeof record.code !== 'string' || !/^[a-z][a-z-]*$/.test(record.code)) throw new Error(`${at}: code ${JSON.stringify(record.code)} is not a lowercase word`);
    expectClean(record.message, `${at} (${record.code})`);
    for (const key of Object.keys(record)) if (!ISSUE_FIELDS.has(key)) throw new Error(`${at}: unexpected field "${key}"`);
    for (const key of ['nodeId', 'port', 'param'] as const) {
      if (record[key] !== undefined && typeof record[key] !== 'string') throw new Error(`${at}: ${key} is ${JSON.stringify(record[key])}, not text`);
    }
    for (const key of ['edge', 'line', 'column'] as const) {
      if (record[key] !== undefined && !(Number.isInteger(record[key]) && (record[key] as number) >= 0)) throw new Error(`${at}: ${key} is ${JSON.stringify(record[key])}, not a whole number`);
    }
  });
}

/** An error as a short line for a failure report: name, message, the first frames. */
export function describeThrown(error: unknown): string {
  if (!(error instanceof Error)) return `a non-Error value ${JSON.stringify(error)}`;
  const frames = (error.stack ?? '').split('\n').filter((line) => /^\s+at /.test(line)).slice(0, 4).join('\n');
  return `${error.name}: ${preview(error.message, 500)}${frames ? `\n${frames}` : ''}`;
}

/** Resolves as `promise` does, or rejects after `ms` (calling `onTimeout` first): a hang is a failure, not a stuck test. */
export async function withTimeout<T>(promise: Promise<T>, ms: number, what: string, onTimeout?: () => void): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      onTimeout?.();
      reject(new Error(`${what} did not finish within ${ms} ms (a hang)`));
    }, ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
