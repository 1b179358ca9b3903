/**
 * The fast way to read a frame payload into a WireMessage: the standard encoding of
 * `[header, body, data]` (what every conforming peer writes for a 7-field header) is read by
 * hand, and the client and session ids a connection is bound to are recognised by their bytes
 * instead of being decoded again for every frame. Anything else (a longer array from a newer
 * peer, another integer form, an extension type, malformed bytes) goes to the generic
 * `decodeMessage`, which decides; so this path accepts exactly what the generic one accepts
 * and yields equal messages.
 */
import type { Header, Tfence } from "../../generated/sigmap/types.js";
import { unpack } from "../wire/msgpack.js";
import { MsgpackCursor, UNRECOGNISED } from "../wire/msgpack-cursor.js";
import { NO_DATA } from "../wire/transport.js";
import { decodeMessage } from "./message.js";
import {
  HEADER_ARRAY,
  idBytes,
  MESSAGE_ARRAY,
  PAIR_ARRAY,
  type IdBytes,
} from "./message-encode.js";
import type { WireMessage } from "./types.js";

/**
 * The fence of every unfenced message (all of them but a fenced client's requests), shared and
 * frozen rather than rebuilt, as two objects, for each frame.
 */
const NULL_FENCE: Tfence = Object.freeze({
  fenceid: Object.freeze({ path: 0n, serverid: 0n }),
  epoch: 0n,
});

/** One connection's decoder: it remembers the encoded ids of the session it is bound to. */
export class MessageDecoder {
  readonly #cursor = new MsgpackCursor();
  #client: IdBytes | null = null;
  #session: IdBytes | null = null;

  /** Frames naming these ids (the usual case once bound) reuse them instead of decoding. */
  bind(client: bigint, session: bigint): void {
    this.#client = idBytes(client);
    this.#session = idBytes(session);
  }

  /** Decodes one payload; throws what `decodeMessage` throws. */
  decode(payload: Uint8Array): WireMessage {
    return this.#fast(payload) ?? decodeMessage(payload);
  }

  #fast(payload: Uint8Array): WireMessage | null {
    const c = this.#cursor;
    c.reset(payload, 0, payload.length);
    if (!c.take(MESSAGE_ARRAY) || !c.take(HEADER_ARRAY)) return null;
    const type = c.uint();
    if (type < 0 || type > 0xff) return null;
    const tag = c.uint();
    if (tag < 0 || tag > 0xffff) return null;
    const client = this.#id(this.#client);
    if (client === null) return null;
    const session = this.#id(this.#session);
    if (session === null) return null;
    const seqno = c.u64();
    if (seqno === null || !c.take(PAIR_ARRAY)) return null;
    const start = c.u64();
    if (start === null) return null;
    const end = c.u64();
    if (end === null || !c.take(PAIR_ARRAY) || !c.take(PAIR_ARRAY)) return null;
    const path = c.u64();
    if (path === null) return null;
    const serverid = c.u64();
    if (serverid === null) return null;
    const epoch = c.u64();
    if (epoch === null) return null;
    const header: Header = {
      type,
      tag,
      client,
      session,
      seqno,
      received: { start, end },
      fence:
        path === 0n && serverid === 0n && epoch === 0n
          ? NULL_FENCE
          : { fenceid: { path, serverid }, epoch },
    };

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

  // A u64 id: the bound id's bigint when the bytes are its encoding, else decoded.
  #id(bound: IdBytes | null): bigint | null {
    const c = this.#cursor;
    if (bound !== null && c.takeBytes(bound.bytes)) return bound.value;
    return c.u64();
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
