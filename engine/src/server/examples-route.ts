/**
 * `GET /examples` lists the example pipelines; `GET /examples/<name>` gives
 * one ready to send over the socket: its media files (paths beside the
 * example) are copied into the asset store and named by `sha256:` refs, as if
 * the person had uploaded them.
 */
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import type { ParamSpec } from '@reelgraph/nodes';
import type { Engine } from '../engine.ts';
import { loadPipelineFile } from '../pipeline/load-pipeline.ts';
import { resolveParams } from '../pipeline/resolve-params.ts';

const EXAMPLE_NAME = /^[a-z0-9][a-z0-9-]{0,63}$/;

export interface ExampleSummary {
  name: string;
  title: string;
  description: string;
}

export async function listExamples(dir: string): Promise<ExampleSummary[]> {
  const names = await readdir(dir).catch(() => [] as string[]);
  const examples: ExampleSummary[] = [];
  for (const name of names.filter((n) => EXAMPLE_NAME.test(n)).sort()) {
    const text = await readFile(exampleFile(dir, name), 'utf8').catch(() => undefined);
    if (text === undefined) continue;
    const document = JSON.parse(text) as { name?: string; description?: string };
    examples.push({ name, title: document.name ?? name, description: document.description ?? '' });
  }
  return examples;
}

/** The example with its media as assets, or undefined when there is no such example. */
export async function exampleForClient(dir: string, name: string, engine: Engine): Promise<Record<string, unknown> | undefined> {
  if (!EXAMPLE_NAME.test(name)) return undefined;
  const file = exampleFile(dir, name);
  const loaded = await loadPipelineFile(file, engine.catalog).catch(() => undefined);
  if (!loaded) return undefined;
  const { params, issues } = await resolveParams(loaded.document, engine.catalog, { baseDir: loaded.baseDir, store: engine.assets });
  if (issues.length > 0) throw new Error(`Example "${name}" is broken: ${issues.map((i) => i.message).join(' ')}`);
  const document = JSON.parse(await readFile(file, 'utf8')) as {
    nodes: { id: string; type: string; params?: Record<string, unknown> }[];
    assets?: Record<string, unknown>;
  };
  const assets: Record<string, unknown> = { ...document.assets };
  for (const node of document.nodes) {
    const specs = engine.catalog.get(node.type)?.params as Record<string, ParamSpec> | undefined;
    for (const [param, spec] of Object.entries(specs ?? {})) {
      const resolved = params.get(node.id)?.[param] as { path: string; sha256: string; name: string } | undefined;
      if (spec.kind !== 'file' || !resolved || String(node.params?.[param]).startsWith('sha256:')) continue;
      await engine.assets.put(resolved.sha256, await readFile(resolved.path));
      const ref = `sha256:${resolved.sha256}`;
      node.params = { ...node.params, [param]: ref };
      assets[ref] = { name: path.basename(resolved.name), mime: mimeOf(resolved.name) };
    }
  }
  return { ...document, assets };
}

function exampleFile(dir: string, name: string): string {
  return path.join(dir, name, `${name}.reel.json`);
}

function mimeOf(name: string): string {
  const extension = path.extname(name).toLowerCase();
  return (
    { '.png': 'image/png', '.jpg': 'image/jpeg', '.jpeg': 'image/jpeg', '.webp': 'image/webp', '.mp4': 'video/mp4', '.webm': 'video/webm' }[
      extension
    ] ?? 'application/octet-stream'
  );
}
