/**
 * The built-in generator on the CPU (or whatever device chooseDevice picks):
 *
 * - frames per second of the `generate` node at 512×288 and 1280×720, against
 *   the bare ONNX session running the same graph on the same inputs (the
 *   node's overhead is embedding, camera path, copying, progress, previews);
 * - the Ken Burns case: a 1920×1080 photo pushed in over 5 s at 24 fps to
 *   1280×720 H.264, through reference-image → generate (strength 1) →
 *   export, against ffmpeg's own `zoompan` doing the same move on the same
 *   photo with the same encoder settings;
 * - the same shot run by the engine with its cache (each chunk filtered,
 *   deflated and checksummed on the way in, inflated on the way out to
 *   export), which is what `reelgraph run` costs, against zoompan again;
 * - the same shot with export reading generate's frames while they are
 *   written (what a streamed evaluator would do), against the two nodes one
 *   after the other: the numbers behind the engine's chunked-lazy decision.
 */
import { execFileSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Catalog, Engine, loadPipelineValue, type LoadedPipeline } from '@reelgraph/engine';
import { builtinNodes, ffmpegPath, memoryFrameStore, type FrameSequence, type FrameStore } from '@reelgraph/nodes';
import { ProceduralField, PROCEDURAL_MODEL } from '../../models/src/index.ts';
import { fieldFramesOf } from '../../models/src/procedural/procedural-shot.ts';
import { shotFrames } from '../../nodes/src/generation/shot-frames.ts';
import { x264Crf } from '../../nodes/src/media/encode.ts';
import { REPO_ROOT } from '../support/run-cli.ts';
import type { BenchCase } from './bench-harness.ts';
import { benchContext, PROMPT, PUSH_IN } from './bench-inputs.ts';

const node = (type: string) => builtinNodes.find((n) => n.type === type)!;
const FPS = 24;
const QUALITY = 80;


const fps = (frames: number, ms: number) => ((frames * 1000) / ms).toFixed(1);

export function generateCase(width: number, height: number, seconds: number): BenchCase {
  const frameCount = Math.round(seconds * FPS);
  let field: ProceduralField;
  return {
    name: `generate ${width}×${height}, ${frameCount} frames`,
    baselineName: 'the same graph, bare ORT session',
    runs: 3,
    async setup() {
      field = await ProceduralField.open({ width, height, fps: FPS, seed: 7, frames: fieldFramesOf({ frames: shotFrames(PROMPT, PUSH_IN, { fps: FPS, frameCount }), negative: PROMPT.negative }) });
    },
    async subject() {
      const params = { model: PROCEDURAL_MODEL.id, width, height, duration: seconds, fps: FPS, seed: 7, strength: 0 };
      await node('generate').run({ inputs: { prompt: PROMPT, camera: PUSH_IN, reference: undefined }, params, ctx: benchContext(tmpdir()) });
    },
    async baseline() {
      for (let start = 0; start < frameCount; start += field.framesPerRun) {
        await field.session.run(field.feeds(start, Math.min(field.framesPerRun, frameCount - start)));
      }
    },
    detail: (ms, baselineMs) => `${fps(frameCount, ms)} fps vs ${fps(frameCount, baselineMs)} fps bare, on ${field.device}`,
  };
}

/** The Ken Burns shot's inputs: a 1920×1080 photo in a temporary folder, and the three nodes run on it. */
function kenBurnsShot() {
  const [width, height, seconds] = [1280, 720, 5];
  const frameCount = seconds * FPS;
  let dir = '';
  let photo = '';
  let round = 0;
  const photoFile = () => ({ path: photo, name: 'photo.jpg', sha256: '', bytes: 0 });
  return {
    width,
    height,
    frameCount,
    get dir() {
      return dir;
    },
    get photo() {
      return photo;
    },
    async setup() {
      dir = await mkdtemp(path.join(tmpdir(), 'reelgraph-bench-kenburns-'));
      photo = path.join(dir, 'photo.jpg');
      execFileSync(ffmpegPath(), [
        ...['-hide_banner', '-loglevel', 'error', '-i', path.join(REPO_ROOT, 'examples/reference-photo/media/lake-at-dusk.jpg')],
        ...['-vf', 'scale=1920:1080:flags=lanczos', '-q:v', '2', photo],
      ]);
    },
    async teardown() {
      await rm(dir, { recursive: true, force: true });
    },
    /**
     * reference-image → generate → export. Streamed, export starts on the frames generate writes as it
     * writes them (its store hands the sequence over on creation); otherwise it starts once generate is done.
     */
    async run(streamed: boolean) {
      let handOver!: (frames: FrameSequence) => void;
      const written = new Promise<FrameSequence>((resolve) => (handOver = resolve));
      const frames: FrameStore = {
        create(shape) {
          const writer = memoryFrameStore.create(shape);
          if (shape.width === width && shape.height === height && shape.channels === 3) handOver(writer.sequence);
          return writer;
        },
      };
      const ctx = { ...benchContext(dir), frames };
      const { image } = await node('reference-image').run({ inputs: {}, params: { image: photoFile(), width: 1920, height: 1080, fit: 'cover' }, ctx });
      const params = { model: PROCEDURAL_MODEL.id, width, height, duration: seconds, fps: FPS, seed: 0, strength: 1 };
      const generating = node('generate').run({ inputs: { prompt: PROMPT, camera: PUSH_IN, reference: image }, params, ctx });
      const video = streamed ? { kind: 'video', width, height, fps: FPS, frameCount, frames: await written } : (await generating).video;
      const exportParams = { format: 'mp4', fps: 0, quality: QUALITY, filename: `kenburns-${streamed ? 'streamed' : 'serial'}-${round++}` };
      await Promise.all([generating, node('export').run({ inputs: { video }, params: exportParams, ctx })]);
    },
  };
}

