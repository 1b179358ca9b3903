/**
 * The package entry point (`import { ... } from "sigmats"`): the public API of every room. It
 * sits above all of them (servers included), so no room imports it.
 */
export * from "./generated/index.js";
export {
  SigmaError,
  describeErrorCode,
  errorCodeInfo,
  isErr,
  isSigmaError,
  type ErrorCodeInfo,
  type RetryClassName,
} from "./runtime/errors/index.js";
export type { CallOptions, MessageInfo, RawReply, Transport } from "./runtime/contract/index.js";
export { SessionClient, startSessionServer } from "./runtime/session/index.js";
export type {
  RequestContext,
  SessionClientOptions,
  SessionClosedEvent,
  SessionServer,
  SessionServerOptions,
  SessionTransportOptions,
  TlsClientOptions,
  TlsServerOptions,
} from "./runtime/session/index.js";
export * from "./runtime/client/index.js";
export { startNamed, type Named, type NamedOptions } from "./servers/named/index.js";
export { startFileServer } from "./runtime/protsrv/file-server.js";
export * from "./runtime/coord/index.js";
export { startMemfsd, type Memfsd, type MemfsdOptions } from "./servers/memfsd/index.js";
export * from "./runtime/rpc/index.js";
export * from "./runtime/proc/index.js";
export {
  startProcd,
  type Procd,
  type ProcdOptions,
  type ProcLimits,
  type ProcUser,
  type SpawnAuthorizer,
  type SpawnCaller,
} from "./servers/procd/index.js";
export * from "./runtime/auth/index.js";
export {
  startGateway,
  GATEWAY_DEFAULTS,
  NinepClient,
  type Gateway,
  type GatewayOptions,
} from "./servers/9p/index.js";
export { startConsole, type ConsoleOptions, type ConsoleServer } from "./servers/console/index.js";
