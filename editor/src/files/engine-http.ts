/** The engine's HTTP routes besides media: uploads, examples, and pipeline import from an exported file. */
import { engineUrl } from '../engine/engine-url.ts';

export interface UploadedAsset {
  ref: string;
  name: string;
  kind: 'image' | 'video';
  mime: string;
  width?: number;
  height?: number;
}

export interface ExampleInfo {
  name: string;
  title: string;
  description?: string;
}

export async function uploadFile(file: File): Promise<UploadedAsset> {
  const response = await fetch(engineUrl(`/upload?name=${encodeURIComponent(file.name)}`), { method: 'POST', body: file });
  return answer<UploadedAsset>(response, `Could not upload "${file.name}"`);
}

export async function listExamples(): Promise<ExampleInfo[]> {
  return answer<ExampleInfo[]>(await fetch(engineUrl('/examples')), 'Could not list the examples');
}

export async function fetchExample(name: string): Promise<unknown> {
  return answer<unknown>(await fetch(engineUrl(`/examples/${encodeURIComponent(name)}`)), `Could not open the example "${name}"`);
}

/** The pipeline embedded in a video, GIF or PNG that Reelgraph exported. */
export async function importExport(file: File): Promise<unknown> {
  const response = await fetch(engineUrl(`/import?name=${encodeURIComponent(file.name)}`), { method: 'POST', body: file });
  const body = await answer<{ pipeline: unknown }>(response, `Could not read a pipeline from "${file.name}"`);
  return body.pipeline;
}

async function answer<T>(response: Response, what: string): Promise<T> {
  const body = (await response.json().catch(() => undefined)) as (T & { error?: string }) | undefined;
  if (!response.ok) throw new Error(`${what}: ${body?.error ?? `the engine answered ${response.status}`}`);
  if (body === undefined) throw new Error(`${what}: the engine's answer was not JSON.`);
  return body;
}
