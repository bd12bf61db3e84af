/**
 * `pnpm dev`: the engine on its usual port, allowing the Vite dev server's
 * origin, and Vite with hot reload proxying /ws, /media, … to it.
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));
const VITE_ORIGIN = 'http://localhost:5173';

const engine = spawn(process.execPath, ['--import', 'tsx', 'engine/src/cli/main.ts', 'serve', '--allow-origin', VITE_ORIGIN, ...process.argv.slice(2)], {
  cwd: root,
  stdio: 'inherit',
});
const vite = spawn(process.execPath, ['editor/node_modules/vite/bin/vite.js', 'editor', '--port', '5173', '--strictPort'], {
  cwd: root,
  stdio: 'inherit',
});
const stop = () => {
  engine.kill('SIGTERM');
  vite.kill('SIGTERM');
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
engine.on('exit', stop);
vite.on('exit', stop);
