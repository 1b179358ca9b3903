/**
 * The contract between generated code and the runtime: the types a generated file declares
 * against (transport, message descriptors and the registry, services, FsLib's hooks) and the
 * pure helpers its codecs call (MessagePack reading and writing, decode errors). It imports only
 * runtime/errors, so depending on it never loads the session layer, the dispatcher or msgpackr;
 * the runtime engines that run a protocol (ProtocolClient, the dispatcher, frames) are in
 * runtime/wire, above it.
 */
export type { CallOptions, RawReply, Transport, WireFence } from "./transport.js";
export { NO_DATA } from "./transport.js";
export type { MessageFlags, MessageInfo } from "./registry-types.js";
export {
  isRequestDesc,
  MESSAGE_FLAGS,
  type MessageDesc,
  type MessageFlag,
  type ProtocolDesc,
  type RequestDesc,
  type SparseFlags,
} from "./descriptors.js";
export { createRegistry, Registry } from "./registry.js";
export { FsMethods, type CallLimits, type FsMapping } from "./fs-methods.js";
export {
  asSigmaError,
  badFcall,
  decodeFailure,
  recordDecoder,
  runtimeCodes,
  unknownMethod,
  type RuntimeCodes,
} from "./runtime-errors.js";
export type {
  RpcCallOptions,
  RpcMethodInfo,
  RpcService,
  RpcServiceInfo,
  RpcTransport,
} from "./service-types.js";
export { bindService, callRpc } from "./service-call.js";
export { DecodeError } from "./decode-error.js";
export {
  expectArray,
  expectMember,
  fieldPath,
  readArrayOf,
  readBool,
  readBytes,
  readI64,
  readMapOf,
  readOptional,
  readString,
  readStringArray,
  readU16,
  readU32,
  readU64,
  readU8,
  type Reader,
} from "./decode-helpers.js";
export { int64ToWire } from "./encode-helpers.js";
export { MsgpackCursor } from "./msgpack-cursor.js";
export { MAX_INT_BYTES, writeU32, writeU64 } from "./msgpack-write.js";
export { u64Bytes, writeBoundU64, type U64Bytes } from "./u64-bytes.js";
