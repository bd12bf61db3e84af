/** Where an npm package that ships model files is installed beside @reelgraph/models. */
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

/** The package's folder (UpscalerJS' exports maps hide package.json, so walk up from its entry point). */
export function packageFolder(name: string): string {
  let dir = path.dirname(createRequire(import.meta.url).resolve(name));
  for (;;) {
    const manifest = path.join(dir, 'package.json');
    if (existsSync(manifest) && (JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string }).name === name) return dir;
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error(`${name} is not installed beside @reelgraph/models; run the install again.`);
    dir = parent;
  }
}
