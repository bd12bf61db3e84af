/**
 * `POST /import?name=<file>`: an exported video, GIF or PNG frame as the body;
 * answers the pipeline embedded in it, so dropping a Reelgraph export onto the
 * editor restores the graph that made it.
 */
import { mkdir, rm } from 'node:fs/promises';
import type { IncomingMessage } from 'node:http';
import path from 'node:path';
import { readEmbeddedMetadata } from '@reelgraph/nodes';
import { tempNameFor } from '../fs/write-file-atomic.ts';
import { parseJson } from '../pipeline/parse-json.ts';
import { structureProblem, tooLargeMessage } from '../pipeline/pipeline-limits.ts';
import { BodyTooLargeError, DiskFullError, receiveBody } from './receive-body.ts';

export class ImportError extends Error {
  constructor(
    readonly status: 400 | 413 | 422 | 507,
    message: string,
  ) {
    super(message);
  }
}

export async function importPipeline(request: IncomingMessage, scratchDir: string, limitBytes: number): Promise<{ pipeline: unknown }> {
  const name = new URL(request.url ?? '/', 'http://engine').searchParams.get('name') ?? 'file';
  await mkdir(scratchDir, { recursive: true });
  const temp = tempNameFor(path.join(scratchDir, 'import'));
  try {
    await receiveBody(request, temp, limitBytes);
    const metadata = await readEmbeddedMetadata(temp).catch(() => ({}) as { pipeline?: string });
    if (!metadata.pipeline) {
      throw new ImportError(422, `"${name}" carries no Reelgraph pipeline; only files Reelgraph exported can be opened this way.`);
    }
    // Held to the limits of every pipeline before the editor gets it: it will send it back to run.
    const tooLarge = tooLargeMessage(Buffer.byteLength(metadata.pipeline), `The pipeline inside "${name}"`);
    if (tooLarge) throw new ImportError(422, tooLarge);
    const parsed = parseJson(metadata.pipeline);
    if (!parsed.ok) throw new ImportError(422, `The pipeline inside "${name}" is damaged.`);
    const problem = structureProblem(parsed.value, { what: `The pipeline inside "${name}"` });
    if (problem) throw new ImportError(422, problem);
    return { pipeline: parsed.value };
  } catch (error) {
    if (error instanceof BodyTooLargeError) throw new ImportError(413, error.message);
    if (error instanceof DiskFullError) throw new ImportError(507, error.message);
    throw error;
  } finally {
    await rm(temp, { force: true });
  }
}
