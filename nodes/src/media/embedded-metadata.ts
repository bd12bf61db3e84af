/**
 * What an export carries about itself (the root README's "Pipeline files"): the pipeline that made it
 * and an "AI-generated" disclosure, and how to read both back from any
 * export format, e.g. to open the pipeline behind a video.
 *
 * - MP4 and WebM: container tags, `comment` = pipeline, `description` = disclosure.
 * - GIF: two Comment Extensions, the disclosure first, then the pipeline.
 * - PNG frames: iTXt chunks in every frame, `Comment` = pipeline, `Description` = disclosure.
 */
import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { readGifComments } from './gif-comment.ts';
import { readPngText } from './png-text.ts';
import { readFormatTags } from './probe.ts';

export const AI_DISCLOSURE = 'AI-generated with Reelgraph (https://github.com/reelgraph) - synthetic video';

export const CONTAINER_TAGS = { pipeline: 'comment', disclosure: 'description' } as const;
export const PNG_KEYWORDS = { pipeline: 'Comment', disclosure: 'Description' } as const;

/**
 * MP4 and WebM tags travel to ffmpeg as command-line arguments, which Linux
 * caps at 128 KiB each and Windows at 32 K characters per command line.
 * Every format gets the same cap, so one pipeline embeds the same way in all.
 */
export const MAX_EMBEDDED_PIPELINE_CHARS = process.platform === 'win32' ? 24_000 : 100_000;

export interface EmbeddedMetadata {
  /** Pipeline JSON; absent when it was too large to embed. */
  pipeline?: string;
  disclosure: string;
}

/** JSON with every non-ASCII character escaped: still valid JSON, and safe in GIF comments and any tag. */
export function asciiJson(value: unknown): string {
  return (JSON.stringify(value) ?? 'null').replace(/[\u007f-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** The pipeline text to embed, and a sentence for the person when it is not embedded whole. */
export interface PipelineEmbedding {
  pipeline?: string;
  note?: string;
}

/**
 * The pipeline as embedded: whole when it fits; else without the inline data
 * of its assets (they stay referenced by hash); else not at all. The last two
 * say so, because someone who relies on reopening a video's pipeline needs to
 * know to keep the .reel.json file.
 */
export function pipelineForEmbedding(pipeline: unknown, maxChars = MAX_EMBEDDED_PIPELINE_CHARS): PipelineEmbedding {
  const whole = asciiJson(pipeline);
  if (whole.length <= maxChars) return { pipeline: whole };
  const slim = asciiJson(withoutAssetData(pipeline));
  if (slim.length <= maxChars) {
    return {
      pipeline: slim,
      note: 'The embedded pipeline leaves out its images and videos, which would make it too long; keep the .reel.json file to reopen it with them.',
    };
  }
  return {
    note: `The pipeline is not embedded: at ${slim.length.toLocaleString('en')} characters it is over the ${maxChars.toLocaleString('en')} a file can carry; keep the .reel.json file.`,
  };
}

function withoutAssetData(pipeline: unknown): unknown {
  if (pipeline === null || typeof pipeline !== 'object' || !('assets' in pipeline)) return pipeline;
  const assets = (pipeline as { assets?: unknown }).assets;
  if (assets === null || typeof assets !== 'object') return pipeline;
  const slimAssets = Object.fromEntries(
    Object.entries(assets as Record<string, unknown>).map(([key, asset]) => {
      if (asset === null || typeof asset !== 'object') return [key, asset];
      const { data: _data, ...rest } = asset as Record<string, unknown>;
      return [key, rest];
    }),
  );
  return { ...pipeline, assets: slimAssets };
}

/** Reads the pipeline and disclosure back from an MP4, WebM or GIF file, or a folder (or file) of PNG frames. */
export async function readEmbeddedMetadata(file: string): Promise<Partial<EmbeddedMetadata>> {
  if ((await stat(file)).isDirectory()) {
    const first = (await readdir(file)).filter((name) => name.toLowerCase().endsWith('.png')).sort()[0];
    if (!first) return {};
    return fromPng(await readFile(path.join(file, first)));
  }
  const bytes = await readFile(file);
  if (Buffer.from(bytes.subarray(0, 4)).toString('latin1') === 'GIF8') return fromGif(bytes);
  if (bytes[0] === 0x89 && Buffer.from(bytes.subarray(1, 4)).toString('latin1') === 'PNG') return fromPng(bytes);
  const tags = await readFormatTags(file);
  return defined({ pipeline: tags[CONTAINER_TAGS.pipeline], disclosure: tags[CONTAINER_TAGS.disclosure] });
}

function fromPng(bytes: Uint8Array): Partial<EmbeddedMetadata> {
  const entries = readPngText(bytes);
  const find = (keyword: string) => entries.find((entry) => entry.keyword === keyword)?.text;
  return defined({ pipeline: find(PNG_KEYWORDS.pipeline), disclosure: find(PNG_KEYWORDS.disclosure) });
}

function fromGif(bytes: Uint8Array): Partial<EmbeddedMetadata> {
  const comments = readGifComments(bytes);
  return defined({ disclosure: comments[0], pipeline: comments[1] });
}

function defined(metadata: { pipeline: string | undefined; disclosure: string | undefined }): Partial<EmbeddedMetadata> {
  return {
    ...(metadata.pipeline !== undefined ? { pipeline: metadata.pipeline } : {}),
    ...(metadata.disclosure !== undefined ? { disclosure: metadata.disclosure } : {}),
  };
}
