import { describe, expect, it } from 'vitest';
import { shownInputs as shownEntries } from './shown-inputs.ts';

const shownInputs = (...args: Parameters<typeof shownEntries>) => shownEntries(...args).map(([name]) => name);

const concat = Object.fromEntries([
  ['clip1', {}],
  ['clip2', {}],
  ...Array.from({ length: 30 }, (_, i) => [`clip${i + 3}`, { growing: true }]),
]) as Record<string, { growing?: boolean }>;

describe('shownInputs', () => {
  it('shows the fixed inputs, every wired growing one, and the first free one', () => {
    expect(shownInputs(concat, [])).toEqual(['clip1', 'clip2', 'clip3']);
    expect(shownInputs(concat, ['clip1', 'clip2', 'clip3'])).toEqual(['clip1', 'clip2', 'clip3', 'clip4']);
    // A gap left by removing a wire is the next free one; later wired inputs stay.
    expect(shownInputs(concat, ['clip1', 'clip5'])).toEqual(['clip1', 'clip2', 'clip3', 'clip5']);
  });

  it('shows every input of a node without growing ones', () => {
    expect(shownInputs({ prompt: {}, camera: {} }, [])).toEqual(['prompt', 'camera']);
  });
});
