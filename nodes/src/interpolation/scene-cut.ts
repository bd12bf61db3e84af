/**
 * Whether two neighbouring frames are a cut between shots rather than motion
 * within one: the mean absolute change of brightness (BT.601 luma, 0–255),
 * as a fraction of full scale, above a threshold. It is the measure ffmpeg's
 * `scdet` and `minterpolate` start from; motion moves edges, a cut changes
 * almost every pixel. Every other pixel of every other row is enough.
 */
export function lumaDifference(a: Uint8Array, b: Uint8Array, width: number): number {
  if (a.length !== b.length) throw new RangeError('Frames of different sizes cannot be compared.');
  const rowBytes = width * 3;
  const rows = a.length / rowBytes;
  let sum = 0;
  let count = 0;
  for (let y = 0; y < rows; y += 2) {
    for (let i = y * rowBytes; i < (y + 1) * rowBytes; i += 6) {
      const la = 77 * a[i]! + 150 * a[i + 1]! + 29 * a[i + 2]!;
      const lb = 77 * b[i]! + 150 * b[i + 1]! + 29 * b[i + 2]!;
      sum += Math.abs(la - lb);
      count++;
    }
  }
  return count === 0 ? 0 : sum / (count * 256 * 255);
}

export function isSceneCut(a: Uint8Array, b: Uint8Array, width: number, threshold: number): boolean {
  return threshold < 1 && lumaDifference(a, b, width) > threshold;
}
