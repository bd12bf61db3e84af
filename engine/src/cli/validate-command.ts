import { loadPipelineFile } from '../pipeline/load-pipeline.ts';
import { PipelineInvalidError } from '../pipeline/pipeline-issue.ts';
import { openEngine } from './open-engine.ts';
import { COMMON_OPTIONS, parseCliArgs } from './parse-cli-args.ts';
import { printIssues } from './print-issues.ts';

export async function validateCommand(args: string[]): Promise<number> {
  const { values, positionals } = parseCliArgs(args, COMMON_OPTIONS, 1);
  const file = positionals[0]!;
  const engine = await openEngine(values['data-dir']);
  try {
    const pipeline = await loadPipelineFile(file, engine.catalog);
    const issues = await engine.checkMedia(pipeline);
    if (issues.length > 0) throw new PipelineInvalidError(issues);
    const { document } = pipeline;
    if (values.json) console.log(JSON.stringify({ type: 'pipeline.valid', file, nodes: document.nodes.length, edges: document.edges.length }));
    else console.log(`${file}: valid (${document.nodes.length} nodes, ${document.edges.length} wires)`);
    return 0;
  } catch (error) {
    if (!(error instanceof PipelineInvalidError)) throw error;
    printIssues(file, error.issues, values.json);
    return 2;
  }
}
