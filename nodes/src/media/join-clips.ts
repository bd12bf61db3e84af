/**
 * Joins clips end to end with a transition (see transition-plan.ts). Clips of
 * another size or rate are first brought to the first clip's through ffmpeg
 * (into scratch frames); then the frames stream into the result a chunk at a
 * time and only the transition frames are blended, as ONNX graphs on the
 * chosen device, a chunk's worth of frames per batch.
 */
import { crossfade, type RgbFrames } from '@reelgraph/models';
import { throwIfAborted } from '../sdk/define-node.ts';
import type { FrameStore } from '../sdk/frame-sequence.ts';
import { checkVideoSize } from '../sdk/limits.ts';
import { chunkFramesFor } from '../sdk/pixel-chunks.ts';
import { frameBytes, videoOf, type VideoValue } from '../sdk/values.ts';
import { conformVideo } from './decode.ts';
import { crossfadeWeight, fadeHalves, fadeInGain, fadeOutGain, joinsFor, planTransitions, type Join, type Transition } from './transition-plan.ts';

export interface JoinOptions {
  transition: Transition;
  /** Seconds per transition, before the clamp to half of the shorter neighbour. */
  seconds: number;
  /** Per join (the n-th entry joins clip n and n+1): one that overrides `transition` and `seconds`; missing or null uses them. */
  joins?: readonly (Join | null | undefined)[];
  signal: AbortSignal;
  onProgress?: (done: number, total: number) => void;
  /** Where the joined frames go. */
  store: FrameStore;
  /** Where resized clips go while they are joined. */
  scratch: FrameStore;
}

export function sameFormat(a: VideoValue, b: VideoValue): boolean {
  return a.width === b.width && a.height === b.height && Math.abs(a.fps - b.fps) < 1e-6;
}

/**
 * Joins `clips` in order. A clip that differs from the first in size is
 * letterboxed into it (`contain`: scaled to fit, black bars), one that differs
 * in rate is resampled to it (frames dropped or repeated).
 */
export async function joinClips(clips: readonly VideoValue[], options: JoinOptions): Promise<VideoValue> {
  const first = clips[0];
  if (!first) throw new RangeError('joinClips needs at least one clip.');
  const { signal, onProgress } = options;
  const conformWork = clips.reduce((sum, clip) => sum + (sameFormat(clip, first) ? 0 : clip.frameCount), 0);
  let conformDone = 0;

  const conformed: VideoValue[] = [];
  for (const clip of clips) {
    if (sameFormat(clip, first)) {
      conformed.push(clip);
      continue;
    }
    conformed.push(
      await conformVideo(clip, {
        width: first.width,
        height: first.height,
        fps: first.fps,
        fit: 'contain',
        store: options.scratch,
        signal,
        onProgress: (done) => onProgress?.(conformDone + done, conformWork + clip.frameCount),
      }),
    );
    conformDone += clip.frameCount;
  }

  const joins = joinsFor(conformed.length, { transition: options.transition, seconds: options.seconds }, options.joins ?? []);
  const plan = planTransitions(
    conformed.map((clip) => clip.frameCount),
    joins,
    first.fps,
  );
  return assembleClips(conformed, joins.map((join) => join.transition), plan.transitionFrames, plan.totalFrames, {
    signal,
    store: options.store,
    onFrames: (written) => onProgress?.(conformWork + written, conformWork + plan.totalFrames),
  });
}

/**
 * Writes clips of one size and rate into one video, blending the transition
 * frames with the models package's `crossfade` graph: a crossfade mixes the
 * last n frames of a clip with the first n of the next; a fade through black
 * mixes the outgoing clip's last frames towards black and the incoming
 * clip's first frames up from it. Each transition is one batched blend.
 * `transition` is one kind for every join, or one per join.
 */
export async function assembleClips(
  clips: readonly VideoValue[],
  transition: Transition | readonly Transition[],
  transitionFrames: readonly number[],
  totalFrames: number,
  options: { signal: AbortSignal; store: FrameStore; onFrames?: (written: number) => void },
): Promise<VideoValue> {
  const first = clips[0]!;
  const { width, height } = first;
  checkVideoSize(width, height, totalFrames);
  const size = frameBytes(width, height);
  const batch = chunkFramesFor(size);
  const writer = options.store.create({ width, height, channels: 3 });
  let written = 0;
  const append = async (frames: Uint8Array, count: number) => {
    await writer.append(frames);
    written += count;
    options.onFrames?.(written);
  };
  const copy = async (clip: VideoValue, from: number, to: number) => {
    for await (const block of clip.frames.blocks(from, to)) {
      throwIfAborted(options.signal);
      await append(block.data, block.frameCount);
    }
  };
  /** Frames of a clip from `from`, or black when `clip` is undefined, `count` at a time. */
  type Source = (offset: number, count: number) => Promise<RgbFrames>;
  const span = (clip: VideoValue, from: number): Source => async (offset, count) => ({ width, height, frameCount: count, frames: await clip.frames.read(from + offset, count) });
  const black: Source = (_offset, count) => Promise.resolve({ width, height, frameCount: count, frames: new Uint8Array(count * size) });
  const blend = async (a: Source, b: Source, frames: number, weight: (index: number) => number) => {
    for (let offset = 0; offset < frames; offset += batch) {
      throwIfAborted(options.signal);
      const count = Math.min(batch, frames - offset);
      const mixed = await crossfade(await a(offset, count), await b(offset, count), Array.from({ length: count }, (_, k) => weight(offset + k)));
      await append(mixed.frames, count);
    }
  };

  const kindAt = (join: number): Transition | undefined =>
    join < 0 || join >= clips.length - 1 ? undefined : typeof transition === 'string' ? transition : transition[join];
  for (const [c, clip] of clips.entries()) {
    throwIfAborted(options.signal);
    const before = transitionFrames[c - 1] ?? 0;
    const after = transitionFrames[c] ?? 0;
    const last = clip.frameCount;
    const incoming = clips[c + 1];
    // The head: a crossfade's first `before` frames were blended into the previous transition; a fade through black comes up from black.
    let from = 0;
    if (kindAt(c - 1) === 'crossfade') from = before;
    else if (kindAt(c - 1) === 'fade-black') {
      from = fadeHalves(before).in;
      await blend(black, span(clip, 0), from, (k) => fadeInGain(k, from));
    }
    const afterKind = kindAt(c);
    const to = afterKind === 'crossfade' ? last - after : afterKind === 'fade-black' ? last - fadeHalves(after).out : last;
    await copy(clip, from, to);
    if (afterKind === 'crossfade' && incoming) await blend(span(clip, to), span(incoming, 0), after, (k) => crossfadeWeight(k, after));
    if (afterKind === 'fade-black') {
      const fadeOut = last - to;
      await blend(span(clip, to), black, fadeOut, (k) => 1 - fadeOutGain(k, fadeOut));
    }
  }
  if (written !== totalFrames) throw new Error(`Joining wrote ${written} frames where ${totalFrames} were planned.`);
  return videoOf(await writer.finish(), first.fps);
}
