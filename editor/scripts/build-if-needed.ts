/**
 * Builds the editor into editor/dist unless the build is newer than every
 * source file, so `pnpm start` is fast after the first time.
 */
import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'vite';

const editorDir = fileURLToPath(new URL('..', import.meta.url));
const sources = ['src', 'index.html', 'vite.config.ts', 'package.json'];

async function newestSourceMtime(entry: string): Promise<number> {
  const info = await stat(entry).catch(() => undefined);
  if (!info) return 0;
  if (!info.isDirectory()) return info.mtimeMs;
  const children = await readdir(entry);
  const times = await Promise.all(children.map((child) => newestSourceMtime(path.join(entry, child))));
  return Math.max(info.mtimeMs, ...times);
}

const built = (await stat(path.join(editorDir, 'dist', 'index.html')).catch(() => undefined))?.mtimeMs ?? 0;
const source = Math.max(...(await Promise.all(sources.map((s) => newestSourceMtime(path.join(editorDir, s))))));
if (source > built) {
  console.log('Building the editor…');
  await build({ root: editorDir, configFile: path.join(editorDir, 'vite.config.ts'), logLevel: 'warn' });
} else {
  console.log('The editor build is up to date.');
}
