import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { resolveDataDir } from './data-dir.ts';

describe('resolveDataDir', () => {
  it('prefers the flag, then REELGRAPH_HOME, then the platform folder', () => {
    expect(resolveDataDir('rel/dir', { REELGRAPH_HOME: '/x' })).toBe(path.resolve('rel/dir'));
    expect(resolveDataDir(undefined, { REELGRAPH_HOME: '/x' })).toBe('/x');
    expect(resolveDataDir(undefined, { XDG_DATA_HOME: '/xdg' }, 'linux')).toBe('/xdg/reelgraph');
    expect(resolveDataDir(undefined, {}, 'darwin')).toMatch(/Library\/Application Support\/Reelgraph$/);
  });
});
