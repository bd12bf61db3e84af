import { describe, expect, it } from 'vitest';
import { frameAround, GROUP_PADDING, GROUP_TITLE_HEIGHT, itemsInFrame } from './group-frame.ts';

describe('frameAround', () => {
  it('frames the boxes with padding, and room for the title above', () => {
    expect(frameAround([{ x: 100, y: 100, width: 200, height: 100 }, { x: 400, y: 50, width: 100, height: 300 }])).toEqual({
      x: 100 - GROUP_PADDING,
      y: 50 - GROUP_PADDING - GROUP_TITLE_HEIGHT,
      width: 400 + 2 * GROUP_PADDING,
      height: 300 + 2 * GROUP_PADDING + GROUP_TITLE_HEIGHT,
    });
    expect(frameAround([])).toBeUndefined();
  });
});

describe('itemsInFrame', () => {
  it('takes the items whose centre is inside the frame', () => {
    const frame = { x: 0, y: 0, width: 300, height: 200 };
    const items = [
      { id: 'inside', x: 10, y: 10, width: 50, height: 50 },
      { id: 'half-out', x: 250, y: 150, width: 80, height: 80 },
      { id: 'mostly-out', x: 280, y: 0, width: 200, height: 50 },
      { id: 'away', x: 1000, y: 1000, width: 10, height: 10 },
    ];
    expect(itemsInFrame(frame, items)).toEqual(['inside', 'half-out']);
  });
});