/** ffmpeg's own `zoompan` making the shot's move from the same photo, with the same encoder settings. */
function zoompanRun(shot: ReturnType<typeof kenBurnsShot>): () => Promise<void> {
  const { width, height, frameCount } = shot;
  let round = 0;
  // ease-in-out (smoothstep) over the frames, zoom growing geometrically 1 → 1.6: the camera node's push-in at intensity 1.
  const progress = `(on/${frameCount - 1})`;
  const zoom = `pow(1.6\\,${progress}*${progress}*(3-2*${progress}))`;
  return async () => {
    execFileSync(ffmpegPath(), [
      ...['-hide_banner', '-loglevel', 'error', '-y', '-i', shot.photo],
      ...['-vf', `zoompan=z='${zoom}':x='iw/2-(iw/zoom/2)':y='ih/2-(ih/zoom/2)':d=${frameCount}:s=${width}x${height}:fps=${FPS}`],
      ...['-frames:v', String(frameCount), '-c:v', 'libx264', '-preset', 'medium', '-crf', String(x264Crf(QUALITY)), '-pix_fmt', 'yuv420p'],
      ...['-movflags', '+faststart', path.join(shot.dir, `zoompan-${round++}.mp4`)],
    ]);
  };
}

export function kenBurnsCase(): BenchCase {
  const shot = kenBurnsShot();
  return {
    name: `Ken Burns ${shot.width}×${shot.height} H.264, ${shot.frameCount} frames`,
    baselineName: 'ffmpeg zoompan, same move',
    runs: 3,
    setup: () => shot.setup(),
    teardown: () => shot.teardown(),
    subject: () => shot.run(false),
    baseline: zoompanRun(shot),
    detail: (ms, baselineMs) => `${fps(shot.frameCount, ms)} fps vs ${fps(shot.frameCount, baselineMs)} fps, both encoded`,
  };
}

/** The Ken Burns shot as a pipeline file would hold it. */
function kenBurnsPipeline(shot: ReturnType<typeof kenBurnsShot>) {
  const pipelineNode = (id: string, type: string, params: Record<string, unknown>) => ({ id, type, params });
  const edge = (from: string, fromPort: string, to: string, toPort: string) => ({ from: { node: from, port: fromPort }, to: { node: to, port: toPort } });
  return {
    format: 'reelgraph.pipeline',
    version: 1,
    name: 'Ken Burns',
    nodes: [
      pipelineNode('photo', 'reference-image', { image: path.basename(shot.photo), width: 1920, height: 1080, fit: 'cover' }),
      pipelineNode('prompt', 'prompt', { text: PROMPT.text }),
      pipelineNode('camera', 'camera-move', { preset: PUSH_IN.preset, framing: PUSH_IN.framing, intensity: PUSH_IN.intensity, easing: PUSH_IN.easing }),
      pipelineNode('shot', 'generate', { model: PROCEDURAL_MODEL.id, width: shot.width, height: shot.height, duration: shot.frameCount / FPS, fps: FPS, seed: 0, strength: 1 }),
      pipelineNode('export', 'export', { format: 'mp4', quality: QUALITY, filename: 'kenburns' }),
    ],
    edges: [edge('photo', 'image', 'shot', 'reference'), edge('prompt', 'prompt', 'shot', 'prompt'), edge('camera', 'camera', 'shot', 'camera'), edge('shot', 'video', 'export', 'video')],
  };
}

export function kenBurnsEngineCase(): BenchCase {
  const shot = kenBurnsShot();
  let engine: Engine;
  let pipeline: LoadedPipeline;
  let busy = new Map<string, number>();
  return {
    name: `Ken Burns ${shot.width}×${shot.height} through the engine, cache on`,
    baselineName: 'ffmpeg zoompan, same move',
    runs: 3,
    async setup() {
      await shot.setup();
      engine = new Engine({ catalog: new Catalog(builtinNodes), dataDir: path.join(shot.dir, 'data') });
      pipeline = loadPipelineValue(kenBurnsPipeline(shot), engine.catalog, shot.dir);
    },
    teardown: () => shot.teardown(),
    async subject() {
      const started = new Map<string, number>();
      busy = new Map();
      const result = await engine.run({ pipeline, noCache: true }, (event) => {
        if (event.type !== 'node.status') return;
        if (event.state === 'running') started.set(event.nodeId, performance.now());
        if (event.state === 'done') busy.set(event.nodeId, performance.now() - started.get(event.nodeId)!);
      });
      if (result.status !== 'succeeded') throw new Error(`the Ken Burns run ended ${result.status}`);
    },
    baseline: zoompanRun(shot),
    detail: (ms, baselineMs) => {
      const seconds = (id: string) => `${((busy.get(id) ?? 0) / 1000).toFixed(1)} s`;
      return `${fps(shot.frameCount, ms)} fps vs ${fps(shot.frameCount, baselineMs)} fps; last run: generate ${seconds('shot')}, export ${seconds('export')}`;
    },
  };
}

export function kenBurnsStreamedCase(): BenchCase {
  const shot = kenBurnsShot();
  return {
    name: `Ken Burns ${shot.width}×${shot.height}, export streamed beside generate`,
    baselineName: 'the same nodes one after the other',
    runs: 5,
    setup: () => shot.setup(),
    teardown: () => shot.teardown(),
    subject: () => shot.run(true),
    baseline: () => shot.run(false),
    detail: (ms, baselineMs) => `${fps(shot.frameCount, ms)} fps vs ${fps(shot.frameCount, baselineMs)} fps`,
  };
}
