/**
 * Per-pixel blends for transitions, on RGB24 frames. A plain loop over the few
 * transition frames only; pixel math is meant to move onto ONNX graphs
 * (DESIGN §5), which these functions define the expected results for.
 */

/** Weights in 1/256 steps keep the loop in integers; `+ 128` rounds to nearest. */
function weight(t: number): number {
  return Math.round(Math.min(1, Math.max(0, t)) * 256);
}

/** out = a·(1 − t) + b·t, rounded; t in 0..1. `out` may be `a` or `b`. */
export function mixFrames(a: Uint8Array, b: Uint8Array, t: number, out: Uint8Array): void {
  if (a.length !== b.length || out.length !== a.length) throw new RangeError('mixFrames needs frames of the same size.');
  const wb = weight(t);
  const wa = 256 - wb;
  for (let i = 0; i < out.length; i++) out[i] = (a[i]! * wa + b[i]! * wb + 128) >> 8;
}

/** out = frame·gain, rounded; gain in 0..1 (0 is black). `out` may be `frame`. */
export function scaleFrame(frame: Uint8Array, gain: number, out: Uint8Array): void {
  if (out.length !== frame.length) throw new RangeError('scaleFrame needs frames of the same size.');
  const w = weight(gain);
  for (let i = 0; i < out.length; i++) out[i] = (frame[i]! * w + 128) >> 8;
}
