/**
 * Splits a TCP byte stream into length-prefixed frames (a 4-byte big-endian length, then the
 * payload), as the raw-TCP baseline's two ends must: a stream read may hold half a frame or many.
 * A baseline that assumed one frame per read would be faster than any correct peer.
 */
import { LENGTH_PREFIX_BYTES } from "./frame-size.js";

export class FrameReader {
  private pending: Buffer | null = null;

  constructor(
    private readonly onFrame: (payload: Buffer) => void,
    private readonly maxFrame = 1 << 24,
  ) {}

  /** Feeds one chunk; calls onFrame for every frame it completes and returns their number. */
  push(chunk: Buffer): number {
    // Only a leftover partial frame costs a copy; the common case reads frames in place.
    const buf = this.pending === null ? chunk : Buffer.concat([this.pending, chunk]);
    let off = 0;
    let frames = 0;
    while (buf.length - off >= LENGTH_PREFIX_BYTES) {
      const n = buf.readUInt32BE(off);
      if (n === 0 || n > this.maxFrame) throw new Error(`bad frame length ${n}`);
      const end = off + LENGTH_PREFIX_BYTES + n;
      if (end > buf.length) break;
      this.onFrame(buf.subarray(off + LENGTH_PREFIX_BYTES, end));
      frames++;
      off = end;
    }
    this.pending = off === buf.length ? null : buf.subarray(off);
    return frames;
  }
}

/** A frame of `frameBytes` bytes in all, length prefix included; the payload is filler. */
export function fillerFrame(frameBytes: number): Buffer {
  const frame = Buffer.alloc(frameBytes, 0xa5);
  frame.writeUInt32BE(frameBytes - LENGTH_PREFIX_BYTES, 0);
  return frame;
}

/** `count` copies of one frame back to back, for writing many in a single call. */
export function repeatFrame(frame: Buffer, count: number): Buffer {
  const out = Buffer.allocUnsafe(frame.length * count);
  for (let i = 0; i < count; i++) frame.copy(out, i * frame.length);
  return out;
}
