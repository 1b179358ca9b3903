import { FRAME_PREFIX_BYTES } from "./frame.js";

/** Size of the buffer small frames are gathered into, once a connection is busy. */
const SLAB_BYTES = 64 * 1024;

/**
 * The first slab's size; each replacement doubles it up to SLAB_BYTES. A connection that
 * exchanged a hello and little else (thousands of them on a server) holds a few KiB, not a full
 * slab; a busy one reaches full slabs after a few replacements.
 */
const FIRST_SLAB_BYTES = 2 * 1024;

/** Held until the first frame: a writer that never writes allocates nothing. */
const NO_SLAB = Buffer.alloc(0);

/**
 * Payloads at least this large are not copied into the slab but written as they are, after
 * their prefix: one more iovec costs less than copying them.
 */
const COPY_LIMIT = 16 * 1024;

const EMPTY = new Uint8Array(0);

/** Heads up to this long are copied byte by byte. */
const SHORT_COPY = 128;

/**
 * Gathers frames (prefix + payload) between flushes so that a burst of messages leaves in one
 * write. Small payloads are copied into a slab shared by consecutive flushes: a flushed region
 * is never written again (the socket may still hold it), later frames go after it, and a full
 * slab is replaced rather than reused (by one twice its size, up to SLAB_BYTES).
 */
export class FrameWriter {
  #slab: Buffer = NO_SLAB;
  #nextSlabBytes = FIRST_SLAB_BYTES;
  // Unflushed slab bytes are [#start, #pos).
  #start = 0;
  #pos = 0;
  // Segments completed before the current slab region, in order (large payloads, old slabs).
  #segments: Uint8Array[] = [];
  #pendingBytes = 0;

  /** Bytes appended and not yet flushed. */
  get pendingBytes(): number {
    return this.#pendingBytes;
  }

  /** How many chunks the next flush hands out. */
  get chunkCount(): number {
    return this.#segments.length + (this.#pos > this.#start ? 1 : 0);
  }

  /** Appends one frame. The payload is copied or retained until flushed; do not modify it. */
  append(payload: Uint8Array): void {
    const n = payload.length;
    if (n < COPY_LIMIT) {
      this.appendFrame(payload, n, EMPTY);
      return;
    }
    this.#pendingBytes += FRAME_PREFIX_BYTES + n;
    this.#reserve(FRAME_PREFIX_BYTES);
    this.#slab.writeUInt32BE(n, this.#pos);
    this.#pos += FRAME_PREFIX_BYTES;
    this.#cutSlab();
    this.#segments.push(payload);
  }

  /**
   * Appends one frame whose payload is the first `headLength` bytes of `head` followed by `tail`,
   * both copied at once: `head` is an encoder's scratch buffer, and `tail` (a message's data) may
   * be changed by its owner later.
   */
  appendFrame(head: Uint8Array, headLength: number, tail: Uint8Array): void {
    const n = headLength + tail.length;
    this.#pendingBytes += FRAME_PREFIX_BYTES + n;
    this.#reserve(FRAME_PREFIX_BYTES + n);
    const slab = this.#slab;
    const pos = this.#pos + FRAME_PREFIX_BYTES;
    // By hand: Buffer's writeUInt32BE validates its arguments, a cost on every message.
    slab[pos - 4] = n >>> 24;
    slab[pos - 3] = (n >>> 16) & 0xff;
    slab[pos - 2] = (n >>> 8) & 0xff;
    slab[pos - 1] = n & 0xff;
    // A short loop beats creating a view for set(): heads are a few dozen bytes.
    if (headLength <= SHORT_COPY) {
      for (let i = 0; i < headLength; i++) slab[pos + i] = head[i]!;
    } else {
      slab.set(head.subarray(0, headLength), pos);
    }
    if (n > headLength) slab.set(tail, pos + headLength);
    this.#pos = pos + n;
  }

  /** Hands every pending byte to `write`, in order, in `chunkCount` chunks. */
  flush(write: (chunk: Uint8Array) => void): void {
    const segments = this.#segments;
    if (segments.length > 0) {
      this.#segments = [];
      for (const s of segments) write(s);
    }
    if (this.#pos > this.#start) {
      const region = this.#slab.subarray(this.#start, this.#pos);
      this.#start = this.#pos;
      write(region);
    }
    this.#pendingBytes = 0;
  }

  /** Drops everything pending (the connection is gone). */
  discard(): void {
    this.#segments = [];
    this.#start = this.#pos;
    this.#pendingBytes = 0;
  }

  #reserve(bytes: number): void {
    if (this.#slab.length - this.#pos >= bytes) return;
    this.#cutSlab();
    const size = this.#nextSlabBytes;
    if (size < SLAB_BYTES) this.#nextSlabBytes = size * 2;
    this.#slab = Buffer.allocUnsafeSlow(Math.max(size, bytes));
    this.#start = 0;
    this.#pos = 0;
  }

  // Moves the unflushed slab region to the segment list, so that what follows stays in order.
  #cutSlab(): void {
    if (this.#pos > this.#start) {
      this.#segments.push(this.#slab.subarray(this.#start, this.#pos));
      this.#start = this.#pos;
    }
  }
}

/** One frame as a standalone buffer: for tests and one-off writes, not the hot path. */
export function encodeFrame(payload: Uint8Array): Uint8Array {
  const out = Buffer.allocUnsafe(FRAME_PREFIX_BYTES + payload.length);
  out.writeUInt32BE(payload.length, 0);
  out.set(payload, FRAME_PREFIX_BYTES);
  return out;
}
