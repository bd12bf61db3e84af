import { mkdir, readdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { AI_DISCLOSURE, pipelineForEmbedding } from './media/embedded-metadata.ts';
import { ENCODE_FORMATS, encodeVideo, type EncodeFormat } from './media/encode.ts';
import { withContext } from './media/node-error.ts';
import { nextOutputNumber, outputName, sanitizeFilename } from './media/output-name.ts';
import { publishFile, publishFolder, TargetExistsError, temporarySibling } from './media/publish.ts';
import { referenceIngredients } from './provenance/manifest.ts';
import { SIGNABLE, signExport, WEBM_NOTE } from './provenance/sign-export.ts';
import { WATERMARK_CORNERS, watermarkedVideo } from './provenance/watermark.ts';
import { defineNode } from './sdk/define-node.ts';
import { describeWrittenFile } from './sdk/file-value.ts';
import { param } from './sdk/param.ts';
import { port } from './sdk/port.ts';

const MIME: Record<EncodeFormat, string> = { mp4: 'video/mp4', webm: 'video/webm', gif: 'image/gif', png: 'image/png' };
/** Another process may take a name between our look at the folder and the publish; then the next number is tried. */
const MAX_ATTEMPTS = 5;

/** Names being written by this process, per outputs folder: two exports running side by side never pick the same. */
const reserved = new Map<string, Set<string>>();

async function reserveName(folder: string, stem: string, extension: string | undefined): Promise<{ name: string; release(): void }> {
  const taken = reserved.get(folder) ?? new Set<string>();
  reserved.set(folder, taken);
  const number = nextOutputNumber([...(await readdir(folder)), ...taken], stem);
  const name = outputName(stem, number, extension);
  taken.add(name);
  return { name, release: () => taken.delete(name) };
}

/**
 * Writes the video under `<data dir>/outputs/` as `<filename>_00001.<ext>`
 * with the next free number (a PNG export is a folder of frames), embedding
 * the pipeline and an AI-generated disclosure (see media/embedded-metadata.ts),
 * and a signed C2PA manifest declaring it AI-generated (MP4, GIF, PNG; see
 * provenance/). The file is encoded and signed under a temporary name and
 * published only then; a signature that cannot be made fails the export.
 */
export default defineNode({
  type: 'export',
  version: 2,
  title: 'Export',
  category: 'Output',
  description:
    'Saves the video as MP4, WebM, GIF or numbered PNG frames under outputs/, with the pipeline, an AI-generated notice and a signed C2PA manifest (not WebM) embedded in the file.',
  inputs: { video: port.video() },
  outputs: { file: port.file() },
  params: {
    format: param.select({
      options: ENCODE_FORMATS,
      default: 'mp4',
      description: 'mp4 (H.264) plays everywhere; webm (VP9) is smaller; gif loops in chats (at most 50 fps); png writes lossless frames.',
    }),
    fps: param.number({ default: 0, min: 0, max: 120, step: 1, unit: 'fps', description: 'Frame rate of the file; 0 keeps the video’s own.' }),
    quality: param.int({ default: 80, min: 1, max: 100, description: 'Higher is better and bigger. PNG is always lossless.' }),
    filename: param.text({
      default: 'reelgraph',
      maxLength: 200,
      placeholder: 'reelgraph',
      description: 'Name of the file; a number and the extension are added. Letters, digits, - _ and . only.',
    }),
    watermark: param.bool({ default: false, description: 'Draws a visible "AI-generated" mark into every frame.' }),
    markCorner: param.select({ options: WATERMARK_CORNERS, default: 'bottom-right', description: 'Where the AI-generated mark goes, when watermark is on.' }),
    markOpacity: param.number({ default: 0.7, min: 0.1, max: 1, step: 0.05, description: 'How opaque the AI-generated mark is: 1 covers the picture.' }),
  },
  device: 'cpu',
  deterministic: true,
  checkParams({ fps }) {
    // Below 1 fps a clip of a few seconds would be one frame, or none: ffmpeg's failure would say nothing useful.
    if (typeof fps === 'number' && fps > 0 && fps < 1) return [{ param: 'fps', message: `must be 0 (keep the video's own) or at least 1, not ${fps}` }];
    return [];
  },
  async run({ inputs, params, ctx }) {
    const folder = path.join(ctx.dataDir, 'outputs');
    const stem = sanitizeFilename(params.filename);
    const extension = params.format === 'png' ? undefined : params.format;
    const { pipeline, note } = pipelineForEmbedding(ctx.pipeline);
    const metadata = { ...(pipeline !== undefined ? { pipeline } : {}), disclosure: AI_DISCLOSURE };
    const signable = SIGNABLE[params.format];
    const ingredients = referenceIngredients(ctx.pipeline, ctx.nodeId);
    const notes = [...(note !== undefined ? [note] : []), ...(signable === undefined ? [WEBM_NOTE] : [])];
    const video = params.watermark ? await watermarkedVideo(inputs.video, params.markCorner, params.markOpacity) : inputs.video;
    await mkdir(folder, { recursive: true });
    for (let attempt = 1; ; attempt++) {
      const { name, release } = await reserveName(folder, stem, extension);
      const target = path.join(folder, name);
      // Encoded and signed under a hidden name, then published: the final name only ever holds a finished, signed file.
      const unpublished = temporarySibling(target);
      try {
        const result = await encodeVideo(video, {
          format: params.format,
          ...(params.fps > 0 ? { fps: params.fps } : {}),
          quality: params.quality,
          target: unpublished,
          metadata,
          signal: ctx.signal,
          onProgress: (done, total) => ctx.progress(done, total),
        });
        if (signable !== undefined) {
          try {
            await signExport({ file: unpublished, ...(result.files ? { frames: result.files } : {}), format: signable, title: name, ingredients, dataDir: ctx.dataDir, signal: ctx.signal });
          } catch (error) {
            throw withContext(error, 'Could not sign its C2PA provenance manifest');
          }
        }
        if (params.format === 'png') await publishFolder(unpublished, target);
        else await publishFile(unpublished, target);
        const file = await describeWrittenFile(ctx.dataDir, `outputs/${name}`, MIME[params.format], result.files);
        return { file: notes.length > 0 ? { ...file, note: notes.join(' ') } : file };
      } catch (error) {
        if (error instanceof TargetExistsError && attempt < MAX_ATTEMPTS) continue;
        throw withContext(error, `Could not export "${name}"`);
      } finally {
        await rm(unpublished, { recursive: true, force: true });
        release();
      }
    }
  },
});
