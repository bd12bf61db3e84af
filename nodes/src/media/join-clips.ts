/**
 * Joins clips end to end with a transition (see transition-plan.ts). Clips of
 * another size or rate are first brought to the first clip's through ffmpeg;
 * then the frames are copied into one buffer and only the transition frames
 * are blended, as ONNX graphs on the chosen device.
 */
import { crossfade, type RgbFrames } from '@reelgraph/models';
import { throwIfAborted } from '../sdk/define-node.ts';
import { checkVideoSize } from '../sdk/limits.ts';
import { frameBytes, type VideoValue } from '../sdk/values.ts';
import { conformVideo } from './decode.ts';
import { crossfadeWeight, fadeHalves, fadeInGain, fadeOutGain, planTransitions, type Transition } from './transition-plan.ts';

export interface JoinOptions {
  transition: Transition;
  /** Seconds per transition, before the clamp to half of the shorter neighbour. */
  seconds: number;
  signal: AbortSignal;
  onProgress?: (done: number, total: number) => void;
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
        signal,
        onProgress: (done) => onProgress?.(conformDone + done, conformWork + clip.frameCount),
      }),
    );
    conformDone += clip.frameCount;
  }

  const plan = planTransitions(
    conformed.map((clip) => clip.frameCount),
    options.transition,
    options.seconds,
    first.fps,
  );
  return assembleClips(conformed, options.transition, plan.transitionFrames, plan.totalFrames, {
    signal,
    onFrames: (written) => onProgress?.(conformWork + written, conformWork + plan.totalFrames),
  });
}

/**
 * Writes clips of one size and rate into one video, blending the transition
 * frames with the models package's `crossfade` graph: a crossfade mixes the
 * last n frames of a clip with the first n of the next; a fade through black
 * mixes the outgoing clip's last frames towards black and the incoming
 * clip's first frames up from it. Each transition is one batched blend.
 */
export async function assembleClips(
  clips: readonly VideoValue[],
  transition: Transition,
  transitionFrames: readonly number[],
  totalFrames: number,
  options: { signal: AbortSignal; onFrames?: (written: number) => void },
): Promise<VideoValue> {
  const first = clips[0]!;
  const { width, height } = first;
  checkVideoSize(width, height, totalFrames);
  const size = frameBytes(width, height);
  const out = new Uint8Array(totalFrames * size);
  let written = 0;
  const span = (clip: VideoValue, from: number, to: number): RgbFrames => ({ width, height, frameCount: to - from, frames: clip.frames.subarray(from * size, to * size) });
  const black = (frameCount: number): RgbFrames => ({ width, height, frameCount, frames: new Uint8Array(frameCount * size) });
  const append = (frames: RgbFrames) => {
    out.set(frames.frames, written * size);
    written += frames.frameCount;
  };
  const blend = async (a: RgbFrames, b: RgbFrames, weight: (index: number) => number) => {
    if (a.frameCount === 0) return;
    throwIfAborted(options.signal);
    append(await crossfade(a, b, Array.from({ length: a.frameCount }, (_, k) => weight(k))));
  };

  for (const [c, clip] of clips.entries()) {
    throwIfAborted(options.signal);
    const before = transitionFrames[c - 1] ?? 0;
    const after = transitionFrames[c] ?? 0;
    const last = clip.frameCount;
    const incoming = clips[c + 1];
    if (transition === 'crossfade') {
      // The first `before` frames were blended into the previous transition.
      append(span(clip, before, last - after));
      if (incoming) await blend(span(clip, last - after, last), span(incoming, 0, after), (k) => crossfadeWeight(k, after));
    } else if (transition === 'fade-black') {
      const fadeIn = fadeHalves(before).in;
      const fadeOut = fadeHalves(after).out;
      await blend(black(fadeIn), span(clip, 0, fadeIn), (k) => fadeInGain(k, fadeIn));
      append(span(clip, fadeIn, last - fadeOut));
      await blend(span(clip, last - fadeOut, last), black(fadeOut), (k) => 1 - fadeOutGain(k, fadeOut));
    } else {
      append(span(clip, 0, last));
    }
    options.onFrames?.(written);
  }
  if (written !== totalFrames) throw new Error(`Joining wrote ${written} frames where ${totalFrames} were planned.`);
  return { kind: 'video', width, height, fps: first.fps, frameCount: totalFrames, frames: out };
}
