import { PipelineInvalidError, type PipelineIssue } from '../pipeline/pipeline-issue.ts';

/** The issues `load` refuses with (empty when it loads); anything but a refusal is rethrown. */
export function issuesOf(load: () => unknown): PipelineIssue[] {
  try {
    load();
  } catch (error) {
    if (error instanceof PipelineInvalidError) return error.issues;
    throw error;
  }
  return [];
}
