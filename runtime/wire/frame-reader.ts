import { checkFrameLength, FRAME_PREFIX_BYTES } from "./frame.js";

/** Receives each complete frame payload, in order. */
export type PayloadSink = (payload: Uint8Array) => void;

/**
 * Turns a byte stream (socket chunks split anywhere) into frame payloads with as few copies as
 * possible: a payload wholly inside one chunk is handed out as a view of that chunk; only a
 * payload spanning chunks is assembled, once, into a buffer of exactly its size. A view keeps its
 * chunk alive for as long as the payload (or a `bin` decoded from it) is referenced.
 *
 * A bad length prefix throws FrameError out of `push` as soon as its 4 bytes are in, before
 * anything is allocated for the payload. After `push` throws (a bad prefix, or the sink threw)
 * the stream is out of step and the reader must be discarded with its connection.
 */
export class FrameReader {
  /** The largest payload accepted; may be lowered once the hello has negotiated it. */
  maxFrame: number;
  readonly #sink: PayloadSink;
  // A length prefix split across chunks collects here.
  readonly #prefix = new Uint8Array(FRAME_PREFIX_BYTES);
  #prefixHave = 0;
  // Length of the payload being read, or -1 while reading a prefix.
  #want = -1;
  // A payload spanning chunks, being assembled.
  #body: Uint8Array | null = null;
  #bodyHave = 0;
  #stopped = false;

  constructor(maxFrame: number, sink: PayloadSink) {
    this.maxFrame = maxFrame;
    this.#sink = sink;
  }

  /** Bytes held of a frame not yet complete (a connection ending now ends mid-frame). */
  get partialBytes(): number {
    return this.#prefixHave + (this.#want < 0 ? 0 : FRAME_PREFIX_BYTES + this.#bodyHave);
  }

  /**
   * Ignores all further input, including the rest of a chunk being processed: the sink calls
   * this when it closes the connection in the middle of a chunk.
   */
  stop(): void {
    this.#stopped = true;
    this.#body = null;
  }

  push(chunk: Uint8Array): void {
    const end = chunk.length;
    let off = 0;
    while (off < end && !this.#stopped) {
      if (this.#want < 0) {
        let length: number;
        if (this.#prefixHave === 0 && end - off >= FRAME_PREFIX_BYTES) {
          length = readU32BE(chunk, off);
          off += FRAME_PREFIX_BYTES;
        } else {
          while (this.#prefixHave < FRAME_PREFIX_BYTES && off < end) {
            this.#prefix[this.#prefixHave++] = chunk[off++]!;
          }
          if (this.#prefixHave < FRAME_PREFIX_BYTES) return;
          this.#prefixHave = 0;
          length = readU32BE(this.#prefix, 0);
        }
        checkFrameLength(length, this.maxFrame);
        this.#want = length;
      }

      const want = this.#want;
      const body = this.#body;
      if (body === null) {
        if (end - off >= want) {
          const payload = chunk.subarray(off, off + want);
          off += want;
          this.#want = -1;
          this.#sink(payload);
          continue;
        }
        // The payload spans chunks. allocUnsafeSlow: exactly its size, not a slice of Node's
        // shared pool (which a retained payload would pin), and no zero-fill since every byte
        // is about to be written.
        const assembled = Buffer.allocUnsafeSlow(want);
        assembled.set(chunk.subarray(off, end), 0);
        this.#body = assembled;
        this.#bodyHave = end - off;
        return;
      }

      const take = Math.min(want - this.#bodyHave, end - off);
      body.set(chunk.subarray(off, off + take), this.#bodyHave);
      this.#bodyHave += take;
      off += take;
      if (this.#bodyHave === want) {
        this.#body = null;
        this.#bodyHave = 0;
        this.#want = -1;
        this.#sink(body);
      }
    }
  }
}

function readU32BE(b: Uint8Array, off: number): number {
  // Multiplying the top byte keeps the result unsigned; `<< 24` would go negative.
  return b[off]! * 0x100_0000 + ((b[off + 1]! << 16) | (b[off + 2]! << 8) | b[off + 3]!);
}
