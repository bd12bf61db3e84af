/**
 * How clips are joined: how many frames each transition takes and how the
 * blends are weighted. Pure arithmetic; the concat node does the pixels.
 */

export const TRANSITIONS = ['cut', 'crossfade', 'fade-black'] as const;
export type Transition = (typeof TRANSITIONS)[number];

export interface TransitionPlan {
  /** Frames of each transition, one per pair of neighbouring clips. */
  transitionFrames: number[];
  totalFrames: number;
}

/** One join between neighbouring clips: how they meet and for how long. */
export interface Join {
  transition: Transition;
  seconds: number;
}

/**
 * A transition lasts `seconds` rounded to whole frames, but never more than
 * half of either neighbouring clip, so that the two transitions of a middle
 * clip never overlap. A crossfade overlaps the clips (the total shrinks by
 * its length); cut and fade-black keep every frame. `joins` has one entry per
 * pair of neighbours, or a single join used for all of them.
 */
export function planTransitions(clipFrames: readonly number[], joins: Join | readonly Join[], fps: number): TransitionPlan {
  const joinAt = (index: number): Join => (Array.isArray(joins) ? (joins as readonly Join[])[index]! : (joins as Join));
  const transitionFrames = clipFrames.slice(1).map((next, index) => {
    const { transition, seconds } = joinAt(index);
    const wanted = transition === 'cut' ? 0 : Math.max(0, Math.round(seconds * fps));
    const previous = clipFrames[index]!;
    return Math.min(wanted, Math.floor(Math.min(previous, next) / 2));
  });
  const sum = clipFrames.reduce((total, count) => total + count, 0);
  const overlap = transitionFrames.reduce((total, count, index) => total + (joinAt(index).transition === 'crossfade' ? count : 0), 0);
  return { transitionFrames, totalFrames: sum - overlap };
}

/**
 * The join after each clip but the last: the override for that join where
 * one is given (an entry of `overrides`, by join number), else the global one.
 */
export function joinsFor(clipCount: number, global: Join, overrides: readonly (Join | null | undefined)[]): Join[] {
  return Array.from({ length: Math.max(0, clipCount - 1) }, (_, index) => overrides[index] ?? global);
}

/** Weight of the incoming clip in crossfade frame `index` of `frames`: strictly between 0 and 1, 0.5 in the middle. */
export function crossfadeWeight(index: number, frames: number): number {
  return (index + 1) / (frames + 1);
}

/**
 * A fade through black: the outgoing clip's last `out` frames fade down,
 * reaching black on its last frame, then the incoming clip's first `in`
 * frames fade up from black. The odd frame goes to the outgoing half.
 */
export function fadeHalves(frames: number): { out: number; in: number } {
  return { out: Math.ceil(frames / 2), in: Math.floor(frames / 2) };
}

/** Brightness of frame `index` of the outgoing half of `frames`: (frames−1)/frames … 0. */
export function fadeOutGain(index: number, frames: number): number {
  return (frames - 1 - index) / frames;
}

/** Brightness of frame `index` of the incoming half of `frames`: 0 … (frames−1)/frames. */
export function fadeInGain(index: number, frames: number): number {
  return index / frames;
}
