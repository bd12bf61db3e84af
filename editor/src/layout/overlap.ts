/** Whether any two node boxes overlap: a pipeline laid out for smaller nodes gets tidied on open. */
export interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

export function anyOverlap(boxes: readonly Box[], margin = 4): boolean {
  for (let i = 0; i < boxes.length; i += 1) {
    for (let j = i + 1; j < boxes.length; j += 1) {
      if (overlap(boxes[i]!, boxes[j]!, margin)) return true;
    }
  }
  return false;
}

/** Whether two boxes come closer than `margin`. */
export function overlap(a: Box, b: Box, margin = 0): boolean {
  return !(a.x + a.width + margin <= b.x || b.x + b.width + margin <= a.x || a.y + a.height + margin <= b.y || b.y + b.height + margin <= a.y);
}
