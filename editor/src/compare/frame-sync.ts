/**
 * Keeping two videos on the same frame. The player runs one timeline as long
 * as the longer video, at the higher of the two frame rates; each video
 * shows the frame under the timeline's time, and the shorter one holds its
 * last frame past its end. While playing, both play natively and the
 * follower is nudged (a slightly faster or slower rate) or, when far off,
 * seeked back onto the leader: seeking every frame would stutter.
 */

export const FALLBACK_FPS = 24;

/** An output summary as the engine sends it: `fps`, `frameCount` and `duration` when known. */
export type VideoTiming = Readonly<Record<string, unknown>>;

export interface Timeline {
  fps: number;
  frameCount: number;
}

function positive(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) && value > 0 ? value : undefined;
}

export function fpsOf(video: VideoTiming): number {
  return positive(video.fps) ?? FALLBACK_FPS;
}

/** Seconds of video: from its frame count where known (exact), else its duration. */
export function durationOf(video: VideoTiming): number {
  const frames = positive(video.frameCount);
  return frames !== undefined ? frames / fpsOf(video) : (positive(video.duration) ?? 0);
}

export function timelineOf(a: VideoTiming, b: VideoTiming): Timeline {
  const fps = Math.max(fpsOf(a), fpsOf(b));
  const seconds = Math.max(durationOf(a), durationOf(b));
  return { fps, frameCount: Math.max(1, Math.round(seconds * fps)) };
}

/** The time to seek to for a frame: its middle, so rounding never shows a neighbour. */
export function frameTime(frame: number, fps: number): number {
  return (frame + 0.5) / fps;
}

export function frameAt(time: number, timeline: Timeline): number {
  return Math.max(0, Math.min(timeline.frameCount - 1, Math.floor(time * timeline.fps)));
}

/** Where a video of `duration` seconds should be at timeline time `time`: there, or on its last frame once past its end. */
export function heldTime(time: number, duration: number, fps: number): number {
  const lastFrame = Math.max(0, duration - 0.5 / fps);
  return Math.max(0, Math.min(time, lastFrame));
}

/** Whether timeline time `time` is past a video's last frame (it should hold, paused). */
export function pastEnd(time: number, duration: number, fps: number): boolean {
  return time >= duration - 0.5 / fps;
}

export interface Correction {
  /** Seek the follower here (far off). */
  seekTo?: number;
  /** The follower's playback rate until the next check. */
  rate: number;
}

/** Beyond this many frames apart the follower seeks; within a quarter frame it plays at normal speed. */
export const SEEK_AFTER_FRAMES = 2;
const NUDGE = 0.06;

export function driftCorrection(leaderTime: number, followerTime: number, fps: number): Correction {
  const drift = followerTime - leaderTime;
  const frame = 1 / fps;
  if (Math.abs(drift) > SEEK_AFTER_FRAMES * frame) return { seekTo: leaderTime, rate: 1 };
  if (Math.abs(drift) > frame / 4) return { rate: drift > 0 ? 1 - NUDGE : 1 + NUDGE };
  return { rate: 1 };
}
