/**
 * The wipe: one frame, A on the left of a divider and B on the right. The
 * divider's place is a fraction of the frame's width (0 = all B, 1 = all A),
 * set by pointer or by keys as a slider is.
 */

export const WIPE_STEP = 0.01;
export const WIPE_PAGE_STEP = 0.1;

export function clampWipe(position: number): number {
  // Rounded, so steps of a hundredth do not pile up floating-point dust.
  return Number.isFinite(position) ? Math.round(Math.max(0, Math.min(1, position)) * 10_000) / 10_000 : 0.5;
}

/** The divider's place under a pointer at `clientX` over a frame spanning `left` to `left + width`. */
export function wipeFromPointer(clientX: number, frame: { left: number; width: number }): number {
  return frame.width > 0 ? clampWipe((clientX - frame.left) / frame.width) : 0.5;
}

/** The divider's place after a key (slider keys: arrows, Shift+arrows and Page keys a tenth, Home, End); undefined for other keys. */
export function wipeAfterKey(position: number, key: string, shift = false): number | undefined {
  const step = shift ? WIPE_PAGE_STEP : WIPE_STEP;
  switch (key) {
    case 'ArrowLeft':
    case 'ArrowDown':
      return clampWipe(position - step);
    case 'ArrowRight':
    case 'ArrowUp':
      return clampWipe(position + step);
    case 'PageDown':
      return clampWipe(position - WIPE_PAGE_STEP);
    case 'PageUp':
      return clampWipe(position + WIPE_PAGE_STEP);
    case 'Home':
      return 0;
    case 'End':
      return 1;
    default:
      return undefined;
  }
}

/** CSS clip for B, drawn over A: B shows only right of the divider. */
export function wipeClip(position: number): string {
  return `inset(0 0 0 ${(clampWipe(position) * 100).toFixed(2)}%)`;
}
