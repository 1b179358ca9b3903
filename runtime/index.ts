/**
 * The package entry point (`import { ... } from "sigmats"`): the public API of every room.
 * Internal helpers stay reachable only through their own modules.
 */
export * from "../generated/index.js";
export {
  SigmaError,
  describeErrorCode,
  errorCodeInfo,
  isErr,
  isSigmaError,
  type ErrorCodeInfo,
  type RetryClassName,
} from "./errors/index.js";
export type { CallOptions, MessageInfo, RawReply, Transport } from "./wire/index.js";
export { SessionClient, startSessionServer } from "./session/index.js";
export type {
  RequestContext,
  SessionClientOptions,
  SessionClosedEvent,
  SessionServer,
  SessionServerOptions,
} from "./session/types.js";
