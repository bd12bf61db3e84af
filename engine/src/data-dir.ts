import { homedir } from 'node:os';
import path from 'node:path';

/**
 * Where Reelgraph keeps its cache, assets and outputs: `--data-dir`, else
 * `$REELGRAPH_HOME`, else the platform's per-user data folder.
 */
export function resolveDataDir(flag: string | undefined, env: NodeJS.ProcessEnv = process.env, platform = process.platform): string {
  if (flag) return path.resolve(flag);
  if (env.REELGRAPH_HOME) return path.resolve(env.REELGRAPH_HOME);
  const home = homedir();
  if (platform === 'win32') return path.join(env.LOCALAPPDATA ?? path.join(home, 'AppData', 'Local'), 'Reelgraph');
  if (platform === 'darwin') return path.join(home, 'Library', 'Application Support', 'Reelgraph');
  return path.join(env.XDG_DATA_HOME ?? path.join(home, '.local', 'share'), 'reelgraph');
}
