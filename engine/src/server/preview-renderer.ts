/**
 * Browser-playable previews of node outputs, rendered on first request from
 * the cached value and kept under `<data dir>/previews/`: an H.264 MP4 with
 * faststart (scaled to at most 640 px wide) for a video, a PNG for an image.
 */
import { mkdir, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { AI_DISCLOSURE, encodeImage, encodeVideo, type VideoValue } from '@reelgraph/nodes';
import type { NodeCache } from '../cache/node-cache.ts';

const PREVIEW_MAX_WIDTH = 640;

export class PreviewRenderer {
  readonly #rendering = new Map<string, Promise<string | undefined>>();
  readonly dir: string;

  constructor(
    dataDir: string,
    private readonly cache: NodeCache,
  ) {
    this.dir = path.join(dataDir, 'previews');
  }

  /** The preview file, rendering it once; undefined when the value is no longer cached. */
  file(key: string, port: string, format: 'mp4' | 'png'): Promise<string | undefined> {
    const target = path.join(this.dir, `${key}-${port}.${format}`);
    let rendering = this.#rendering.get(target);
    if (!rendering) {
      rendering = this.#render(target, key, port, format).finally(() => this.#rendering.delete(target));
      this.#rendering.set(target, rendering);
    }
    return rendering;
  }

  async #render(target: string, key: string, port: string, format: 'mp4' | 'png'): Promise<string | undefined> {
    if (await stat(target).then(() => true, () => false)) return target;
    // Pinned while its frames are read, so a run's commit cannot evict it mid-encode.
    this.cache.pin(key);
    try {
      return await this.#renderPinned(target, key, port, format);
    } finally {
      this.cache.unpin(key);
    }
  }

  async #renderPinned(target: string, key: string, port: string, format: 'mp4' | 'png'): Promise<string | undefined> {
    const value = (await this.cache.get(key))?.[port];
    if (!value) return undefined;
    await mkdir(this.dir, { recursive: true });
    if (format === 'png' && value.kind === 'image') {
      await writeFile(target, await encodeImage(value, { format: 'png' }));
      return target;
    }
    if (format === 'mp4' && value.kind === 'video') {
      await encodeVideo(value, { format: 'mp4', quality: 70, size: previewSize(value), target, metadata: { disclosure: AI_DISCLOSURE } });
      return target;
    }
    return undefined;
  }
}

/** At most PREVIEW_MAX_WIDTH wide, the height even; ffmpeg scales on the way into the encoder. */
function previewSize(video: VideoValue): { width: number; height: number } {
  if (video.width <= PREVIEW_MAX_WIDTH) return { width: video.width, height: video.height };
  return { width: PREVIEW_MAX_WIDTH, height: Math.max(2, Math.round((video.height * PREVIEW_MAX_WIDTH) / video.width / 2) * 2) };
}
