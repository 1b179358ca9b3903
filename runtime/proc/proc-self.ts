/**
 * The lifecycle calls of a proc that needs nothing else from SigmaOS: report started and exited
 * through the channel to procd, which updates named. It loads no client library, so a proc that
 * only has to say "started" pays nothing beyond Node's own start-up. Procs that use named take
 * {@link SigmaClnt.fromEnv} instead, which reports the same way.
 */
import { type ProcEnv, readProcEnv } from "../proc-channel/proc-env.js";
import { ProcdChannel } from "./procd-channel.js";
import type { Status } from "../proc-channel/status.js";

/** A proc's view of itself: its environment and its two reports. */
export interface ProcSelf {
  readonly env: ProcEnv;
  /** Marks the proc started: its parent's `waitStart` returns. */
  started(): Promise<void>;
  /** Reports the exit status and removes the procdir; the process should end afterwards. */
  exited(status: Status): Promise<void>;
  /** Runs `fn` if procd goes away. */
  onProcdGone(fn: () => void): void;
}

/** The current process as a proc; throws when it was not started by procd. */
export function procSelf(env: NodeJS.ProcessEnv = process.env): ProcSelf {
  const pe = readProcEnv(env);
  if (pe.channelFd === null) throw new Error("not started by procd: SIGMA_PROCD_FD is not set");
  const ch = ProcdChannel.open(pe.channelFd);
  return {
    env: pe,
    started: () => ch.started(),
    exited: (status) => ch.exited(status),
    onProcdGone: (fn) => ch.onClose(fn),
  };
}
