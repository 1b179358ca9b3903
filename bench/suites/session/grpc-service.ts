/**
 * The gRPC baseline's service, shared by its server and client: one unary method whose request
 * and reply are opaque bytes, (de)serialized as the Buffers they already are. No .proto file and
 * no protobuf work: gRPC is charged only for what it adds, HTTP/2 and its call machinery.
 */
import type { ChannelOptions, MethodDefinition } from "@grpc/grpc-js";

const asIs = (bytes: Buffer): Buffer => bytes;

export const NULL_METHOD: MethodDefinition<Buffer, Buffer> = {
  path: "/sigmats.bench.Null/Call",
  requestStream: false,
  responseStream: false,
  requestSerialize: asIs,
  requestDeserialize: asIs,
  responseSerialize: asIs,
  responseDeserialize: asIs,
};

export const NULL_SERVICE = { call: NULL_METHOD };

/**
 * For both ends. Channelz (on by default) books every call into tracing counters; retries (on by
 * default) keep each request buffered for a possible resend. Neither helps a benchmark, and a
 * performance-minded deployment would turn both off.
 */
export const GRPC_OPTIONS: ChannelOptions = {
  "grpc.enable_channelz": 0,
  "grpc.enable_retries": 0,
};
