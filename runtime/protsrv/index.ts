export { createProtServer, type ProtServer, type ProtServerOptions } from "./prot-server.js";
export type { DetachCallback } from "./session-state.js";
export {
  fenceText,
  type EpochFacts,
  type FenceRelease,
  type FenceTable,
  type RemoteEpochs,
} from "./fence-table.js";
export { COUNTER_NAMES, type CounterName, type StatsSnapshot } from "./stats.js";
export { STATSD_NAME } from "./statsd.js";
export { FENCES_NAME } from "./fences-dir.js";
export type { RequestContext } from "./request-context.js";
export { startFileServer, type FileServer, type FileServerOptions } from "./file-server.js";
