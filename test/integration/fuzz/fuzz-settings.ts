/**
 * How much the fuzz suite generates and from which seed. A normal run (CI,
 * `vitest run`) uses scale 1 and a fixed seed, so it is reproducible; `pnpm
 * fuzz` (run-fuzz.ts) sets scale 100 and a fresh random seed, printed first.
 *
 *   REELGRAPH_FUZZ_SCALE  multiplies every property's number of runs (default 1)
 *   REELGRAPH_FUZZ_SEED   the fast-check seed (default FIXED_SEED)
 *
 * A failure names the seed, the scale and fast-check's counterexample path, so
 * the exact case can be replayed.
 */
import fc from 'fast-check';

/** The seed of every normal run. Change it only on purpose: CI explores exactly these cases. */
export const FIXED_SEED = 20_261_202;

function readScale(): number {
  const raw = process.env.REELGRAPH_FUZZ_SCALE;
  if (raw === undefined || raw.trim() === '') return 1;
  const scale = Number(raw);
  if (!Number.isFinite(scale) || scale <= 0) throw new Error(`REELGRAPH_FUZZ_SCALE must be a positive number, not "${raw}".`);
  return scale;
}

function readSeed(): number {
  const raw = process.env.REELGRAPH_FUZZ_SEED;
  if (raw === undefined || raw.trim() === '') return FIXED_SEED;
  const seed = Number(raw);
  if (!Number.isInteger(seed) || seed < -(2 ** 31) || seed >= 2 ** 31) {
    throw new Error(`REELGRAPH_FUZZ_SEED must be a 32-bit integer, not "${raw}".`);
  }
  return seed;
}

export const FUZZ_SCALE = readScale();
export const FUZZ_SEED = readSeed();

/** fast-check parameters for a property meant to run `numRuns` times at scale 1. */
export function fcParams<T>(numRuns: number, extra: Partial<fc.Parameters<T>> = {}): fc.Parameters<T> {
  return { seed: FUZZ_SEED, numRuns: runsAtScale(numRuns), ...extra };
}

export function runsAtScale(numRuns: number): number {
  return Math.max(1, Math.round(numRuns * FUZZ_SCALE));
}

/** A vitest timeout for a test that takes about `msAtScale1` at scale 1 (plus room for shrinking a failure). */
export function fuzzTimeout(msAtScale1: number): number {
  return Math.round(msAtScale1 * Math.max(1, FUZZ_SCALE)) + 120_000;
}

/** How to run this exact configuration again. */
export function replayHint(): string {
  return `REELGRAPH_FUZZ_SEED=${FUZZ_SEED} REELGRAPH_FUZZ_SCALE=${FUZZ_SCALE} npx vitest run test/integration/fuzz`;
}

/**
 * Runs a property; on failure throws an error that starts with the seed and how
 * to replay it, followed by fast-check's report (counterexample, path, the error
 * the property threw).
 */
export async function checkProperty<Ts>(name: string, property: fc.IAsyncProperty<Ts> | fc.IProperty<Ts>, params: fc.Parameters<Ts>): Promise<void> {
  const details = await fc.check(property as fc.IAsyncProperty<Ts>, params);
  if (!details.failed) return;
  const report = (await fc.asyncDefaultReportMessage(details)) ?? 'fast-check reported a failure without a message';
  const path = details.counterexamplePath !== null ? `, path "${details.counterexamplePath}"` : '';
  const error = new Error(
    `[fuzz] "${name}" failed with seed ${details.seed} (scale ${FUZZ_SCALE}${path}).\n` +
      `Replay: ${replayHint()}\n\n${report}\n\nWhat went wrong: ${describeFailure(details.errorInstance)}`,
  );
  // The property's own stack says nothing about the case; the report does.
  error.stack = error.message;
  throw error;
}

function describeFailure(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  // An assertion of the property names the case; a crash inside it is shown with its first frames.
  const frames = error.name === 'Error' ? [] : (error.stack ?? '').split('\n').filter((line) => /^\s+at /.test(line)).slice(0, 5);
  const text = error.message.length > 4_000 ? `${error.message.slice(0, 4_000)}… (${error.message.length} chars)` : error.message;
  return `${error.name === 'Error' ? '' : `${error.name}: `}${text}${frames.length > 0 ? `\n${frames.join('\n')}` : ''}`;
}

/** One line at the start of each fuzz file, so a log always shows what ran. */
export function announce(file: string): void {
  console.log(`[fuzz] ${file}: seed ${FUZZ_SEED}, scale ${FUZZ_SCALE} (replay: ${replayHint()})`);
}
