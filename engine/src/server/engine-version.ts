import { readFileSync } from 'node:fs';

/** The engine package's version, reported in `welcome`. */
export const ENGINE_VERSION: string = (
  JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }
).version;
