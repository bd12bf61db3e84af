import { describe, expect, it } from 'vitest';
import { MemoryTier } from './memory-tier.ts';

describe('MemoryTier', () => {
  it('evicts the least recently used entries past its byte budget', () => {
    const tier = new MemoryTier<string>(100);
    tier.set('a', 'A', 40);
    tier.set('b', 'B', 40);
    expect(tier.get('a')).toBe('A');
    tier.set('c', 'C', 40);
    expect(tier.get('b')).toBeUndefined();
    expect(tier.get('a')).toBe('A');
    expect(tier.get('c')).toBe('C');
    expect(tier.bytes).toBe(80);
  });

  it('keeps nothing larger than the whole budget', () => {
    const tier = new MemoryTier<string>(10);
    tier.set('big', 'x', 11);
    expect(tier.size).toBe(0);
  });

  it('replaces an entry without counting it twice', () => {
    const tier = new MemoryTier<string>(100);
    tier.set('a', 'A', 60);
    tier.set('a', 'A2', 70);
    expect(tier.bytes).toBe(70);
    expect(tier.get('a')).toBe('A2');
  });
});
