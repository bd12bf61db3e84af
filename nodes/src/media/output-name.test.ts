import { describe, expect, it } from 'vitest';
import { nextOutputNumber, outputName, sanitizeFilename } from './output-name.ts';

describe('sanitizeFilename', () => {
  it('keeps letters, digits, - _ and .', () => {
    expect(sanitizeFilename('shot-1_final.v2')).toBe('shot-1_final.v2');
    expect(sanitizeFilename('Straße 夜景')).toBe('Straße_夜景');
  });

  it('cannot name a path outside the folder, nor a hidden file', () => {
    expect(sanitizeFilename('../../etc/passwd')).toBe('etc_passwd');
    expect(sanitizeFilename('..\\..\\win.ini')).toBe('win.ini');
    expect(sanitizeFilename('/abs/path')).toBe('abs_path');
    expect(sanitizeFilename('.hidden')).toBe('hidden');
    expect(sanitizeFilename('..')).toBe('reelgraph');
  });

  it('falls back to reelgraph when nothing usable is left', () => {
    expect(sanitizeFilename('')).toBe('reelgraph');
    expect(sanitizeFilename('  /// ')).toBe('reelgraph');
  });

  it('drops an export extension and trailing dots, and caps the length in bytes', () => {
    expect(sanitizeFilename('clip.MP4')).toBe('clip');
    expect(sanitizeFilename('clip...')).toBe('clip');
    expect(sanitizeFilename('a'.repeat(300))).toHaveLength(100);
    const cjk = sanitizeFilename('夜'.repeat(100));
    expect(Buffer.byteLength(cjk)).toBeLessThanOrEqual(100);
    expect(cjk).toBe('夜'.repeat(33));
  });
});

describe('output numbering', () => {
  it('formats five-digit numbers, with or without an extension', () => {
    expect(outputName('clip', 1, 'mp4')).toBe('clip_00001.mp4');
    expect(outputName('clip', 123456)).toBe('clip_123456');
  });

  it('takes one past the highest number of that name, in any format', () => {
    expect(nextOutputNumber([], 'clip')).toBe(1);
    expect(nextOutputNumber(['clip_00001.mp4', 'clip_00007.gif', 'clip_00003', 'other_00042.mp4', 'clip_2_00099.mp4'], 'clip')).toBe(8);
    expect(nextOutputNumber(['CLIP_00004.mp4', '.clip_00009.mp4.1a2b.part'], 'clip')).toBe(5);
    expect(nextOutputNumber(['a.b_00002.mp4', 'axb_00005.mp4'], 'a.b')).toBe(3);
  });
});
