export { RpcClient } from "./client/rpc-client.js";
export { startRpcServer, type RpcServer, type RpcServerOptions } from "./server/rpc-server.js";
export { RemoteError, isRemoteError } from "./shared/remote-error.js";
export type { MethodStat } from "./shared/rpc-stats.js";
export type { RpcContext, RpcStatsFile } from "./shared/types.js";
export { CLONE, CTL, DATA, STATS, sessionDirName } from "./shared/names.js";
