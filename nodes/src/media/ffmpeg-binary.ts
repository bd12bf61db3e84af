/**
 * Finds the ffmpeg and ffprobe binaries (the root README's "Where ffmpeg comes from"): the npm packages first, so
 * that a fresh install needs nothing else, then an environment variable, then
 * PATH. Resolved once per process.
 */
import { accessSync, constants, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

export type BinarySource =
  | 'ffmpeg-static'
  | '@ffmpeg-installer/ffmpeg'
  | '@ffprobe-installer/ffprobe'
  | 'FFMPEG_PATH'
  | 'FFPROBE_PATH'
  | 'PATH';

export interface ResolvedBinary {
  path: string;
  source: BinarySource;
}

/** One place to look. `locate` returns the path there, or why there is none. */
export interface BinaryCandidate {
  source: BinarySource;
  locate(): { path: string } | { missing: string };
  /** When the place names a path that is not an executable file, stop with an error instead of looking further. */
  strict?: boolean;
}

const require = createRequire(import.meta.url);

/** Returns the first candidate that yields an executable file. */
export function pickBinary(
  tool: 'ffmpeg' | 'ffprobe',
  candidates: readonly BinaryCandidate[],
  isExecutable: (file: string) => boolean,
): ResolvedBinary {
  const tried: string[] = [];
  for (const candidate of candidates) {
    const found = candidate.locate();
    if ('missing' in found) {
      tried.push(`${candidate.source}: ${found.missing}`);
      continue;
    }
    if (isExecutable(found.path)) return { path: found.path, source: candidate.source };
    if (candidate.strict) {
      throw new Error(`${candidate.source} is set to "${found.path}", which is not an executable file. Fix the path or unset ${candidate.source}.`);
    }
    tried.push(`${candidate.source}: "${found.path}" is not an executable file`);
  }
  const variable = tool === 'ffmpeg' ? 'FFMPEG_PATH' : 'FFPROBE_PATH';
  throw new Error(
    `No ${tool} binary found (tried ${tried.join('; ')}). ` +
      `Run \`pnpm install\` in the Reelgraph folder so that the @${tool}-installer package brings its binary, ` +
      `or install ${tool} and put it on PATH, or set ${variable} to its full path.`,
  );
}

export function isExecutableFile(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return statSync(file).isFile();
  } catch {
    return false;
  }
}

function fromPackage(name: string, read: (exported: unknown) => unknown): BinaryCandidate['locate'] {
  return () => {
    let exported: unknown;
    try {
      exported = require(name);
    } catch (error) {
      // @ffmpeg-installer throws a bare string when its platform package is absent.
      return { missing: error instanceof Error ? error.message.split('\n')[0]! : String(error) };
    }
    const file = read(exported);
    return typeof file === 'string' && file !== '' ? { path: file } : { missing: 'no binary for this platform' };
  };
}

function fromEnvironment(variable: string): BinaryCandidate['locate'] {
  return () => {
    const value = process.env[variable];
    return value ? { path: value } : { missing: 'not set' };
  };
}

function fromSearchPath(command: string): BinaryCandidate['locate'] {
  return () => {
    const extensions = process.platform === 'win32' ? (process.env.PATHEXT ?? '.EXE').split(';') : [''];
    for (const folder of (process.env.PATH ?? '').split(path.delimiter)) {
      if (!folder) continue;
      for (const extension of extensions) {
        const file = path.join(folder, command + extension);
        if (isExecutableFile(file)) return { path: file };
      }
    }
    return { missing: `no ${command} in any PATH folder` };
  };
}

function pathField(exported: unknown): unknown {
  return (exported as { path?: unknown } | null)?.path;
}

const FFMPEG_CANDIDATES: readonly BinaryCandidate[] = [
  // ffmpeg-static exports its path even when its install script never downloaded the binary.
  { source: 'ffmpeg-static', locate: fromPackage('ffmpeg-static', (exported) => exported) },
  { source: '@ffmpeg-installer/ffmpeg', locate: fromPackage('@ffmpeg-installer/ffmpeg', pathField) },
  { source: 'FFMPEG_PATH', locate: fromEnvironment('FFMPEG_PATH'), strict: true },
  { source: 'PATH', locate: fromSearchPath('ffmpeg') },
];

const FFPROBE_CANDIDATES: readonly BinaryCandidate[] = [
  { source: '@ffprobe-installer/ffprobe', locate: fromPackage('@ffprobe-installer/ffprobe', pathField) },
  { source: 'FFPROBE_PATH', locate: fromEnvironment('FFPROBE_PATH'), strict: true },
  { source: 'PATH', locate: fromSearchPath('ffprobe') },
];

let ffmpeg: ResolvedBinary | undefined;
let ffprobe: ResolvedBinary | undefined;

export function ffmpegBinary(): ResolvedBinary {
  ffmpeg ??= pickBinary('ffmpeg', FFMPEG_CANDIDATES, isExecutableFile);
  return ffmpeg;
}

export function ffprobeBinary(): ResolvedBinary {
  ffprobe ??= pickBinary('ffprobe', FFPROBE_CANDIDATES, isExecutableFile);
  return ffprobe;
}

export function ffmpegPath(): string {
  return ffmpegBinary().path;
}

export function ffprobePath(): string {
  return ffprobeBinary().path;
}

/** Which binaries are used and where they came from, e.g. for the CLI to print. */
export function mediaBinaries(): { ffmpeg: ResolvedBinary; ffprobe: ResolvedBinary } {
  return { ffmpeg: ffmpegBinary(), ffprobe: ffprobeBinary() };
}
