/**
 * The bytes one echo call moves, so the baselines carry exactly as much: the framed Twriteread
 * and Rread as the session layer puts them on the wire (a 4-byte length, then MessagePack
 * `[header, body, data]`, the RPC envelope in data) for raw TCP, and the encoded EchoRequest and
 * EchoReply records, what a gRPC echo service would carry, for gRPC.
 */
import { encodeEchoReply, encodeEchoRequest } from "../../../generated/services/echo/codec.js";
import { encodeHeader, encodeRread, encodeTwriteread } from "../../../generated/sigmap/codec.js";
import { MsgType, type Header } from "../../../generated/sigmap/types.js";
import { encodeReply, encodeRequest } from "../../../runtime/rpc/envelope.js";
import { pack } from "../../../runtime/wire/index.js";
import { LENGTH_PREFIX_BYTES, type FrameSizes } from "../session/frame-size.js";

/** The echoed payload. */
export const PAYLOAD_BYTES = 64;

export const ECHO_REQUEST = { text: "", payload: new Uint8Array(PAYLOAD_BYTES).fill(0x5a) };

/** Random-looking 64-bit ids and a seqno past 65535, as in a long run (see session/frame-size.ts). */
export function echoFrameSizes(): FrameSizes {
  const seqno = 100_000n;
  const header = (type: number): Header => ({
    type,
    tag: 0,
    client: 0x9e3779b97f4a7c15n,
    session: 0xc2b2ae3d27d4eb4fn,
    seqno,
    received: { start: seqno - 1n, end: seqno },
    fence: { fenceid: { path: 0n, serverid: 0n }, epoch: 0n },
  });
  const reqData = encodeRequest("Echo.Echo", encodeEchoRequest(ECHO_REQUEST));
  const repData = encodeReply(encodeEchoReply(ECHO_REQUEST));
  const request = pack([
    encodeHeader(header(MsgType.Twriteread)),
    encodeTwriteread({ fid: 1, data: reqData }),
    reqData,
  ]).length;
  const reply = pack([
    encodeHeader(header(MsgType.Rread)),
    encodeRread({ data: repData }),
    repData,
  ]).length;
  return {
    requestFrame: LENGTH_PREFIX_BYTES + request,
    replyFrame: LENGTH_PREFIX_BYTES + reply,
    requestPayload: pack(encodeEchoRequest(ECHO_REQUEST)).length,
    replyPayload: pack(encodeEchoReply(ECHO_REQUEST)).length,
  };
}
