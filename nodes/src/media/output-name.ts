/**
 * Names of exports under `outputs/`, ComfyUI-style: `<name>_00001.<ext>`,
 * numbered one past the highest number already used by that name (in any
 * format, so an MP4 and a GIF of the same name never share a number).
 */

const MAX_NAME_BYTES = 100;
const DEFAULT_NAME = 'reelgraph';
const EXPORT_EXTENSION = /\.(mp4|webm|gif|png)$/i;

/**
 * A file name stem that cannot leave the outputs folder or hide: letters,
 * digits, `-`, `_` and `.` only (anything else becomes `_`), no leading dots,
 * at most 100 UTF-8 bytes; a trailing export extension is dropped, and an
 * empty result becomes `reelgraph`.
 */
export function sanitizeFilename(raw: string): string {
  let name = raw
    .normalize('NFC')
    .trim()
    .replace(EXPORT_EXTENSION, '')
    .replace(/[^\p{L}\p{M}\p{N}._-]+/gu, '_')
    .replace(/^[._]+/, '');
  const points = [...name];
  while (Buffer.byteLength(points.join(''), 'utf8') > MAX_NAME_BYTES) points.pop();
  // Windows drops trailing dots; a trailing `_` is what was left of punctuation.
  name = points.join('').replace(/[._]+$/, '');
  return name === '' ? DEFAULT_NAME : name;
}

export function outputName(stem: string, number: number, extension?: string): string {
  const numbered = `${stem}_${String(number).padStart(5, '0')}`;
  return extension ? `${numbered}.${extension}` : numbered;
}

/** One past the highest number `stem` uses among `existing` names (case-insensitively, as some file systems compare). */
export function nextOutputNumber(existing: Iterable<string>, stem: string): number {
  const pattern = new RegExp(`^${stem.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}_(\\d{5,})(?:\\.[a-z0-9]+)?$`, 'iu');
  let highest = 0;
  for (const name of existing) {
    const match = pattern.exec(name);
    if (match) highest = Math.max(highest, Number(match[1]));
  }
  return highest + 1;
}
