/** What the engine and clients are told about values: sizes and shapes, never pixels. */
import type { Outputs } from './entry-file.ts';
import { FrameSequence } from './frame-sequence.ts';
import type { Value } from './values.ts';

/** Bytes a value holds in memory, for the memory tier's budget: pictures and text; frames live on disk. */
export function outputsByteSize(outputs: Outputs): number {
  let total = 0;
  JSON.stringify(outputs, (_key, value: unknown) => {
    if (value instanceof Uint8Array) {
      total += value.byteLength;
      return null;
    }
    if (value instanceof FrameSequence) {
      // Its chunk list (a handle on frames that are on disk).
      total += 256;
      return null;
    }
    if (typeof value === 'string') total += value.length * 2;
    return value;
  });
  return total + 64;
}

/** What a client is told about a value: its shape, never its pixels. */
export function summarizeValue(value: Value): Record<string, unknown> {
  switch (value.kind) {
    case 'prompt':
    case 'camera':
      return { ...value };
    case 'image':
      return { kind: value.kind, width: value.width, height: value.height };
    case 'mask':
      return { kind: value.kind, width: value.width, height: value.height, frameCount: value.frameCount };
    case 'video':
      return {
        kind: value.kind,
        width: value.width,
        height: value.height,
        fps: value.fps,
        frameCount: value.frameCount,
        duration: value.frameCount / value.fps,
      };
    case 'file':
      return { ...value };
  }
}
