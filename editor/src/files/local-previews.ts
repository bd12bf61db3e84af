/**
 * Thumbnails of files picked in this session. The engine keeps uploads by
 * hash and serves only results, so the picker shows the local copy until the
 * node has run.
 */
const previews = new Map<string, string>();

export function rememberPreview(ref: string, file: Blob): void {
  if (!previews.has(ref)) previews.set(ref, URL.createObjectURL(file));
}

export function localPreview(ref: string): string | undefined {
  return previews.get(ref);
}
