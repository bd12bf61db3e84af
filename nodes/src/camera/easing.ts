import type { CameraEasing } from '../sdk/values.ts';

/**
 * Maps linear progress in [0, 1] to eased progress in [0, 1]. Every curve
 * fixes 0 and 1 exactly and rises strictly in between, so an eased move
 * still reaches its end pose and never stalls or turns back mid-shot.
 */
export function ease(easing: CameraEasing, progress: number): number {
  const p = Math.min(1, Math.max(0, progress));
  switch (easing) {
    case 'linear':
      return p;
    case 'ease-in':
      return p * p * p;
    case 'ease-out':
      return 1 - (1 - p) ** 3;
    case 'ease-in-out':
      // Smoothstep: zero speed at both ends, like a camera operator starting and settling a move.
      return p * p * (3 - 2 * p);
  }
}
