/** Regenerates the committed JSON Schema of pipeline files (`pnpm schema`). */
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { JSON_SCHEMA_PATH, pipelineJsonSchemaText } from '../src/pipeline/pipeline-json-schema.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
await writeFile(path.join(root, JSON_SCHEMA_PATH), pipelineJsonSchemaText());
console.log(`wrote ${JSON_SCHEMA_PATH}`);
