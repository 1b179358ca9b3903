/**
 * procd's child protocol (spec 9): the JSON lines procd and a proc exchange on the proc's
 * channel, the environment a proc is started with, and the exit status it reports. Both sides
 * import it: procd (servers/procd) and the proc's own side in runtime/proc. See docs/procs.md.
 */
export type { FromProcd, ToProcd } from "./channel-messages.js";
export { LineChannel } from "./line-channel.js";
export { isProcEnv, procEnvVars, ProcEnvVar, readProcEnv, type ProcEnv } from "./proc-env.js";
export {
  StatusCode,
  statusErr,
  statusEvicted,
  statusName,
  statusOk,
  toStatus,
  type Status,
} from "./status.js";
