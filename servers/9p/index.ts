/** The 9P2000.L gateway (docs/9p.md) and its codec. */
export {
  startGateway,
  GATEWAY_DEFAULTS,
  type Gateway,
  type GatewayClientOptions,
  type GatewayOptions,
} from "./gateway.js";
export { NinepClient, type NinepClientOptions } from "./client.js";
export {
  decodeMessage,
  encodeMessage,
  decodeDirents,
  encodeDirents,
  FrameError,
  msgName,
  msgNum,
  type AnyMsg,
  type Dirent,
  type Msg,
  type MsgName,
  type Qid,
} from "./codec.js";
export { MESSAGES, DIRENT, MAXWELEM, NOFID, NONUNAME, NOTAG, VERSION_9P2000L } from "./messages.js";
export { Errno, ERRNO_OF_CODE, errnoOf } from "./errno.js";
