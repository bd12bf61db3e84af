import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { JSON_SCHEMA_PATH, pipelineJsonSchemaText } from './pipeline-json-schema.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

describe('published JSON Schema', () => {
  it('matches the validator (run `pnpm schema` after changing pipeline-document.ts)', async () => {
    const committed = await readFile(path.join(root, JSON_SCHEMA_PATH), 'utf8');
    expect(committed).toBe(pipelineJsonSchemaText());
  });

  it('describes the required top-level fields', () => {
    const schema = JSON.parse(pipelineJsonSchemaText()) as { required: string[]; properties: Record<string, unknown> };
    expect(schema.required).toEqual(expect.arrayContaining(['format', 'version', 'nodes']));
    expect(schema.properties.format).toMatchObject({ const: 'reelgraph.pipeline' });
  });
});
