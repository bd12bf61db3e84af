/** Node ids: readable (`generate`, `generate-2`), unique, and valid in a pipeline file. */
const ID_PATTERN = /^[A-Za-z0-9_][A-Za-z0-9_.-]*$/;
const MAX_ID_LENGTH = 64;

export function uniqueNodeId(taken: ReadonlySet<string>, base: string): string {
  const stem = sanitizeId(base);
  if (!taken.has(stem)) return stem;
  const root = stem.replace(/-\d+$/, '');
  for (let n = 2; ; n += 1) {
    const candidate = `${root.slice(0, MAX_ID_LENGTH - String(n).length - 1)}-${n}`;
    if (!taken.has(candidate)) return candidate;
  }
}

function sanitizeId(base: string): string {
  const cleaned = base.replace(/[^A-Za-z0-9_.-]+/g, '-').replace(/^[.-]+/, '').slice(0, MAX_ID_LENGTH);
  return ID_PATTERN.test(cleaned) ? cleaned : 'node';
}
