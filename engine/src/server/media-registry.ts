/**
 * What `GET /media/…` may serve. A URL names an entry in this registry,
 * never a path: files the engine produced (exports, by content hash) and
 * previews of node outputs (by cache key). Anything else is a 404, whatever
 * the URL spells.
 */
import path from 'node:path';
import type { FileValue } from '@reelgraph/nodes';

export type MediaEntry =
  | { kind: 'file'; path: string; mime: string }
  | { kind: 'preview'; key: string; port: string; format: 'mp4' | 'png' };

/** Content types that must never reach a browser from us: they could run script. */
const REFUSED_MIME = /html|svg|xml|javascript/i;

const SAFE_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,199}$/;

export class MediaRegistry {
  readonly #entries = new Map<string, MediaEntry>();

  constructor(readonly dataDir: string) {}

  /** Registers an exported file (or, for a folder of frames, each frame) and returns the URL path. */
  registerFile(value: FileValue): string | undefined {
    if (REFUSED_MIME.test(value.mime)) return undefined;
    const name = path.posix.basename(value.path);
    if (!SAFE_NAME.test(name)) return undefined;
    const base = path.join(this.dataDir, value.path);
    if (value.files) {
      const first = value.files[0];
      for (const frame of value.files) {
        if (SAFE_NAME.test(frame)) this.#entries.set(`file/${value.sha256}/${frame}`, { kind: 'file', path: path.join(base, frame), mime: 'image/png' });
      }
      return first && SAFE_NAME.test(first) ? `/media/file/${value.sha256}/${first}` : undefined;
    }
    const id = `file/${value.sha256}/${name}`;
    this.#entries.set(id, { kind: 'file', path: base, mime: value.mime });
    return `/media/${id}`;
  }

  registerPreview(key: string, port: string, format: 'mp4' | 'png'): string {
    const id = `preview/${key}/${port}.${format}`;
    this.#entries.set(id, { kind: 'preview', key, port, format });
    return `/media/${id}`;
  }

  /** The entry a request path (after `/media/`) names, or undefined. */
  lookup(encodedId: string): MediaEntry | undefined {
    let id: string;
    try {
      id = decodeURIComponent(encodedId);
    } catch {
      return undefined;
    }
    return this.#entries.get(id);
  }
}

export const MIME_BY_FORMAT = { mp4: 'video/mp4', png: 'image/png' } as const;
