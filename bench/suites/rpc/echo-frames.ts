/**
 * The bytes one echo call moves, so the baselines carry exactly as much: the framed Twriteread
 * and Rread as the session layer puts them on the wire (a 4-byte length, then MessagePack
 * `[header, body, data]`, the RPC envelope in data) for raw TCP, and the encoded EchoRequest and
 * EchoReply records, what a gRPC echo service would carry, for gRPC.
 */
import { encodeEchoReply, encodeEchoRequest } from "../../../generated/services/echo/codec.js";
import { encodeRread, encodeTwriteread } from "../../../generated/sigmap/codec.js";
import { MsgType } from "../../../generated/sigmap/types.js";
import { encodeReply, encodeRequest } from "../../../runtime/rpc/shared/envelope.js";
import { pack } from "../../../runtime/wire/index.js";
import { LENGTH_PREFIX_BYTES, payloadBytes, type FrameSizes } from "../session/frame-size.js";

/** The echoed payload. */
export const PAYLOAD_BYTES = 64;

export const ECHO_REQUEST = { text: "", payload: new Uint8Array(PAYLOAD_BYTES).fill(0x5a) };

export function echoFrameSizes(): FrameSizes {
  const reqData = encodeRequest("Echo.Echo", encodeEchoRequest(ECHO_REQUEST));
  const repData = encodeReply(encodeEchoReply(ECHO_REQUEST));
  const request = payloadBytes(
    MsgType.Twriteread,
    encodeTwriteread({ fid: 1, data: reqData }),
    reqData,
  );
  const reply = payloadBytes(MsgType.Rread, encodeRread({ data: repData }), repData);
  return {
    requestFrame: LENGTH_PREFIX_BYTES + request,
    replyFrame: LENGTH_PREFIX_BYTES + reply,
    requestPayload: pack(encodeEchoRequest(ECHO_REQUEST)).length,
    replyPayload: pack(encodeEchoReply(ECHO_REQUEST)).length,
  };
}
