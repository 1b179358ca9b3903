export type { CallOptions, RawReply, Transport, WireFence } from "./transport.js";
export { NO_DATA } from "./transport.js";
export type { MessageInfo } from "./registry-types.js";
export type {
  RpcCallOptions,
  RpcMethodInfo,
  RpcService,
  RpcServiceInfo,
  RpcTransport,
} from "./service-types.js";
export { DecodeError } from "./decode-error.js";
export { pack, unpack } from "./msgpack.js";
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
