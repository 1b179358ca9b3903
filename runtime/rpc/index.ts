export { RpcClient } from "./client/rpc-client.js";
export { startRpcServer, type RpcServer, type RpcServerOptions } from "./server/rpc-server.js";
export { RemoteError, isRemoteError } from "./shared/remote-error.js";
export type { MethodStat } from "./shared/rpc-stats.js";
export type { RpcStatsFile } from "./shared/stats-file.js";
export type { RpcContext } from "./server/rpc-context.js";
export { CLONE, CTL, DATA, STATS, sessionDirName } from "./shared/names.js";
