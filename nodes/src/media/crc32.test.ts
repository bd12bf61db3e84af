import { describe, expect, it } from 'vitest';
import { crc32, tableCrc32 } from './crc32.ts';

describe('crc32', () => {
  it('matches the standard check value and PNG IEND chunk CRC', () => {
    expect(crc32(Buffer.from('123456789'))).toBe(0xcbf43926);
    expect(crc32(Buffer.from('IEND', 'latin1'))).toBe(0xae426082);
    expect(crc32(new Uint8Array())).toBe(0);
  });

  it('continues over pieces as over the whole', () => {
    const whole = Buffer.from('The quick brown fox jumps over the lazy dog');
    expect(crc32(whole)).toBe(0x414fa339);
    expect(crc32(whole.subarray(10), crc32(whole.subarray(0, 10)))).toBe(0x414fa339);
  });

  it('gives the same value through the table as through zlib', () => {
    const bytes = new Uint8Array(100_003).map((_, i) => (i * 2654435761) >>> 24);
    expect(tableCrc32(bytes)).toBe(crc32(bytes));
    expect(tableCrc32(bytes.subarray(7), 0x12345678)).toBe(crc32(bytes.subarray(7), 0x12345678));
    expect(tableCrc32(Buffer.from('123456789'))).toBe(0xcbf43926);
  });
});
