/**
 * Every generating example runs through the real CLI, real ffmpeg and a real
 * data dir, and its export is checked with ffprobe and by its pixels: the
 * push-in pushes in, the photo shows through, the storyboard's shots are
 * joined without a hard cut, and inpainting keeps what lies outside its
 * region.
 */
import { readdir, readFile, rm, writeFile, mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { recordModels } from '@reelgraph/engine/model-records';
import { findModel, modelDigest } from '@reelgraph/models';
import { builtinNodes, decodeImage, probeMedia, type CameraValue } from '@reelgraph/nodes';
import { decodeWhole, type DecodedVideo } from '../support/decoded-video.ts';
import { afterAll, describe, expect, it } from 'vitest';
import { resolveCameraPath } from '../../nodes/src/camera/camera-path.ts';
import { correlation, estimateZoom, luma, meanAbsoluteDifference } from '../../nodes/src/generation/test-motion.ts';
import { copyExample, finalStates, REPO_ROOT, runCli } from '../support/run-cli.ts';

const scratch: string[] = [];
afterAll(() => Promise.all(scratch.map((dir) => rm(dir, { recursive: true, force: true }))));

/** Runs an example (optionally edited first) and returns each export's path by export node id. */
async function runExample(name: string, edit?: (document: { nodes: unknown[]; edges: unknown[] }) => void): Promise<Record<string, string>> {
  const work = await copyExample(name);
  const dataDir = await mkdtemp(path.join(tmpdir(), 'reelgraph-data-'));
  scratch.push(work, dataDir);
  const file = path.join(work, `${name}.reel.json`);
  if (edit) {
    const document = JSON.parse(await readFile(file, 'utf8'));
    edit(document);
    await writeFile(file, JSON.stringify(document));
  }
  const result = await runCli(['run', file, '--json', '--data-dir', dataDir]);
  expect(result.code, result.stderr).toBe(0);
  expect(result.lines.at(-1)).toMatchObject({ type: 'run.finished', status: 'succeeded' });
  expect(Object.values(finalStates(result.lines)).every((state) => state === 'done')).toBe(true);
  const exports: Record<string, string> = {};
  for (const line of result.lines) {
    if (line.type !== 'node.output') continue;
    const file = (line.outputs as { file?: { path: string } }).file;
    if (file) exports[line.nodeId as string] = path.join(dataDir, file.path);
  }
  return exports;
}

/** Mean absolute difference of two frames over the pixels where `where(x, y)` holds. */
function differenceWhere(video: DecodedVideo, a: Uint8Array, b: Uint8Array, where: (x: number, y: number) => boolean): number {
  let sum = 0;
  let count = 0;
  for (let y = 0; y < video.height; y++) {
    for (let x = 0; x < video.width; x++) {
      if (!where(x, y)) continue;
      const i = (y * video.width + x) * 3;
      sum += Math.abs(a[i]! - b[i]!) + Math.abs(a[i + 1]! - b[i + 1]!) + Math.abs(a[i + 2]! - b[i + 2]!);
      count += 3;
    }
  }
  return sum / count;
}

describe('examples', () => {
  it('every example records the models it uses, with the digests of the installed weights', async () => {
    const kinds = new Map(builtinNodes.map((node) => [node.type, node.params as Record<string, { kind: string; default?: unknown }>]));
    for (const name of await readdir(path.join(REPO_ROOT, 'examples'))) {
      const document = JSON.parse(await readFile(path.join(REPO_ROOT, 'examples', name, `${name}.reel.json`), 'utf8'));
      const recorded = recordModels(document, (type) => kinds.get(type), (id) => modelDigest(findModel(id)!));
      expect(document.models, name).toEqual(recorded.models);
    }
  });

  it('first-shot: prompt → push-in → generate → a 3 s H.264 shot that pushes in', async () => {
    const { export: file } = await runExample('first-shot');
    const info = await probeMedia(file!, { countFrames: true });
    expect(info).toMatchObject({ codec: 'h264', width: 512, height: 288, frameCount: 72 });
    expect(info.fps).toBeCloseTo(24, 5);
    const video = await decodeWhole(file!);
    // The camera node's own path for the example's move: intensity 0.6 of a 1.6× push-in, eased in and out.
    const camera: CameraValue = { kind: 'camera', preset: 'push-in', framing: 'medium', intensity: 0.6, easing: 'ease-in-out', seed: 0, keyframes: [] };
    const path = resolveCameraPath(camera, { fps: 24, frameCount: 72 });
    // Quarter-second spans. The field flows as well, which block matching reads as a little extra zoom (measured
    // 20–40% on top of the camera's); a still or pulling camera would measure 1 or less.
    for (const k of [12, 24, 36, 48]) {
      const { zoom } = estimateZoom(video.frame(k), video.frame(k + 6), 512, 288);
      const expected = path[k + 6]!.zoom / path[k]!.zoom;
      expect(zoom - 1, `frames ${k} to ${k + 6}: ${zoom} vs ${expected}`).toBeGreaterThan(0.7 * (expected - 1));
      expect(zoom - 1, `frames ${k} to ${k + 6}: ${zoom} vs ${expected}`).toBeLessThan(1.7 * (expected - 1));
    }
  });

  it('reference-photo: the photo shows through the push-in, frame 0 matching it', async () => {
    const { export: file } = await runExample('reference-photo');
    const video = await decodeWhole(file!);
    expect(video).toMatchObject({ width: 512, height: 288, frameCount: 72 });
    const photo = await decodeImage(path.join(REPO_ROOT, 'examples/reference-photo/media/lake-at-dusk.jpg'), { reduceTo: { width: 512, height: 288 } });
    expect([photo.width, photo.height]).toEqual([512, 288]);
    // Strength 0.85 and a wide framing: frame 0 is the photo with the field's glow over it.
    expect(correlation(luma(video.frame(0)), luma(photo.pixels))).toBeGreaterThan(0.9);
    expect(estimateZoom(video.frame(0), video.frame(71), 512, 288).zoom).toBeGreaterThan(1.3);
  });

  it('storyboard: three shots joined by crossfades, with no hard cut', async () => {
    const { export: file } = await runExample('storyboard');
    const info = await probeMedia(file!, { countFrames: true });
    // 3 × 48 frames, overlapping by 12 at each of the two crossfades.
    expect(info).toMatchObject({ codec: 'h264', width: 512, height: 288, frameCount: 120 });
    const video = await decodeWhole(file!);
    // Forest at dawn and neon city: other palettes, other shapes (measured 60+).
    expect(meanAbsoluteDifference(video.frame(0), video.frame(119))).toBeGreaterThan(20);
    // A hard cut is one step far larger than the steps around it (these shots differ by 60+, their frames by a few
    // to 20 as the camera moves); a crossfade spreads the change over 12 frames, so no step stands out.
    const steps = Array.from({ length: 119 }, (_, i) => meanAbsoluteDifference(video.frame(i), video.frame(i + 1)));
    steps.forEach((step, i) => {
      const around = [...steps.slice(Math.max(0, i - 3), i), ...steps.slice(i + 1, i + 4)];
      expect(step, `step ${i}`).toBeLessThan(2 * Math.max(...around) + 2);
    });
  });

  it('inpaint: the drifting ellipse changes, everything outside it stays as generated', async () => {
    // A second export of the shot before inpainting, to compare with.
    const exports = await runExample('inpaint', (document) => {
      document.nodes.push({ id: 'export-shot', type: 'export', params: { format: 'mp4', quality: 80, filename: 'shot' } });
      document.edges.push({ from: { node: 'shot', port: 'video' }, to: { node: 'export-shot', port: 'video' } });
    });
    const [inpainted, shot] = await Promise.all([decodeWhole(exports.export!), decodeWhole(exports['export-shot']!)]);
    expect(inpainted).toMatchObject({ width: 512, height: 288, frameCount: 60 });
    const { width: W, height: H } = inpainted;
    // The ellipse's centre moves from (0.35, 0.45) to (0.65, 0.5) of the frame over the 2.5 s; it never reaches
    // the outer band (its extremes plus the 8 px half-feather keep 19 px from it at the closest).
    const outside = (x: number, y: number) => x < 50 || x >= W - 50 || y < 30 || y >= H - 38;
    for (const i of [0, 30, 59]) {
      const t = i / 24 / 2.5;
      const [cx, cy] = [(0.35 + 0.3 * t) * W, (0.45 + 0.05 * t) * H];
      const centre = (x: number, y: number) => Math.abs(x - cx) < 30 && Math.abs(y - cy) < 20;
      const a = inpainted.frame(i);
      const b = shot.frame(i);
      // Aurora inside: tens of levels away from the storm (measured 40+).
      expect(differenceWhere(inpainted, a, b, centre), `frame ${i} inside`).toBeGreaterThan(20);
      // Outside: the same pixels went through H.264 twice, in other surroundings: a level or two.
      expect(differenceWhere(inpainted, a, b, outside), `frame ${i} outside`).toBeLessThan(3);
    }
  });

  it('upscale: the shot ×2 by ESRGAN slim, the same picture at twice the size', async () => {
    const exports = await runExample('upscale', (document) => {
      document.nodes.push({ id: 'export-shot', type: 'export', params: { format: 'mp4', quality: 80, filename: 'shot' } });
      document.edges.push({ from: { node: 'shot', port: 'video' }, to: { node: 'export-shot', port: 'video' } });
    });
    const [upscaled, shot] = await Promise.all([decodeWhole(exports.export!), decodeWhole(exports['export-shot']!)]);
    expect(upscaled).toMatchObject({ width: 512, height: 288, frameCount: 48 });
    expect(shot).toMatchObject({ width: 256, height: 144, frameCount: 48 });
    for (const i of [0, 24, 47]) {
      // Each 2×2 block of the upscaled frame, averaged, against the shot's pixel there.
      const big = upscaled.frame(i);
      const small = shot.frame(i);
      let sum = 0;
      for (let y = 0; y < 144; y++) {
        for (let x = 0; x < 256; x++) {
          for (let c = 0; c < 3; c++) {
            const at = (yy: number, xx: number) => big[(yy * 512 + xx) * 3 + c]!;
            const mean = (at(2 * y, 2 * x) + at(2 * y, 2 * x + 1) + at(2 * y + 1, 2 * x) + at(2 * y + 1, 2 * x + 1)) / 4;
            sum += Math.abs(mean - small[(y * 256 + x) * 3 + c]!);
          }
        }
      }
      // The same picture: a few levels apart (two H.264 encodes and the network's sharpening); another frame would be tens.
      expect(sum / (256 * 144 * 3), `frame ${i}`).toBeLessThan(6);
    }
  });

  it('smooth-motion: a 12 fps shot made 24 fps by RIFE: the shot’s frames kept, new moments between them', async () => {
    // The shot itself, and the same shot rendered at 24 fps: the truth for the moments RIFE makes (the handheld
    // camera and the field both move by time, not by progress through the shot, so frame 2k + 1 at 24 fps is the
    // moment halfway between frames k and k + 1 at 12).
    const exports = await runExample('smooth-motion', (document) => {
      const shot = document.nodes.find((node) => (node as { id: string }).id === 'shot') as { params: Record<string, unknown> };
      document.nodes.push({ id: 'truth', type: 'generate', params: { ...shot.params, fps: 24 } });
      document.nodes.push({ id: 'export-truth', type: 'export', params: { format: 'mp4', quality: 85, filename: 'truth' } });
      document.nodes.push({ id: 'export-shot', type: 'export', params: { format: 'mp4', quality: 85, filename: 'shot' } });
      document.edges.push({ from: { node: 'prompt', port: 'prompt' }, to: { node: 'truth', port: 'prompt' } });
      document.edges.push({ from: { node: 'camera', port: 'camera' }, to: { node: 'truth', port: 'camera' } });
      document.edges.push({ from: { node: 'truth', port: 'video' }, to: { node: 'export-truth', port: 'video' } });
      document.edges.push({ from: { node: 'shot', port: 'video' }, to: { node: 'export-shot', port: 'video' } });
    });
    const info = await probeMedia(exports.export!, { countFrames: true });
    expect(info).toMatchObject({ codec: 'h264', width: 320, height: 192, frameCount: 48 });
    expect(info.fps).toBeCloseTo(24, 5);
    const [smooth, shot, truth] = await Promise.all([decodeWhole(exports.export!), decodeWhole(exports['export-shot']!), decodeWhole(exports['export-truth']!)]);
    for (const k of [5, 10, 15]) {
      // Kept: the shot's frame, through two H.264 encodes.
      expect(meanAbsoluteDifference(smooth.frame(2 * k), shot.frame(k)), `kept frame ${2 * k}`).toBeLessThan(2);
      // Made: a moment of its own, nearer the 24 fps render of that moment than either kept neighbour is.
      const i = 2 * k + 1;
      const [before, after] = [smooth.frame(i - 1), smooth.frame(i + 1)];
      const made = meanAbsoluteDifference(smooth.frame(i), truth.frame(i));
      const neighbours = Math.min(meanAbsoluteDifference(before, truth.frame(i)), meanAbsoluteDifference(after, truth.frame(i)));
      const blend = meanAbsoluteDifference(before.map((v, j) => (v + after[j]!) / 2), truth.frame(i));
      console.log(`smooth-motion frame ${i} against the 24 fps render: made ${made.toFixed(2)}, blend ${blend.toFixed(2)}, nearest neighbour ${neighbours.toFixed(2)} levels`);
      expect(made, `made frame ${i}`).toBeLessThan(neighbours);
    }
  });
});
