/** The net layer: framed connections and the hello, for the session layer above. */
export { dial, DIAL_DEFAULTS } from "./netclnt.js";
export { listen, SERVER_DEFAULTS } from "./netsrv.js";
export { decodeMessage, encodeMessage } from "./message.js";
export { readTlsClientFiles, readTlsServerFiles } from "./tls-files.js";
export { peerUserOf } from "./tls.js";
export { formatAddr, parseAddr, type HostPort } from "./addr.js";
export type {
  CloseReason,
  DialError,
  DialOptions,
  MessageConn,
  NetServer,
  NetServerHooks,
  NetServerOptions,
  PartialFrameStats,
  TlsClientOptions,
  TlsServerOptions,
  WireMessage,
} from "./types.js";
