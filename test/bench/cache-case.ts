/**
 * A generated 1920×1080 shot as a cache entry: appending its frames one by one
 * to an RGC3 entry file as a node does (chunks packed with the Up filter,
 * deflate level 1 and a CRC-32, a few at once), sealing and syncing it,
 * against writing its raw RGB frames; the detail column gives the entry's
 * bytes per frame as a share of raw RGB (the bounded-memory issue's goal: at
 * most 0.35).
 */
import { mkdtemp, open, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { builtinNodes, EntryFile, openEntry, type VideoValue } from '@reelgraph/nodes';
import { PROCEDURAL_MODEL } from '../../models/src/index.ts';
import type { BenchCase } from './bench-harness.ts';
import { benchContext, PROMPT, PUSH_IN } from './bench-inputs.ts';

async function writeSynced(file: string, bytes: Uint8Array): Promise<void> {
  const handle = await open(file, 'w');
  try {
    await handle.write(bytes);
    await handle.sync();
  } finally {
    await handle.close();
  }
}

export function cacheEntryCase(frames = 12): BenchCase {
  let dir: string;
  let video: VideoValue;
  let raw: Uint8Array;
  let entryBytes = 0;
  let round = 0;
  return {
    name: `cache entry of a generated 1920×1080 shot, ${frames} frames`,
    baselineName: 'writing its raw RGB',
    runs: 5,
    async setup() {
      dir = await mkdtemp(path.join(tmpdir(), 'reelgraph-bench-cache-'));
      const ctx = benchContext(dir);
      const params = { model: PROCEDURAL_MODEL.id, width: 1920, height: 1080, duration: frames / 24, fps: 24, seed: 7, strength: 0 };
      const generate = builtinNodes.find((n) => n.type === 'generate')!;
      video = ((await generate.run({ inputs: { prompt: PROMPT, camera: PUSH_IN, reference: undefined }, params, ctx })) as { video: VideoValue }).video;
      raw = await video.frames.read(0, video.frameCount);
      const probe = path.join(dir, 'probe.rgc');
      entryBytes = await new EntryFile(probe).seal({ video });
      // The bench measures a format that gives back what it was given.
      const back = (await openEntry(probe, { verify: true })).video as VideoValue;
      if (!Buffer.from(await back.frames.read(0, back.frameCount)).equals(raw)) throw new Error('the cache entry does not read back as the same frames');
    },
    async teardown() {
      await rm(dir, { recursive: true, force: true });
    },
    async subject() {
      // As a node writes it: frame by frame into the entry's writer, then sealed.
      const entry = new EntryFile(path.join(dir, `entry-${round++}.rgc`));
      const writer = entry.create(video.frames);
      const frameBytes = video.frames.frameBytes;
      for (let i = 0; i < frames; i++) await writer.append(raw.subarray(i * frameBytes, (i + 1) * frameBytes));
      await entry.seal({ video: { ...video, frames: await writer.finish() } });
    },
    async baseline() {
      await writeSynced(path.join(dir, 'raw.rgb'), raw);
    },
    detail: (ms) => {
      const frameBytes = video.width * video.height * 3;
      return `${(entryBytes / frames / frameBytes).toFixed(3)} of raw RGB per frame (${(entryBytes / frames / 1e6).toFixed(2)} MB vs ${(frameBytes / 1e6).toFixed(2)} MB); ${(ms / frames).toFixed(0)} ms per frame to store`;
    },
  };
}
