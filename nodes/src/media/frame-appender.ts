/**
 * Cuts raw frames arriving in pieces of any size (ffmpeg's stdout) into
 * whole frames and appends them to a FrameWriter; `push` resolves when the
 * writer has taken them, which is what pauses ffmpeg's output meanwhile.
 */
import type { FrameSequence, FrameWriter } from '../sdk/frame-sequence.ts';

export class FrameAppender {
  readonly #writer: FrameWriter;
  readonly #frameBytes: number;
  readonly #partial: Uint8Array;
  #partialBytes = 0;
  #frames = 0;

  /** `onFrames` hears the count so far and a view of the newest frame after each push that completed one. */
  constructor(
    writer: FrameWriter,
    private readonly onFrames?: (frameCount: number, latest: Uint8Array) => void,
  ) {
    this.#writer = writer;
    this.#frameBytes = writer.sequence.frameBytes;
    this.#partial = new Uint8Array(this.#frameBytes);
  }

  get frameCount(): number {
    return this.#frames;
  }

  async push(piece: Uint8Array): Promise<void> {
    const size = this.#frameBytes;
    let offset = 0;
    let latest: Uint8Array | undefined;
    if (this.#partialBytes > 0) {
      const take = Math.min(size - this.#partialBytes, piece.byteLength);
      this.#partial.set(piece.subarray(0, take), this.#partialBytes);
      this.#partialBytes += take;
      offset = take;
      if (this.#partialBytes < size) return;
      await this.#writer.append(this.#partial);
      this.#partialBytes = 0;
      this.#frames++;
      // #partial is reused for the next frame: a copy, and only for someone who listens.
      if (this.onFrames) latest = this.#partial.slice();
    }
    const whole = Math.floor((piece.byteLength - offset) / size);
    if (whole > 0) {
      const frames = piece.subarray(offset, offset + whole * size);
      await this.#writer.append(frames);
      this.#frames += whole;
      offset += whole * size;
      latest = frames.subarray(frames.byteLength - size);
    }
    if (offset < piece.byteLength) {
      this.#partial.set(piece.subarray(offset), 0);
      this.#partialBytes = piece.byteLength - offset;
    }
    if (latest) this.onFrames?.(this.#frames, latest);
  }

  /** The complete sequence; throws when the stream ended inside a frame. */
  async finish(): Promise<FrameSequence> {
    if (this.#partialBytes > 0) {
      const error = new Error(`The decoder stopped inside a frame (${this.#partialBytes} of ${this.#frameBytes} bytes).`);
      this.#writer.abort(error);
      throw error;
    }
    return this.#writer.finish();
  }
}
