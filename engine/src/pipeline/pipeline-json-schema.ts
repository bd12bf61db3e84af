import { z } from 'zod';
import { PIPELINE_VERSION, pipelineSchema } from './pipeline-document.ts';

export const JSON_SCHEMA_PATH = `engine/schema/pipeline.v${PIPELINE_VERSION}.schema.json`;

/** The published JSON Schema of pipeline files, generated from the validator. */
export function pipelineJsonSchema(): Record<string, unknown> {
  return {
    ...z.toJSONSchema(pipelineSchema, { io: 'input', target: 'draft-2020-12' }),
    $id: `https://reelgraph.dev/schema/pipeline.v${PIPELINE_VERSION}.schema.json`,
    title: 'Reelgraph pipeline',
    description: `A Reelgraph pipeline file (*.reel.json), format version ${PIPELINE_VERSION}. Generated from engine/src/pipeline/pipeline-document.ts by \`pnpm schema\`.`,
  };
}

export function pipelineJsonSchemaText(): string {
  return `${JSON.stringify(pipelineJsonSchema(), null, 2)}\n`;
}
