/**
 * Procs (spec 9): ProcClnt and SigmaClnt for parents and for procs, the file protocol in named,
 * and the light lifecycle API of procs that need nothing else. See docs/procs.md.
 */
export { ProcClnt, type ProcIdentity, type Spawned } from "./proc-clnt.js";
export { SigmaClnt, type SigmaClntOptions } from "./sigma-clnt.js";
export { makeProc, type Proc, type ProcOptions, type StartHow } from "./proc.js";
export {
  StatusCode,
  statusErr,
  statusEvicted,
  statusName,
  statusOk,
  toStatus,
  type Status,
} from "../proc-channel/status.js";
export { procSelf, type ProcSelf } from "./proc-self.js";
export {
  isProcEnv,
  procEnvVars,
  ProcEnvVar,
  readProcEnv,
  type ProcEnv,
} from "../proc-channel/proc-env.js";
export {
  childEntry,
  kernelDir,
  kernelOfQueueFile,
  KPIDS_DIR,
  procDirOf,
  procdRpcPath,
  ProcFile,
  queueFile,
  runningFile,
  SCHEDD_DIR,
} from "./proc-paths.js";
export { makeChildEntry, makeProcDir, markExited, markStarted } from "./proc-files.js";
export { listProcds, pickProcd, type ProcdEntry } from "./procd-locate.js";
export type { FromProcd, ToProcd } from "../proc-channel/channel-messages.js";
export { LineChannel } from "../proc-channel/line-channel.js";
