import { parseTree, type ParseError } from 'jsonc-parser';
import type { PipelineIssue } from './pipeline-issue.ts';

export type ParseResult = { ok: true; value: unknown } | { ok: false; issues: PipelineIssue[] };

/**
 * JSON.parse with errors a person can find: a line and column instead of a
 * character offset. Structure (depth, size, keys that would reach an object's
 * prototype) is checked by the loader, for text and values alike.
 */
export function parseJson(text: string): ParseResult {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    const message = (error as Error).message;
    const offset = errorOffset(text);
    const position = offset === undefined ? {} : lineAndColumn(text, offset);
    return {
      ok: false,
      issues: [{ code: 'json', message: `The file is not valid JSON: ${cleanMessage(message)}.`, ...position }],
    };
  }
  return { ok: true, value };
}

/** Where the first syntax error is: JSON.parse's messages carry no position on every Node version. */
function errorOffset(text: string): number | undefined {
  const errors: ParseError[] = [];
  parseTree(text, errors, { disallowComments: true, allowTrailingComma: false });
  return errors[0]?.offset;
}

function cleanMessage(message: string): string {
  return message
    .replace(/\s*in JSON at position \d+.*$/s, '')
    .replace(/\s*\(line \d+ column \d+\)$/, '')
    .replace(/, "[^"]*"\.\.\. is not valid JSON$/s, '')
    .replace(/\.$/, '');
}

export function lineAndColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: offset - lineStart + 1 };
}
