/**
 * What procd and a proc say to each other over the proc's channel (one JSON object per line, on
 * the descriptor named by SIGMA_PROCD_FD). A program in any language can speak it: writing
 * `{"t":"started"}` and `{"t":"exited","status":{"code":1,"message":"done"}}` is the whole ABI.
 */
import type { Status } from "./status.js";

/** From a proc (or an idle warm runtime) to procd. */
export type ToProcd =
  { t: "ready" } | { t: "started"; id?: number } | { t: "exited"; id?: number; status: Status };

/** From procd to a proc (or an idle warm runtime). */
export type FromProcd =
  | {
      t: "run";
      /** Absolute path of the module to import. */
      module: string;
      args: string[];
      env: Record<string, string>;
      /** Empty: stay where the runtime started. */
      cwd: string;
    }
  | { t: "ack"; id: number; error?: string }
  /** A renewed token for SIGMA_TOKEN's user, sent at each half of the old one's life. */
  | { t: "token"; token: string };
