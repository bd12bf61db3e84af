import { describe, expect, it } from 'vitest';
import { CancelledError, NodeError } from '../sdk/define-node.ts';
import { LimitError } from '../sdk/limits.ts';
import { FfmpegError } from './ffmpeg-process.ts';
import { withContext } from './node-error.ts';

describe('withContext', () => {
  it('puts the context in front and keeps the kind of limit errors', () => {
    const wrapped = withContext(new FfmpegError('ffmpeg exited with code 1:\nmoov atom not found', 1, ''), 'Could not load the video "a.mp4"');
    expect(wrapped).toBeInstanceOf(NodeError);
    expect((wrapped as Error).message).toBe('Could not load the video "a.mp4": ffmpeg exited with code 1:\nmoov atom not found');
    const limit = withContext(new LimitError('20000 frames is more than the limit'), 'Could not load the video "a.mp4"');
    expect(limit).toBeInstanceOf(LimitError);
    expect((limit as Error).message).toMatch(/^Could not load the video "a.mp4": 20000 frames/);
  });

  it('lets cancellation through unchanged', () => {
    const cancelled = new CancelledError();
    expect(withContext(cancelled, 'x')).toBe(cancelled);
  });
});
