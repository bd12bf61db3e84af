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
    | 'budget';
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
  constructor(readonly issues: PipelineIssue[]) {
    super(`The pipeline has ${issues.length} problem${issues.length === 1 ? '' : 's'}:\n${issues.map((i) => `  - ${formatIssue(i)}`).join('\n')}`);
  }
}
