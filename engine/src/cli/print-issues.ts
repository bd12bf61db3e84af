import { formatIssue, type PipelineIssue } from '../pipeline/pipeline-issue.ts';

export function printIssues(file: string, issues: readonly PipelineIssue[], json: boolean): void {
  if (json) {
    console.log(JSON.stringify({ type: 'pipeline.invalid', file, issues }));
    return;
  }
  console.error(`${file}: ${issues.length} problem${issues.length === 1 ? '' : 's'}`);
  for (const issue of issues) console.error(`  - ${formatIssue(issue)}`);
}
