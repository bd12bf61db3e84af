/**
 * Embeds the signed C2PA manifest into a finished, not yet published export:
 * the MP4 or GIF file, or every PNG frame of a frame folder (each frame its
 * own manifest, since each is a file of its own). WebM has no C2PA binding:
 * it is left as it is and the caller says so.
 */
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { throwIfAborted } from '../sdk/define-node.ts';
import { syncFile } from '../media/publish.ts';
import { signAsset, type IngredientDefinition, type SignableFormat } from './c2pa.ts';
import { loadSigningCredentials } from './credentials.ts';
import { exportManifest } from './manifest.ts';

export const SIGNABLE: Record<'mp4' | 'webm' | 'gif' | 'png', SignableFormat | undefined> = {
  mp4: 'video/mp4',
  webm: undefined,
  gif: 'image/gif',
  png: 'image/png',
};

export const WEBM_NOTE = 'WebM cannot carry a C2PA manifest (C2PA defines none for it); export MP4, GIF or PNG for signed provenance.';

export interface SignExportOptions {
  /** The unpublished file, or for PNG the folder of frames. */
  file: string;
  /** For PNG: the frame files in the folder. */
  frames?: readonly string[];
  format: SignableFormat;
  /** The name it is published under, the manifest's title. */
  title: string;
  ingredients: readonly IngredientDefinition[];
  dataDir: string;
  signal?: AbortSignal;
}

export async function signExport(options: SignExportOptions): Promise<void> {
  const credentials = await loadSigningCredentials(options.dataDir);
  const files = options.frames ? options.frames.map((name) => ({ file: path.join(options.file, name), title: `${options.title}/${name}` })) : [{ file: options.file, title: options.title }];
  for (const { file, title } of files) {
    if (options.signal) throwIfAborted(options.signal);
    const signed = await signAsset({
      bytes: await readFile(file),
      format: options.format,
      manifest: exportManifest(title, options.format, options.ingredients),
      ingredients: options.ingredients,
      credentials,
    });
    await writeFile(file, signed);
    await syncFile(file);
  }
}
