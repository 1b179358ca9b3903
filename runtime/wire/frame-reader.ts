import { checkFrameLength, FRAME_PREFIX_BYTES } from "./frame.js";

/**
 * Payloads up to this size spanning chunks are allocated at once (at most one socket read's worth,
 * so a hoarder gains little); larger ones hold only what has arrived.
 */
export const SMALL_PAYLOAD = 64 * 1024;

/** Receives each complete frame payload, in order. */
export type PayloadSink = (payload: Uint8Array) => void;

/**
 * Turns a byte stream (socket chunks split anywhere) into frame payloads with as few copies as
 * possible: a payload wholly inside one chunk is handed out as a view of that chunk; only a
 * payload spanning chunks is assembled, once, into a buffer of exactly its size. A view keeps its
 * chunk alive for as long as the payload (or a `bin` decoded from it) is referenced.
 *
 * An unfinished payload larger than SMALL_PAYLOAD holds only the bytes received so far, never
 * its announced length: its pieces are kept as they came and assembled when the last one
 * arrives, so a peer announcing 16 MiB and sending 1 KiB costs about 1 KiB. A piece much
 * smaller than its chunk's memory is copied out so it does not pin the rest. A payload up to
 * SMALL_PAYLOAD is assembled into a buffer allocated at its first piece, as cheap as before,
 * and counted at that size. Either way what is held stays under twice `partialBytes`.
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
  // A payload up to SMALL_PAYLOAD spanning chunks, being assembled.
  #body: Uint8Array | null = null;
  // The pieces received of a larger payload spanning chunks (empty while none is begun).
  readonly #pieces: Uint8Array[] = [];
  #bodyHave = 0;
  #stopped = false;

  constructor(maxFrame: number, sink: PayloadSink) {
    this.maxFrame = maxFrame;
    this.#sink = sink;
  }

  /** Bytes held of a frame not yet complete (a connection ending now ends mid-frame). */
  get partialBytes(): number {
    const want = this.#want;
    if (want < 0) return this.#prefixHave;
    return FRAME_PREFIX_BYTES + (this.#body === null ? this.#bodyHave : want);
  }

  /**
   * Ignores all further input, including the rest of a chunk being processed: the sink calls
   * this when it closes the connection in the middle of a chunk.
   */
  stop(): void {
    this.#stopped = true;
    this.#body = null;
    this.#pieces.length = 0;
    this.#bodyHave = 0;
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
        // Nothing of the payload yet: the first piece (never empty) comes with the next chunk.
        if (off === end) return;
      }

      const want = this.#want;
      const have = this.#bodyHave;
      if (have === 0) {
        if (end - off >= want) {
          const payload = chunk.subarray(off, off + want);
          off += want;
          this.#want = -1;
          this.#sink(payload);
          continue;
        }
        const piece = chunk.subarray(off, end);
        if (want <= SMALL_PAYLOAD) {
          // allocUnsafeSlow: exactly its size, not a slice of Node's shared pool (which a
          // retained payload would pin), and no zero-fill since every byte will be written.
          const body = Buffer.allocUnsafeSlow(want);
          body.set(piece, 0);
          this.#body = body;
        } else {
          // Keep what came, allocate nothing for what is only announced.
          this.#pieces.push(keep(piece));
        }
        this.#bodyHave = piece.length;
        return;
      }

      const take = Math.min(want - have, end - off);
      const body = this.#body;
      if (body !== null) {
        body.set(chunk.subarray(off, off + take), have);
        off += take;
        if (have + take < want) {
          this.#bodyHave = have + take;
          return;
        }
        this.#body = null;
        this.#bodyHave = 0;
        this.#want = -1;
        this.#sink(body);
        continue;
      }
      if (have + take < want) {
        this.#pieces.push(keep(chunk.subarray(off, off + take)));
        this.#bodyHave = have + take;
        return;
      }
      // The last piece: assemble once, into a buffer of exactly its size.
      const assembled = Buffer.allocUnsafeSlow(want);
      let at = 0;
      for (const p of this.#pieces) {
        assembled.set(p, at);
        at += p.length;
      }
      assembled.set(chunk.subarray(off, off + take), at);
      off += take;
      this.#pieces.length = 0;
      this.#bodyHave = 0;
      this.#want = -1;
      this.#sink(assembled);
    }
  }
}

// A view pins all of its chunk's memory; a piece under half of it is copied out instead.
function keep(piece: Uint8Array): Uint8Array {
  return piece.length * 2 < piece.buffer.byteLength ? new Uint8Array(piece) : piece;
}

function readU32BE(b: Uint8Array, off: number): number {
  // Multiplying the top byte keeps the result unsigned; `<< 24` would go negative.
  return b[off]! * 0x100_0000 + ((b[off + 1]! << 16) | (b[off + 2]! << 8) | b[off + 3]!);
}
