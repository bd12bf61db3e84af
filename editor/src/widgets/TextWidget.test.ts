import { describe, expect, it } from 'vitest';
import { textRows } from './TextWidget.tsx';

describe('textRows', () => {
  it('grows with the text from one row to six', () => {
    expect(textRows('')).toBe(1);
    expect(textRows('a'.repeat(40))).toBe(2);
    expect(textRows('a\nb\nc')).toBe(3);
    expect(textRows('x'.repeat(1000))).toBe(6);
  });
});
