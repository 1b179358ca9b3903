export { RpcClient } from "./rpc-client.js";
export { startRpcServer, type RpcServer, type RpcServerOptions } from "./rpc-server.js";
export { RemoteError, isRemoteError } from "./remote-error.js";
export type { MethodStat } from "./rpc-stats.js";
export type { RpcContext, RpcStatsFile } from "./types.js";
export { CLONE, CTL, DATA, STATS, sessionDirName } from "./names.js";
