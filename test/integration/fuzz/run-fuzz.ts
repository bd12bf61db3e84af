/**
 * `pnpm fuzz`: the fuzz suite at 100 times its CI size with a fresh random
 * seed, printed first (and again at the end) so any failure can be replayed:
 *
 *   npx pnpm@10 fuzz                        # random seed, scale 100
 *   REELGRAPH_FUZZ_SEED=123 npx pnpm@10 fuzz
 *   REELGRAPH_FUZZ_SCALE=10 npx pnpm@10 fuzz -- -t "client messages"
 *
 * Extra arguments go to vitest.
 */
import { spawn } from 'node:child_process';
import { randomInt } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '../../..');

const seed = process.env.REELGRAPH_FUZZ_SEED?.trim() || String(randomInt(-(2 ** 31), 2 ** 31));
const scale = process.env.REELGRAPH_FUZZ_SCALE?.trim() || '100';
const replay = `REELGRAPH_FUZZ_SEED=${seed} REELGRAPH_FUZZ_SCALE=${scale} npx pnpm@10 fuzz`;

console.log(`[fuzz] seed ${seed}, scale ${scale}. To replay this run: ${replay}`);

// vitest's own entry point, run with this Node: no shell, so it works the same on Linux, macOS and Windows.
const require = createRequire(path.join(root, 'package.json'));
const vitestPackage = require.resolve('vitest/package.json');
const bin = (JSON.parse(readFileSync(vitestPackage, 'utf8')) as { bin: string | Record<string, string> }).bin;
const entry = path.join(path.dirname(vitestPackage), typeof bin === 'string' ? bin : bin.vitest!);

const args = process.argv.slice(2).filter((arg, i) => !(i === 0 && arg === '--'));
const child = spawn(process.execPath, [entry, 'run', 'test/integration/fuzz', ...args], {
  cwd: root,
  stdio: 'inherit',
  env: { ...process.env, REELGRAPH_FUZZ_SEED: seed, REELGRAPH_FUZZ_SCALE: scale },
});

for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => child.kill(signal));

child.on('exit', (code, signal) => {
  const outcome = code === 0 ? 'passed' : `FAILED (${signal ?? `exit code ${code}`})`;
  console.log(`[fuzz] ${outcome} with seed ${seed}, scale ${scale}.${code === 0 ? '' : ` Replay: ${replay}`}`);
  process.exit(code ?? 1);
});
