/**
 * Joins clips end to end with a transition (see transition-plan.ts). Clips of
 * another size or rate are first brought to the first clip's through ffmpeg;
 * then the frames are copied into one buffer and only the transition frames
 * are blended.
 */
import { throwIfAborted } from '../sdk/define-node.ts';
import { checkVideoSize } from '../sdk/limits.ts';
import { frameBytes, type VideoValue } from '../sdk/values.ts';
import { mixFrames, scaleFrame } from './blend.ts';
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
 * frames: a crossfade blends the last n frames of a clip with the first n of
 * the next; a fade through black darkens the outgoing clip's last frames and
 * brightens the incoming clip's first frames.
 */
export function assembleClips(
  clips: readonly VideoValue[],
  transition: Transition,
  transitionFrames: readonly number[],
  totalFrames: number,
  options: { signal: AbortSignal; onFrames?: (written: number) => void },
): VideoValue {
  const first = clips[0]!;
  checkVideoSize(first.width, first.height, totalFrames);
  const size = frameBytes(first.width, first.height);
  const out = new Uint8Array(totalFrames * size);
  let written = 0;
  const frame = (clip: VideoValue, index: number) => clip.frames.subarray(index * size, (index + 1) * size);
  const next = () => {
    const view = out.subarray(written * size, (written + 1) * size);
    written++;
    return view;
  };
  const copy = (clip: VideoValue, from: number, to: number) => {
    if (to <= from) return;
    out.set(clip.frames.subarray(from * size, to * size), written * size);
    written += to - from;
  };

  clips.forEach((clip, c) => {
    throwIfAborted(options.signal);
    const before = transitionFrames[c - 1] ?? 0;
    const after = transitionFrames[c] ?? 0;
    const last = clip.frameCount;
    if (transition === 'crossfade') {
      // The first `before` frames were blended into the previous transition.
      copy(clip, before, last - after);
      const incoming = clips[c + 1];
      for (let k = 0; incoming && k < after; k++) mixFrames(frame(clip, last - after + k), frame(incoming, k), crossfadeWeight(k, after), next());
    } else if (transition === 'fade-black') {
      const fadeIn = fadeHalves(before).in;
      const fadeOut = fadeHalves(after).out;
      for (let k = 0; k < fadeIn; k++) scaleFrame(frame(clip, k), fadeInGain(k, fadeIn), next());
      copy(clip, fadeIn, last - fadeOut);
      for (let k = 0; k < fadeOut; k++) scaleFrame(frame(clip, last - fadeOut + k), fadeOutGain(k, fadeOut), next());
    } else {
      copy(clip, 0, last);
    }
    options.onFrames?.(written);
  });
  if (written !== totalFrames) throw new Error(`Joining wrote ${written} frames where ${totalFrames} were planned.`);
  return { kind: 'video', width: first.width, height: first.height, fps: first.fps, frameCount: totalFrames, frames: out };
}
