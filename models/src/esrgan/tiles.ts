/**
 * Tiles over a frame for a convolutional network: each tile's core is the
 * part of the output it gives, and the tile reads `context` more pixels on
 * every side (clipped at the frame's edges). With context at least the
 * network's receptive radius, the tiled result is the whole-frame result:
 * no seams, whatever the tile size.
 */
export interface Tile {
  /** The core, in input pixels. */
  x: number;
  y: number;
  width: number;
  height: number;
  /** What the network reads: the core plus context, inside the frame. */
  readX: number;
  readY: number;
  readWidth: number;
  readHeight: number;
}

export function tilesFor(width: number, height: number, tile: number, context: number): Tile[] {
  const tiles: Tile[] = [];
  for (let y = 0; y < height; y += tile) {
    for (let x = 0; x < width; x += tile) {
      const core = { x, y, width: Math.min(tile, width - x), height: Math.min(tile, height - y) };
      const readX = Math.max(0, x - context);
      const readY = Math.max(0, y - context);
      tiles.push({
        ...core,
        readX,
        readY,
        readWidth: Math.min(width, x + core.width + context) - readX,
        readHeight: Math.min(height, y + core.height + context) - readY,
      });
    }
  }
  return tiles;
}

/** Copies a rectangle of packed pixels (`channels` bytes each) out of a frame. */
export function cropPixels(frame: Uint8Array, frameWidth: number, channels: number, x: number, y: number, width: number, height: number): Uint8Array {
  const out = new Uint8Array(width * height * channels);
  const row = width * channels;
  for (let r = 0; r < height; r++) {
    const from = ((y + r) * frameWidth + x) * channels;
    out.set(frame.subarray(from, from + row), r * row);
  }
  return out;
}

/** Writes `source` (a `width`-wide rectangle, starting at (sx, sy) inside it) into `target` at (x, y). */
export function pastePixels(
  target: Uint8Array,
  targetWidth: number,
  channels: number,
  source: Uint8Array,
  sourceWidth: number,
  rect: { sx: number; sy: number; x: number; y: number; width: number; height: number },
): void {
  const row = rect.width * channels;
  for (let r = 0; r < rect.height; r++) {
    const from = ((rect.sy + r) * sourceWidth + rect.sx) * channels;
    target.set(source.subarray(from, from + row), ((rect.y + r) * targetWidth + rect.x) * channels);
  }
}
