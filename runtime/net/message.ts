/**
 * A WireMessage to and from a frame payload `[header, body, data]` (spec 2.1). The body stays in
 * its wire form: the session layer decodes it by type with the generated codec.
 */
import { decodeHeader, encodeHeader } from "../../generated/sigmap/codec.js";
import { expectArray, readBytes } from "../contract/decode-helpers.js";
import { pack, unpack } from "../wire/msgpack.js";
import type { WireMessage } from "./types.js";

/** The payload bytes of one message (without the length prefix). */
export function encodeMessage(msg: WireMessage): Uint8Array {
  return pack([encodeHeader(msg.header), msg.body, msg.data]);
}

/**
 * Decodes one payload. Throws DecodeError (not MessagePack, not an array of at least 3, data not
 * a `bin`) or SigmaError(BadFcall) (a bad header); either way the connection is unusable. Longer
 * arrays come from newer peers and their tail is ignored.
 */
export function decodeMessage(payload: Uint8Array): WireMessage {
  const a = expectArray(unpack(payload), 3, "message");
  return {
    header: decodeHeader(a[0]),
    body: a[1],
    data: readBytes(a[2], "message", "data"),
  };
}
