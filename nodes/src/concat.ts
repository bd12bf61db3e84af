import { joinClips } from './media/join-clips.ts';
import { TRANSITIONS, type Transition } from './media/transition-plan.ts';
import { defineNode } from './sdk/define-node.ts';
import { param } from './sdk/param.ts';
import { port, type PortSpec } from './sdk/port.ts';
import type { VideoValue } from './sdk/values.ts';

/** How many clips one concat joins; the editor shows the inputs as wires arrive, so only the used ones and one free one take room. */
export const MAX_CLIPS = 32;

/** One join's own transition, overriding the node's `transition` and `duration` there. */
export interface JoinOverride {
  transition: Transition;
  duration: number;
}

/** Why `value` is not a list of per-join overrides (null or `{ transition, duration }` each), or undefined. */
export function checkJoins(value: unknown): string | undefined {
  if (!Array.isArray(value)) return 'must be a list with one entry per join (null keeps the node’s transition)';
  if (value.length > MAX_CLIPS - 1) return `has ${value.length} entries; ${MAX_CLIPS} clips have ${MAX_CLIPS - 1} joins`;
  for (const [index, entry] of value.entries()) {
    if (entry === null) continue;
    const join = entry as Partial<Record<string, unknown>>;
    if (typeof entry !== 'object' || !TRANSITIONS.includes(join.transition as Transition)) {
      return `join ${index + 1} must be null or { "transition": ${TRANSITIONS.map((t) => `"${t}"`).join(' | ')}, "duration": seconds }`;
    }
    if (typeof join.duration !== 'number' || !(join.duration >= 0 && join.duration <= 5)) return `join ${index + 1}'s duration must be between 0 and 5 seconds`;
  }
  return undefined;
}

const moreClips = Object.fromEntries(
  Array.from({ length: MAX_CLIPS - 2 }, (_, i) => [`clip${i + 3}`, port.video({ optional: true, growing: true })]),
) as Record<`clip${number}`, PortSpec<'VIDEO', true>>;

/**
 * Joins up to MAX_CLIPS clips in slot order, skipping empty slots.
 *
 * - The first clip sets the size and frame rate. A clip of another size is
 *   letterboxed into it (scaled to fit, centred, black bars: nothing is cut
 *   off); a clip of another rate is resampled by ffmpeg's fps filter (frames
 *   dropped or repeated, not blended).
 * - `crossfade` overlaps neighbouring clips by the duration, so the result is
 *   shorter than the clips together by one duration per transition.
 * - `fade-black` fades the outgoing clip to black over the first half of the
 *   duration and the incoming clip up from black over the second half; the
 *   clips do not overlap, so no frame is lost.
 * - A transition never takes more than half of either neighbouring clip: the
 *   duration is shortened to that where a clip is short, so the two
 *   transitions of a middle clip never overlap.
 * - `joins` overrides the transition of single joins (the n-th entry joins
 *   the n-th and n+1-th clip that is wired, in slot order); an empty list or a
 *   null entry uses `transition` and `duration`. Version 4 added it; older
 *   files lack the param and get the empty default, so they join as before.
 */
export default defineNode({
  type: 'concat',
  version: 4,
  title: 'Concat',
  category: 'Edit',
  description:
    'Joins clips one after another with a cut, a crossfade or a fade through black. Clips of another size are letterboxed and other frame rates resampled to match the first clip.',
  inputs: {
    clip1: port.video({ description: 'First clip; its size and frame rate are the result’s.' }),
    clip2: port.video({ description: 'Second clip.' }),
    ...moreClips,
  },
  outputs: { video: port.video() },
  params: {
    transition: param.select({
      options: TRANSITIONS,
      default: 'crossfade',
      description: 'cut joins directly; crossfade blends overlapping clips; fade-black dips to black between them.',
    }),
    duration: param.number({
      default: 0.5,
      min: 0,
      max: 5,
      step: 0.1,
      unit: 's',
      description: 'Length of each transition; shortened where a clip is too short for it.',
    }),
    joins: param.json<(JoinOverride | null)[]>({
      default: [],
      widget: 'concat-joins',
      check: checkJoins,
      description: 'Per join, a transition and duration of its own (the storyboard edits these between its shots); null or missing uses the ones above.',
    }),
  },
  device: 'cpu',
  deterministic: true,
  async run({ inputs, params, ctx }) {
    const clips = Array.from({ length: MAX_CLIPS }, (_, i) => (inputs as Record<string, VideoValue | undefined>)[`clip${i + 1}`]).filter((clip): clip is VideoValue => clip !== undefined);
    const video = await joinClips(clips, {
      transition: params.transition,
      seconds: params.duration,
      joins: params.joins.map((join) => (join ? { transition: join.transition, seconds: join.duration } : null)),
      signal: ctx.signal,
      store: ctx.frames,
      scratch: ctx.scratchFrames,
      onProgress: (done, total) => ctx.progress(done, total),
    });
    return { video };
  },
});
