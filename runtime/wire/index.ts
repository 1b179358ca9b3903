/**
 * The runtime's protocol engines over the contract (runtime/contract): the one client
 * (ProtocolClient) and the one dispatcher every generated protocol runs on, frames, and
 * MessagePack through msgpackr. Generated code imports only the two engines from here.
 */
export { dispatcherFor, type Dispatcher } from "./dispatch.js";
export { ProtocolClient } from "./protocol-client.js";
export { pack, unpack } from "./msgpack.js";
