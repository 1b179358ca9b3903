/**
 * Replies the session layer builds itself (errors, keepalive echoes) and the header every reply
 * carries back.
 */
import {
  decodeTheartbeat,
  encodeRerror,
  encodeRheartbeat,
} from "../../../generated/sigmap/codec.js";
import { zeroTfence } from "../../../generated/sigmap/header.js";
import { ErrCode, MsgType, type Header, type Tfence } from "../../../generated/sigmap/types.js";
import { SigmaError, errorText, isSigmaError } from "../../errors/index.js";
import { NO_DATA, type MessageInfo, type RawReply } from "../../contract/index.js";
import { sessionIdHex } from "../shared/session-id.js";

/** Replies never carry a fence (spec 2.4): the generated zero fence, one frozen object. */
export const NULL_FENCE: Tfence = zeroTfence;

/** A reply copies tag, seqno and received from its request and names its client and session. */
export function replyHeader(req: Header, type: number): Header {
  return {
    type,
    tag: req.tag,
    client: req.client,
    session: req.session,
    seqno: req.seqno,
    received: req.received,
    fence: NULL_FENCE,
  };
}

/** The error reply's type, read from the registry so a schema change needs no code change here. */
export function errorReplyType(registry: ReadonlyMap<number, MessageInfo>): number {
  for (const info of registry.values()) if (info.kind === "reply" && info.error) return info.type;
  return MsgType.Rerror;
}

export function errorReply(errorType: number, code: number, obj: string, text: string): RawReply {
  return { type: errorType, body: encodeRerror({ errCode: code, obj, err: text }), data: NO_DATA };
}

export function errorReplyFrom(errorType: number, e: unknown): RawReply {
  if (isSigmaError(e)) return errorReply(errorType, e.code, e.obj, e.message);
  return errorReply(errorType, ErrCode.Error, "", errorText(e));
}

export function sessClosedError(session: bigint): SigmaError {
  return new SigmaError(ErrCode.SessClosed, sessionIdHex(session));
}

export function sessClosedReply(errorType: number, session: bigint): RawReply {
  return errorReplyFrom(errorType, sessClosedError(session));
}

/** A keepalive's answer echoes its sids; a malformed one is answered BadFcall like any request. */
export function keepaliveReply(errorType: number, info: MessageInfo, body: unknown): RawReply {
  if (info.reply === null) {
    return errorReply(errorType, ErrCode.BadFcall, info.name, `${info.name} has no reply type`);
  }
  try {
    const req = decodeTheartbeat(body);
    return { type: info.reply, body: encodeRheartbeat({ sids: req.sids }), data: NO_DATA };
  } catch (e) {
    return errorReplyFrom(errorType, e);
  }
}
