/**
 * The fast way to read a frame payload into a WireMessage: the standard encoding of
 * `[header, body, data]` (what every conforming peer writes) is read by the header's generated
 * fast path and by hand, and the client and session ids a connection is bound to are recognised
 * by their bytes instead of being decoded again for every frame. Anything else (a longer array from a newer
 * peer, another integer form, an extension type, malformed bytes) goes to the generic
 * `decodeMessage`, which decides; so this path accepts exactly what the generic one accepts
 * and yields equal messages.
 */
import { takeHeader, type HeaderIds } from "../../generated/sigmap/header.js";
import { unpack } from "../wire/msgpack.js";
import { MsgpackCursor, UNRECOGNISED } from "../contract/msgpack-cursor.js";
import { NO_DATA } from "../contract/transport.js";
import { u64Bytes } from "../contract/u64-bytes.js";
import { decodeMessage } from "./message.js";
import { MESSAGE_ARRAY } from "./message-encode.js";
import type { WireMessage } from "./types.js";

/** One connection's decoder: it remembers the encoded ids of the session it is bound to. */
export class MessageDecoder {
  readonly #cursor = new MsgpackCursor();
  // Both ids present from the start, bound or not: one shape for the fast path to see.
  #ids: HeaderIds = { client: undefined, session: undefined };

  /** Frames naming these ids (the usual case once bound) reuse them instead of decoding. */
  bind(client: bigint, session: bigint): void {
    this.#ids = { client: u64Bytes(client), session: u64Bytes(session) };
  }

  /** Decodes one payload; throws what `decodeMessage` throws. */
  decode(payload: Uint8Array): WireMessage {
    return this.#fast(payload) ?? decodeMessage(payload);
  }

  #fast(payload: Uint8Array): WireMessage | null {
    const c = this.#cursor;
    c.reset(payload, 0, payload.length);
    if (!c.take(MESSAGE_ARRAY)) return null;
    // The header's fast path is generated from the schema's Header (generated/sigmap/header.ts).
    const header = takeHeader(c, this.#ids);
    if (header === null) return null;

    const bodyStart = c.pos;
    let body = c.simple();
    if (body === UNRECOGNISED) {
      c.pos = bodyStart;
      if (!c.skip()) return null;
      body = unpackRange(payload, bodyStart, c.pos);
      if (body === UNRECOGNISED) return null;
    }
    const n = c.binLength();
    // Exactly three elements: anything after the data is a malformed frame, for the generic path.
    if (n < 0 || c.pos + n !== payload.length) return null;
    const data = n === 0 ? NO_DATA : new Uint8Array(payload.buffer, payload.byteOffset + c.pos, n);
    return { header, body, data };
  }
}

// A body whose extent the cursor found, decoded by msgpackr; UNRECOGNISED if msgpackr disagrees.
function unpackRange(payload: Uint8Array, start: number, end: number): unknown {
  try {
    return unpack(payload.subarray(start, end));
  } catch {
    return UNRECOGNISED;
  }
}
