/**
 * Turns the file names a pipeline gives into files on disk. A name is either
 * `sha256:<hex>` (an embedded asset, or one uploaded into the data dir) or a
 * path relative to the pipeline file's own folder. Absolute paths, `..`,
 * symbolic links that leave that folder and hard links to another user's
 * file are refused: a shared pipeline must never read a file its author
 * could not have shipped with it.
 * A picture whose header declares more pixels than are decoded is refused too.
 */
import { createHash } from 'node:crypto';
import { realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import { sha256File } from '@reelgraph/models';
import {
  decodePixelsProblem,
  ImageHeaderError,
  imageSizeOf,
  LIMITS as MEDIA_LIMITS,
  readImageSize,
  type ImageSize,
  type ResolvedFile,
} from '@reelgraph/nodes';
import type { AssetStore } from './asset-store.ts';
import { ASSET_KEY, type PipelineAsset } from './pipeline-document.ts';

export class MediaPathError extends Error {
  override name = 'MediaPathError';
}

export interface MediaContext {
  /** The folder of the pipeline file; undefined for a pipeline that came without one (it may name assets only). */
  baseDir: string | undefined;
  assets: Record<string, PipelineAsset>;
  store: AssetStore;
}

/** A resolved file, and the size its header declares when it is a still image (undefined for a video or anything else). */
export interface ResolvedMedia {
  file: ResolvedFile;
  picture: ImageSize | undefined;
}

export async function resolveMedia(reference: string, context: MediaContext): Promise<ResolvedFile> {
  return (await resolveMediaWithPicture(reference, context)).file;
}

/** Resolves a name and reads the picture header once: a picture is refused by its declared size before a node would decode it. */
export async function resolveMediaWithPicture(reference: string, context: MediaContext): Promise<ResolvedMedia> {
  if (reference.startsWith('sha256:')) return resolveAsset(reference, context);
  const file = await resolvePath(reference, context);
  return { file, picture: await declaredPicture(file.name, () => readImageSize(file.path)) };
}

/** The picture size `read` finds in a header; refuses a damaged header or one declaring too many pixels. */
async function declaredPicture(name: string, read: () => ImageSize | undefined | Promise<ImageSize | undefined>): Promise<ImageSize | undefined> {
  let size: ImageSize | undefined;
  try {
    size = await read();
  } catch (error) {
    if (error instanceof ImageHeaderError) throw new MediaPathError(`"${name}" is damaged: ${error.message}`);
    throw error;
  }
  const problem = size && decodePixelsProblem(size.width, size.height);
  if (problem) throw new MediaPathError(`"${name}" ${problem}.`);
  return size;
}

async function resolvePath(reference: string, context: MediaContext): Promise<ResolvedFile> {
  const relative = checkRelativePath(reference);
  if (!context.baseDir) {
    throw new MediaPathError(`"${reference}" is a path, but this pipeline has no folder to resolve it in; embed or upload the file instead.`);
  }
  const base = await realpath(context.baseDir);
  const candidate = path.join(base, relative);
  let real: string;
  try {
    real = await realpath(candidate);
  } catch {
    throw new MediaPathError(`"${reference}" does not exist next to the pipeline (looked for ${candidate}).`);
  }
  if (!isInside(real, base)) {
    throw new MediaPathError(`"${reference}" is a link that leads outside the pipeline's folder; copy the file into the folder instead.`);
  }
  const info = await stat(real);
  if (!info.isFile()) throw new MediaPathError(`"${reference}" is not a file.`);
  // A hard link looks like any file in the folder, yet may be a second name of a file anywhere on
  // the disk. Linking needs the file's owner (Linux's protected_hardlinks), so a linked file owned
  // by someone other than the folder's owner is what a planted link looks like, and is refused;
  // the owner's own links (deduplicated media, backups made with links) are read as usual.
  if (info.nlink > 1 && info.uid !== (await stat(base)).uid) {
    throw new MediaPathError(
      `"${reference}" is a hard link to a file of another user, so it may come from outside the pipeline's folder; replace it with a copy (cp, not ln).`,
    );
  }
  checkSize(reference, info.size);
  return { path: real, name: reference, sha256: await sha256File(real), bytes: info.size };
}

/** Refuses absolute paths and paths that climb out; returns a normalised POSIX path. */
export function checkRelativePath(reference: string): string {
  if (reference.length === 0) throw new MediaPathError('The file name is empty.');
  if (reference.includes('\0')) throw new MediaPathError('The file name contains a NUL character.');
  if (reference.includes('\\')) {
    throw new MediaPathError(`"${reference}" uses "\\"; write paths with "/" so the pipeline works on every system.`);
  }
  if (path.posix.isAbsolute(reference) || /^[A-Za-z]:/.test(reference)) {
    throw new MediaPathError(`"${reference}" is an absolute path; name files relative to the pipeline's folder.`);
  }
  const normalised = path.posix.normalize(reference);
  if (normalised === '..' || normalised.startsWith('../')) {
    throw new MediaPathError(`"${reference}" points outside the pipeline's folder; keep media beside the pipeline file.`);
  }
  return normalised;
}

async function resolveAsset(reference: string, context: MediaContext): Promise<ResolvedMedia> {
  if (!ASSET_KEY.test(reference)) {
    throw new MediaPathError(`"${reference}" is not an asset name: expected "sha256:" and 64 lowercase hex digits.`);
  }
  const sha256 = reference.slice('sha256:'.length);
  const asset = Object.hasOwn(context.assets, reference) ? context.assets[reference] : undefined;
  const name = asset?.name ?? reference;
  if (asset?.data !== undefined) {
    const bytes = Buffer.from(asset.data, 'base64');
    checkSize(name, bytes.length);
    const actual = createHash('sha256').update(bytes).digest('hex');
    if (actual !== sha256) {
      throw new MediaPathError(`Asset "${name}" is damaged: its data hashes to sha256:${actual}, not ${reference}.`);
    }
    // Checked before it is stored, so a refused picture leaves nothing in the asset store.
    const picture = await declaredPicture(name, () => imageSizeOf(bytes));
    const stored = await context.store.put(sha256, bytes);
    return { file: { path: stored, name, sha256, bytes: bytes.length }, picture };
  }
  const stored = await context.store.find(sha256);
  if (!stored) {
    throw new MediaPathError(
      `Asset "${name}" (${reference}) is neither embedded in the pipeline nor in the data dir; embed it or upload it again.`,
    );
  }
  return { file: { path: stored.path, name, sha256, bytes: stored.bytes }, picture: await declaredPicture(name, () => readImageSize(stored.path)) };
}

function checkSize(name: string, bytes: number): void {
  if (bytes > MEDIA_LIMITS.maxInputFileBytes) {
    throw new MediaPathError(`"${name}" is ${(bytes / 1024 ** 3).toFixed(1)} GiB; files up to ${MEDIA_LIMITS.maxInputFileBytes / 1024 ** 3} GiB can be read.`);
  }
}

function isInside(child: string, parent: string): boolean {
  const relative = path.relative(parent, child);
  return relative === '' || (!relative.startsWith('..') && !path.isAbsolute(relative));
}
