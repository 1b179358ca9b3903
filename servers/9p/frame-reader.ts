/**
 * Cuts a 9P byte stream into frames (`size[4]` little-endian, the size counting itself). A size
 * below the 7-byte header or above the connection's current limit is a FrameError before any of
 * the frame is buffered, so a hostile size cannot make the gateway allocate.
 */
import { FrameError } from "./codec.js";
import { HEADER_SIZE } from "./messages.js";

export class FrameReader {
  #head = Buffer.alloc(4);
  #headLen = 0;
  #frame: Buffer | undefined;
  #filled = 0;

  /** `maxSize` is read at each frame start: it shrinks to the negotiated msize after Tversion. */
  constructor(readonly maxSize: () => number) {}

  /** Feeds one chunk; calls `onFrame` for each complete frame. Throws FrameError. */
  push(chunk: Buffer, onFrame: (frame: Buffer) => void): void {
    let at = 0;
    while (at < chunk.length) {
      if (this.#frame === undefined) {
        // Fast path: a whole frame inside the chunk is handed on as a view, without a copy.
        if (this.#headLen === 0 && chunk.length - at >= 4) {
          const size = this.#check(chunk.readUInt32LE(at));
          if (chunk.length - at >= size) {
            onFrame(chunk.subarray(at, at + size));
            at += size;
            continue;
          }
          this.#start(size);
          continue;
        }
        const n = Math.min(4 - this.#headLen, chunk.length - at);
        chunk.copy(this.#head, this.#headLen, at, at + n);
        this.#headLen += n;
        at += n;
        if (this.#headLen < 4) return;
        this.#start(this.#check(this.#head.readUInt32LE(0)));
        this.#head.copy(this.#frame!, 0, 0, 4);
        this.#filled = 4;
        this.#headLen = 0;
        continue;
      }
      const frame = this.#frame;
      const n = Math.min(frame.length - this.#filled, chunk.length - at);
      chunk.copy(frame, this.#filled, at, at + n);
      this.#filled += n;
      at += n;
      if (this.#filled === frame.length) {
        this.#frame = undefined;
        this.#filled = 0;
        onFrame(frame);
      }
    }
  }

  /** Bytes of a partial frame held now. */
  get buffered(): number {
    return this.#frame === undefined ? this.#headLen : this.#filled;
  }

  #start(size: number): void {
    this.#frame = Buffer.allocUnsafe(size);
    this.#filled = 0;
  }

  #check(size: number): number {
    if (size < HEADER_SIZE) throw new FrameError(`size ${size} is below the 7-byte header`);
    const max = this.maxSize();
    if (size > max) throw new FrameError(`size ${size} is above the limit of ${max}`);
    return size;
  }
}
