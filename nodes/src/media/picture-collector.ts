/**
 * Gathers one picture's raw RGB24 bytes, arriving in pieces of any size
 * (ffmpeg's stdout), into one buffer of the size the picture declared.
 * Videos are not collected: they stream into a FrameWriter (frame-appender.ts).
 */
import { checkVideoSize } from '../sdk/limits.ts';
import { frameBytes } from '../sdk/values.ts';

export class PictureCollector {
  readonly #pixels: Uint8Array;
  #used = 0;

  constructor(width: number, height: number) {
    checkVideoSize(width, height, 1);
    this.#pixels = new Uint8Array(frameBytes(width, height));
  }

  push(piece: Uint8Array): void {
    if (this.#used + piece.byteLength > this.#pixels.byteLength) throw new Error('The decoder delivered more than one picture.');
    this.#pixels.set(piece, this.#used);
    this.#used += piece.byteLength;
  }

  /** The picture; throws when the stream ended before its last byte. */
  finish(): Uint8Array {
    if (this.#used !== this.#pixels.byteLength) throw new Error(`The decoder stopped inside the picture (${this.#used} of ${this.#pixels.byteLength} bytes).`);
    return this.#pixels;
  }
}
