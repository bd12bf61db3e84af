/**
 * The optional visible "AI-generated" mark: white text with a dark shadow,
 * drawn into RGB24 frames in a corner and blended at an opacity. The glyphs
 * are a built-in 5×7 pixel font scaled by whole pixels (about 1/40 of the
 * frame height), so it needs no font file and looks the same everywhere.
 */
import { FrameSequence, type FrameChunk } from '../sdk/frame-sequence.ts';
import type { VideoValue } from '../sdk/values.ts';

export const WATERMARK_TEXT = 'AI-generated';
export const WATERMARK_CORNERS = ['bottom-right', 'bottom-left', 'top-right', 'top-left'] as const;
export type WatermarkCorner = (typeof WATERMARK_CORNERS)[number];

const GLYPHS: Record<string, readonly string[]> = {
  A: ['.###.', '#...#', '#...#', '#####', '#...#', '#...#', '#...#'],
  I: ['.###.', '..#..', '..#..', '..#..', '..#..', '..#..', '.###.'],
  '-': ['.....', '.....', '.....', '.###.', '.....', '.....', '.....'],
  g: ['.....', '.....', '.####', '#...#', '.####', '....#', '.###.'],
  e: ['.....', '.....', '.###.', '#...#', '#####', '#....', '.###.'],
  n: ['.....', '.....', '####.', '#...#', '#...#', '#...#', '#...#'],
  r: ['.....', '.....', '#.##.', '##..#', '#....', '#....', '#....'],
  a: ['.....', '.....', '.###.', '....#', '.####', '#...#', '.####'],
  t: ['.#...', '.#...', '####.', '.#...', '.#...', '.#..#', '..##.'],
  d: ['....#', '....#', '.####', '#...#', '#...#', '#...#', '.####'],
};
const GLYPH_W = 5;
const GLYPH_H = 7;
const ADVANCE = GLYPH_W + 1;

/** Where the text goes in a frame: its top-left pixel, the pixel scale, and the box it covers (shadow included). */
export function watermarkPlacement(width: number, height: number, corner: WatermarkCorner) {
  const scale = Math.max(1, Math.round(height / 180));
  const textW = (WATERMARK_TEXT.length * ADVANCE - 1) * scale;
  const textH = GLYPH_H * scale;
  const margin = Math.max(2, Math.round(Math.min(width, height) * 0.03));
  const left = corner.endsWith('left') ? margin : width - margin - textW - scale;
  const top = corner.startsWith('top') ? margin : height - margin - textH - scale;
  return { x: left, y: top, scale, box: { x: left, y: top, width: textW + scale, height: textH + scale } };
}

/** Draws the mark into `frames` (whole RGB24 frames back to back), in place. */
export function drawWatermark(frames: Uint8Array, width: number, height: number, corner: WatermarkCorner, opacity: number): void {
  const { x, y, scale } = watermarkPlacement(width, height, corner);
  const frameBytes = width * height * 3;
  const alpha = Math.min(1, Math.max(0, opacity));
  const plot = (frame: number, px: number, py: number, value: number) => {
    if (px < 0 || py < 0 || px >= width || py >= height) return;
    const i = frame * frameBytes + (py * width + px) * 3;
    for (let c = 0; c < 3; c++) frames[i + c] = Math.round(frames[i + c]! * (1 - alpha) + value * alpha);
  };
  // The text's pixels, once: the shadow first (one scaled pixel down and right), then the text over it.
  const cells: [number, number][] = [];
  [...WATERMARK_TEXT].forEach((char, index) => {
    const glyph = GLYPHS[char]!;
    for (let row = 0; row < GLYPH_H; row++) {
      for (let col = 0; col < GLYPH_W; col++) if (glyph[row]![col] === '#') cells.push([x + (index * ADVANCE + col) * scale, y + row * scale]);
    }
  });
  const text = new Set(cells.flatMap(([cx, cy]) => pixelsOf(cx, cy, scale).map(([px, py]) => py * width + px)));
  for (let frame = 0; frame * frameBytes < frames.byteLength; frame++) {
    for (const [cx, cy] of cells) {
      for (const [px, py] of pixelsOf(cx + scale, cy + scale, scale)) if (!text.has(py * width + px)) plot(frame, px, py, 0);
    }
    for (const [cx, cy] of cells) for (const [px, py] of pixelsOf(cx, cy, scale)) plot(frame, px, py, 255);
  }
}

function pixelsOf(x: number, y: number, scale: number): [number, number][] {
  const out: [number, number][] = [];
  for (let dy = 0; dy < scale; dy++) for (let dx = 0; dx < scale; dx++) out.push([x + dx, y + dy]);
  return out;
}

/** The video with the mark on every frame, drawn a stored chunk at a time as the frames are read. */
export async function watermarkedVideo(video: VideoValue, corner: WatermarkCorner, opacity: number): Promise<VideoValue> {
  await video.frames.whenComplete();
  const { width, height } = video;
  const chunks: FrameChunk[] = video.frames.chunks.map((chunk) => ({
    start: chunk.start,
    frameCount: chunk.frameCount,
    load: async () => {
      const copy = (await chunk.load()).slice();
      drawWatermark(copy, width, height, corner, opacity);
      return copy;
    },
  }));
  return { ...video, frames: FrameSequence.of({ width, height, channels: 3 }, chunks) };
}
