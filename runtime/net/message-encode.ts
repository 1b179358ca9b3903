/**
 * The fast way to put a WireMessage on the wire. The header goes through the fast path generated
 * from the schema's `Header` (generated/sigmap/header.ts) instead of being built as nested
 * arrays of bigints for msgpackr, and the ids of the session a connection is bound to are copied
 * from their encoding; the body still goes through msgpackr (except trivial all-small-integer
 * bodies), and the data `bin` is left out so that the frame writer copies it once. The bytes are
 * those of the generic `encodeMessage`.
 */
import { HeaderMaxBytes, writeHeader, type HeaderIds } from "../../generated/sigmap/header.js";
import { pack } from "../wire/msgpack.js";
import {
  isUint32,
  MAX_BIN_PREFIX_BYTES,
  writeBinPrefix,
  writeUint,
} from "../contract/msgpack-write.js";
import { u64Bytes } from "../contract/u64-bytes.js";
import type { WireMessage } from "./types.js";

/** The payload's array marker: `[header, body, data]` (spec 2.1). */
export const MESSAGE_ARRAY = 0x93;

/** Bodies of at most this many small integers are written by hand (Tclunk, Rclunk, ...). */
const MAX_HAND_BODY = 15;

/** One connection's encoder. */
export class MessageEncoder {
  /** Holds the head `encodeHead` wrote last, until the next call; copy it out before then. */
  head: Uint8Array = Buffer.allocUnsafeSlow(1024);
  // Both ids present from the start, bound or not: one shape for the fast path to see.
  #ids: HeaderIds = { client: undefined, session: undefined };

  /** Frames naming these ids (all of them, once bound) copy their encoding. */
  bind(client: bigint, session: bigint): void {
    this.#ids = { client: u64Bytes(client), session: u64Bytes(session) };
  }

  /**
   * Writes everything of `msg`'s payload but the data bytes into `head`: the outer array, the
   * header, the body and the data's `bin` prefix. Returns its length, or -1 when the header
   * holds a value outside its field's type: the generic path then encodes it, or fails, as it
   * always did.
   */
  encodeHead(msg: WireMessage): number {
    const handBody = handBodyLength(msg.body);
    const body = handBody < 0 ? pack(msg.body) : null;
    const need =
      1 + HeaderMaxBytes + (body === null ? handBody : body.length) + MAX_BIN_PREFIX_BYTES;
    if (this.head.length < need) {
      this.head = Buffer.allocUnsafeSlow(Math.max(need, 2 * this.head.length));
    }
    const b = this.head;
    b[0] = MESSAGE_ARRAY;
    let p = writeHeader(b, 1, msg.header, this.#ids);
    if (p < 0) return -1;
    if (body === null) {
      p = writeHandBody(b, p, msg.body as readonly number[]);
    } else {
      b.set(body, p);
      p += body.length;
    }
    return writeBinPrefix(b, p, msg.data.length);
  }
}

// The most bytes a body of small integers takes, or -1 if the body is anything else.
function handBodyLength(body: unknown): number {
  if (!Array.isArray(body) || body.length > MAX_HAND_BODY) return -1;
  for (let i = 0; i < body.length; i++) if (!isUint32(body[i])) return -1;
  return 1 + 5 * body.length;
}

function writeHandBody(b: Uint8Array, pos: number, body: readonly number[]): number {
  let p = pos;
  b[p++] = 0x90 | body.length;
  for (let i = 0; i < body.length; i++) p = writeUint(b, p, body[i]!);
  return p;
}
