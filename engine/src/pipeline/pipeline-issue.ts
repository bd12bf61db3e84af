/**
 * A problem found in a pipeline file: what is wrong, where, and what to do.
 * Validation collects all of them at once, so a person fixes a file in one go.
 */
export interface PipelineIssue {
  code:
    | 'file'
    | 'json'
    | 'format'
    | 'version'
    | 'shape'
    | 'duplicate-id'
    | 'unknown-type'
    | 'unknown-param'
    | 'bad-param'
    | 'unknown-port'
    | 'missing-node'
    | 'type-mismatch'
    | 'input-taken'
    | 'missing-input'
    | 'cycle'
    | 'asset'
    | 'media'
    | 'target'
    | 'budget'
    | 'model';
  message: string;
  nodeId?: string;
  port?: string;
  param?: string;
  /** Index into `edges`, for wire problems. */
  edge?: number;
  /** 1-based position in the file, for JSON syntax errors. */
  line?: number;
  column?: number;
}

/** One line per issue, prefixed with its location: `node "g1", param "width": …`. */
export function formatIssue(issue: PipelineIssue): string {
  const where: string[] = [];
  if (issue.line !== undefined) where.push(`line ${issue.line}, column ${issue.column ?? 1}`);
  if (issue.nodeId !== undefined) where.push(`node "${issue.nodeId}"`);
  if (issue.edge !== undefined && issue.nodeId === undefined) where.push(`edge ${issue.edge}`);
  if (issue.port !== undefined) where.push(`port "${issue.port}"`);
  if (issue.param !== undefined) where.push(`param "${issue.param}"`);
  return where.length > 0 ? `${where.join(', ')}: ${issue.message}` : issue.message;
}

export class PipelineInvalidError extends Error {
  override name = 'PipelineInvalidError';
  readonly issues: PipelineIssue[];

  constructor(issues: PipelineIssue[]) {
    const clipped = issues.map(clipIssue);
    super(`The pipeline has ${clipped.length} problem${clipped.length === 1 ? '' : 's'}:\n${clipped.map((i) => `  - ${formatIssue(i)}`).join('\n')}`);
    this.issues = clipped;
  }
}

const QUOTE_LIMIT = 60;
const MESSAGE_LIMIT = 1000;

/**
 * A message that quotes what a file or client sent, with each quotation cut
 * to a readable length: a 10,000-character key is named by its start, not
 * echoed whole (into a terminal, a toast, a log).
 */
export function clipEchoes(message: string): string {
  const clipped = message.replace(/"([^"]*)"/g, (whole, inner: string) => (inner.length > QUOTE_LIMIT ? `"${inner.slice(0, QUOTE_LIMIT)}…"` : whole));
  return clipped.length > MESSAGE_LIMIT ? `${clipped.slice(0, MESSAGE_LIMIT - 1)}…` : clipped;
}

export function clipIssue(issue: PipelineIssue): PipelineIssue {
  const clipped: PipelineIssue = { ...issue, message: clipEchoes(issue.message) };
  for (const field of ['nodeId', 'port', 'param'] as const) {
    const value = clipped[field];
    if (value !== undefined && value.length > QUOTE_LIMIT) clipped[field] = `${value.slice(0, QUOTE_LIMIT)}…`;
  }
  return clipped;
}
