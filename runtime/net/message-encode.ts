/**
 * The fast way to put a WireMessage on the wire. The header has a fixed layout (spec 2.1), so it
 * is written by hand instead of being built as nested arrays of bigints for msgpackr, and the ids
 * of the session a connection is bound to are copied from their encoding; the body still goes
 * through msgpackr (except trivial all-small-integer bodies), and the data `bin` is left out so
 * that the frame writer copies it once. The bytes are those of the generic `encodeMessage`.
 */
import type { Header } from "../../generated/sigmap/types.js";
import { pack } from "../wire/msgpack.js";
import {
  isUint32,
  MAX_BIN_PREFIX_BYTES,
  MAX_INT_BYTES,
  writeBinPrefix,
  writeU64,
  writeUint,
} from "../wire/msgpack-write.js";
import type { WireMessage } from "./types.js";

/** Array markers of the payload (3 elements) and the header (7), as spec 2.1 lays them out. */
export const MESSAGE_ARRAY = 0x93;
export const HEADER_ARRAY = 0x97;
export const PAIR_ARRAY = 0x92;

/** An upper bound of the header's size: two arrays of two, and seven u64-sized fields. */
const MAX_HEADER_BYTES = 1 + 2 + 2 + 7 * MAX_INT_BYTES;

/** Bodies of at most this many small integers are written by hand (Tclunk, Rclunk, ...). */
const MAX_HAND_BODY = 15;

/** A u64 id with its encoding, so that a connection's frames need not encode it again. */
export interface IdBytes {
  readonly value: bigint;
  /** The id as writeU64 writes it, which is how the generic encoder writes it too. */
  readonly bytes: Uint8Array;
}

export function idBytes(value: bigint): IdBytes {
  const b = new Uint8Array(MAX_INT_BYTES);
  const n = writeU64(b, 0, value);
  return { value, bytes: b.subarray(0, Math.max(n, 0)) };
}

/** One connection's encoder. */
export class MessageEncoder {
  /** Holds the head `encodeHead` wrote last, until the next call; copy it out before then. */
  head: Uint8Array = Buffer.allocUnsafeSlow(1024);
  #client: IdBytes | null = null;
  #session: IdBytes | null = null;

  /** Frames naming these ids (all of them, once bound) copy their encoding. */
  bind(client: bigint, session: bigint): void {
    this.#client = idBytes(client);
    this.#session = idBytes(session);
  }

  /**
   * Writes everything of `msg`'s payload but the data bytes into `head`: the outer array, the
   * header, the body and the data's `bin` prefix. Returns its length, or -1 when the header
   * holds a value outside its field's type: the generic path then encodes it, or fails, as it
   * always did.
   */
  encodeHead(msg: WireMessage): number {
    const h = msg.header;
    if (!isUint32(h.type) || !isUint32(h.tag)) return -1;
    const handBody = handBodyLength(msg.body);
    const body = handBody < 0 ? pack(msg.body) : null;
    const need = MAX_HEADER_BYTES + (body === null ? handBody : body.length) + MAX_BIN_PREFIX_BYTES;
    if (this.head.length < need) {
      this.head = Buffer.allocUnsafeSlow(Math.max(need, 2 * this.head.length));
    }
    const b = this.head;
    b[0] = MESSAGE_ARRAY;
    let p = this.#writeHeader(b, 1, h);
    if (p < 0) return -1;
    if (body === null) {
      p = writeHandBody(b, p, msg.body as readonly number[]);
    } else {
      b.set(body, p);
      p += body.length;
    }
    return writeBinPrefix(b, p, msg.data.length);
  }

  // -1 as soon as a u64 field is not one (see writeU64).
  #writeHeader(b: Uint8Array, pos: number, h: Header): number {
    let p = pos;
    b[p++] = HEADER_ARRAY;
    p = writeUint(b, p, h.type);
    p = writeUint(b, p, h.tag);
    if ((p = writeId(b, p, h.client, this.#client)) < 0) return -1;
    if ((p = writeId(b, p, h.session, this.#session)) < 0) return -1;
    if ((p = writeU64(b, p, h.seqno)) < 0) return -1;
    b[p++] = PAIR_ARRAY;
    if ((p = writeU64(b, p, h.received.start)) < 0) return -1;
    if ((p = writeU64(b, p, h.received.end)) < 0) return -1;
    b[p++] = PAIR_ARRAY;
    b[p++] = PAIR_ARRAY;
    if ((p = writeU64(b, p, h.fence.fenceid.path)) < 0) return -1;
    if ((p = writeU64(b, p, h.fence.fenceid.serverid)) < 0) return -1;
    return writeU64(b, p, h.fence.epoch);
  }
}

function writeId(b: Uint8Array, pos: number, v: bigint, bound: IdBytes | null): number {
  if (bound === null || v !== bound.value) return writeU64(b, pos, v);
  const bytes = bound.bytes;
  for (let i = 0; i < bytes.length; i++) b[pos + i] = bytes[i]!;
  return pos + bytes.length;
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
