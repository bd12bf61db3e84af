/**
 * Gathers raw RGB24 frames arriving in arbitrary chunks (ffmpeg's stdout) into
 * one buffer. The buffer is allocated once for the expected frame count and
 * grows only when ffmpeg delivers more frames than expected (a count estimated
 * from the duration); every size is checked against the limits first.
 */
import { LIMITS, checkVideoSize } from '../sdk/limits.ts';
import { frameBytes } from '../sdk/values.ts';

export class FrameCollector {
  readonly frameSize: number;
  private buffer: Uint8Array;
  private used = 0;

  constructor(
    readonly width: number,
    readonly height: number,
    expectedFrames: number,
    private readonly onFrame?: (framesDone: number) => void,
  ) {
    this.frameSize = frameBytes(width, height);
    const capacity = Math.max(1, expectedFrames);
    checkVideoSize(width, height, capacity);
    this.buffer = new Uint8Array(capacity * this.frameSize);
  }

  get frameCount(): number {
    return Math.floor(this.used / this.frameSize);
  }

  push(chunk: Uint8Array): void {
    const before = this.frameCount;
    if (this.used + chunk.byteLength > this.buffer.byteLength) this.grow(this.used + chunk.byteLength);
    this.buffer.set(chunk, this.used);
    this.used += chunk.byteLength;
    if (this.onFrame && this.frameCount !== before) this.onFrame(this.frameCount);
  }

  /** A view of the newest complete frame; frames are only appended, so it stays valid. */
  lastFrame(): Uint8Array | undefined {
    const count = this.frameCount;
    return count === 0 ? undefined : this.buffer.subarray((count - 1) * this.frameSize, count * this.frameSize);
  }

  /** The frames received; throws when the stream ended inside a frame. */
  finish(): { frames: Uint8Array; frameCount: number } {
    if (this.used % this.frameSize !== 0) {
      throw new Error(`The decoder stopped inside a frame (${this.used} bytes for frames of ${this.frameSize} bytes).`);
    }
    const frameCount = this.frameCount;
    // A generous estimate would otherwise keep its unused tail alive as long as the video.
    const frames = this.used * 5 < this.buffer.byteLength * 4 ? this.buffer.slice(0, this.used) : this.buffer.subarray(0, this.used);
    return { frames, frameCount };
  }

  private grow(needed: number): void {
    const neededFrames = Math.ceil(needed / this.frameSize);
    checkVideoSize(this.width, this.height, neededFrames);
    const frames = Math.max(neededFrames, Math.ceil((this.buffer.byteLength / this.frameSize) * 1.5));
    const capped = Math.min(frames, this.maxFrames());
    const next = new Uint8Array(capped * this.frameSize);
    next.set(this.buffer.subarray(0, this.used));
    this.buffer = next;
  }

  /** The most frames the limits allow at this size: growth never over-allocates past them. */
  private maxFrames(): number {
    return Math.min(LIMITS.maxFrames, Math.floor(LIMITS.maxVideoBytes / this.frameSize));
  }
}
