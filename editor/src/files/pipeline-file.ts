/**
 * Reading and writing `*.reel.json`. The browser checks the engine's limits
 * (size, depth, reserved keys) and the envelope (format, version, node and
 * wire lists); the engine validates the rest and the editor shows its
 * findings per node.
 */
import { structureProblem, tooLargeMessage } from '@reelgraph/engine/pipeline-limits';
import { PIPELINE_FORMAT, PIPELINE_VERSION, type PipelineDocument } from '../document/pipeline-types.ts';
import { readDefinitions } from '../reusable/read-definitions.ts';

export type ParsedPipeline = { ok: true; doc: PipelineDocument } | { ok: false; error: string };

export function parsePipelineText(text: string): ParsedPipeline {
  const tooLarge = tooLargeMessage(new TextEncoder().encode(text).length, 'This file');
  if (tooLarge) return { ok: false, error: tooLarge };
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return { ok: false, error: `This is not valid JSON: ${(error as Error).message}` };
  }
  return readPipeline(value);
}

export function readPipeline(value: unknown): ParsedPipeline {
  // The engine's own limits, so a hostile file never reaches the document store (whose undo and React walk it recursively).
  const problem = structureProblem(value);
  if (problem) return { ok: false, error: problem };
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return { ok: false, error: 'This is not a Reelgraph pipeline: expected a JSON object.' };
  }
  const record = value as Record<string, unknown>;
  if (record.format !== PIPELINE_FORMAT) {
    return { ok: false, error: `This is not a Reelgraph pipeline: "format" must be "${PIPELINE_FORMAT}".` };
  }
  if (typeof record.version !== 'number' || record.version > PIPELINE_VERSION) {
    return {
      ok: false,
      error: `This pipeline is version ${String(record.version)}; this editor reads up to version ${PIPELINE_VERSION}. Update Reelgraph to open it.`,
    };
  }
  if (!Array.isArray(record.nodes)) return { ok: false, error: 'This pipeline has no "nodes" list.' };
  const nodes = (record.nodes as unknown[]).filter(isNodeLike).map((node) => ({ ...node, params: node.params ?? {} }));
  const { definitions: rawDefinitions, ...rest } = record;
  const definitions = readDefinitions(rawDefinitions);
  return {
    ok: true,
    doc: {
      ...rest,
      ...(definitions ? { definitions } : {}),
      name: typeof record.name === 'string' ? record.name : 'Untitled',
      nodes,
      edges: Array.isArray(record.edges) ? record.edges : [],
      assets: typeof record.assets === 'object' && record.assets !== null ? record.assets : {},
    } as PipelineDocument,
  };
}

function isNodeLike(node: unknown): node is PipelineDocument['nodes'][number] {
  return typeof node === 'object' && node !== null && typeof (node as { id?: unknown }).id === 'string' && typeof (node as { type?: unknown }).type === 'string';
}

export function pipelineText(doc: PipelineDocument): string {
  return `${JSON.stringify(doc, null, 2)}\n`;
}

/** `Dinosaurs in Paris` → `dinosaurs-in-paris.reel.json`. */
export function pipelineFileName(name: string): string {
  const stem = name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 80);
  return `${stem || 'pipeline'}.reel.json`;
}

export function looksLikePipelineFile(file: Pick<File, 'name' | 'type'>): boolean {
  return file.name.endsWith('.json') || file.type === 'application/json';
}
