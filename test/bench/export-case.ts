/**
 * Export throughput: 1280×720 raw frames to H.264 through the real export node
 * (frames piped to ffmpeg, metadata, atomic publish, hashing), against plain
 * ffmpeg encoding the same raw frames from a file with the same encoder
 * settings. The ratio is Reelgraph's cost over the encoder's own.
 */
import { execFileSync } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { builtinNodes, ffmpegPath, memoryFrames, videoOf, type VideoValue } from '@reelgraph/nodes';
import { x264Crf } from '../../nodes/src/media/encode.ts';
import type { BenchCase } from './bench-harness.ts';
import { benchContext } from './bench-inputs.ts';

const WIDTH = 1280;
const HEIGHT = 720;
const FPS = 24;
const SECONDS = 5;
const QUALITY = 80;

export function exportCase(): BenchCase {
  const exportNode = builtinNodes.find((node) => node.type === 'export')!;
  let dir = '';
  let rawFile = '';
  let video: VideoValue;
  let round = 0;
  const frameCount = FPS * SECONDS;
  return {
    name: `export ${WIDTH}×${HEIGHT} H.264, ${frameCount} frames`,
    baselineName: 'ffmpeg encoding the raw file',
    runs: 5,
    async setup() {
      dir = await mkdtemp(path.join(tmpdir(), 'reelgraph-bench-export-'));
      rawFile = path.join(dir, 'frames.rgb');
      execFileSync(ffmpegPath(), [
        '-hide_banner', '-loglevel', 'error', '-f', 'lavfi', '-i', `testsrc2=size=${WIDTH}x${HEIGHT}:rate=${FPS}:duration=${SECONDS}`,
        '-f', 'rawvideo', '-pix_fmt', 'rgb24', rawFile,
      ]);
      const frames = new Uint8Array(await readFile(rawFile));
      video = videoOf(memoryFrames({ width: WIDTH, height: HEIGHT, channels: 3 }, frames), FPS);
    },
    async teardown() {
      await rm(dir, { recursive: true, force: true });
    },
    async subject() {
      const ctx = benchContext(dir, 'export');
      await exportNode.run({ inputs: { video }, params: { format: 'mp4', fps: 0, quality: QUALITY, filename: 'bench' }, ctx });
    },
    async baseline() {
      execFileSync(ffmpegPath(), [
        '-hide_banner', '-loglevel', 'error', '-y',
        '-f', 'rawvideo', '-pix_fmt', 'rgb24', '-s', `${WIDTH}x${HEIGHT}`, '-r', String(FPS), '-i', rawFile,
        '-c:v', 'libx264', '-preset', 'medium', '-crf', String(x264Crf(QUALITY)), '-pix_fmt', 'yuv420p', '-movflags', '+faststart',
        path.join(dir, `plain-${round++}.mp4`),
      ]);
    },
    detail: (ms, baselineMs) => `${((frameCount * 1000) / ms).toFixed(1)} fps vs ${((frameCount * 1000) / baselineMs).toFixed(1)} fps`,
  };
}
