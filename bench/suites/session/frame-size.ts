/**
 * The size of one framed Tclunk request and its Rclunk reply as the session layer puts them on
 * the wire (spec 2.1: a 4-byte length, then the MessagePack array `[header, body, data]`). The
 * baselines move exactly these byte counts, so that every side of the suite carries the same
 * payload.
 */
import { encodeHeader, encodeRclunk, encodeTclunk } from "../../../generated/sigmap/codec.js";
import { MsgType, type Header } from "../../../generated/sigmap/types.js";
import { NO_DATA } from "../../../runtime/contract/index.js";
import { pack } from "../../../runtime/wire/index.js";

/** The 4-byte big-endian length in front of every frame. */
export const LENGTH_PREFIX_BYTES = 4;

export interface FrameSizes {
  /** Whole frames, length prefix included: what a raw TCP peer writes. */
  requestFrame: number;
  replyFrame: number;
  /** MessagePack payloads alone: what gRPC carries (it adds its own framing). */
  requestPayload: number;
  replyPayload: number;
}

/**
 * The MessagePack payload `[header, body, data]` of one message, measured with random 64-bit
 * client and session ids (9 bytes each in MessagePack, as in real use) and a seqno past 65535,
 * where a long benchmark run spends nearly all of its calls. Every suite sizes its baselines
 * with this, so they carry what the stack carries.
 */
export function payloadBytes(type: number, body: unknown[], data: Uint8Array = NO_DATA): number {
  const seqno = 100_000n;
  const header: Header = {
    type,
    tag: 0,
    client: 0x9e3779b97f4a7c15n,
    session: 0xc2b2ae3d27d4eb4fn,
    seqno,
    received: { start: seqno - 1n, end: seqno },
    fence: { fenceid: { path: 0n, serverid: 0n }, epoch: 0n },
  };
  return pack([encodeHeader(header), body, data]).length;
}

export function nullRpcFrameSizes(): FrameSizes {
  const requestPayload = payloadBytes(MsgType.Tclunk, encodeTclunk({ fid: 1 }));
  const replyPayload = payloadBytes(MsgType.Rclunk, encodeRclunk({}));
  return {
    requestFrame: LENGTH_PREFIX_BYTES + requestPayload,
    replyFrame: LENGTH_PREFIX_BYTES + replyPayload,
    requestPayload,
    replyPayload,
  };
}
