import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { ffmpegBinary, ffprobeBinary, mediaBinaries, pickBinary, type BinaryCandidate } from './ffmpeg-binary.ts';

const at = (source: BinaryCandidate['source'], file?: string, strict = false): BinaryCandidate => ({
  source,
  locate: () => (file ? { path: file } : { missing: 'not there' }),
  strict,
});

describe('pickBinary', () => {
  const executable = (file: string) => file.startsWith('/ok/');

  it('takes the first candidate that is an executable file, in order', () => {
    const candidates = [at('ffmpeg-static', '/missing/ffmpeg'), at('@ffmpeg-installer/ffmpeg', '/ok/installer'), at('PATH', '/ok/path')];
    expect(pickBinary('ffmpeg', candidates, executable)).toEqual({ path: '/ok/installer', source: '@ffmpeg-installer/ffmpeg' });
    expect(pickBinary('ffmpeg', [at('ffmpeg-static'), at('FFMPEG_PATH', '/ok/env'), at('PATH', '/ok/path')], executable).source).toBe('FFMPEG_PATH');
  });

  it('stops at an environment variable that names no executable', () => {
    expect(() => pickBinary('ffmpeg', [at('FFMPEG_PATH', '/nope/ffmpeg', true), at('PATH', '/ok/path')], executable)).toThrow(
      /FFMPEG_PATH is set to "\/nope\/ffmpeg"/,
    );
  });

  it('says what it tried and how to fix it when nothing is found', () => {
    expect(() => pickBinary('ffprobe', [at('@ffprobe-installer/ffprobe'), at('PATH')], executable)).toThrow(
      /No ffprobe binary found \(tried @ffprobe-installer\/ffprobe: not there; PATH: not there\).*pnpm install.*FFPROBE_PATH/,
    );
  });
});

describe('the resolved binaries', () => {
  it('come from the npm packages here (ffmpeg-static has no downloaded binary) and run', () => {
    expect(ffmpegBinary().source).toBe('@ffmpeg-installer/ffmpeg');
    expect(ffprobeBinary().source).toBe('@ffprobe-installer/ffprobe');
    expect(mediaBinaries().ffmpeg).toBe(ffmpegBinary());
    expect(execFileSync(ffmpegBinary().path, ['-version']).toString()).toMatch(/^ffmpeg version/);
    expect(execFileSync(ffprobeBinary().path, ['-version']).toString()).toMatch(/^ffprobe version/);
  });
});
