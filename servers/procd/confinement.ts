/**
 * The least privilege procd can give a proc, with what Node and util-linux offer:
 *
 * - **user**: when procd runs as root it must be told whom procs run as (`procUser`); Node's spawn
 *   sets that uid and gid and drops every supplementary group. procd refuses to start as root
 *   without one (an explicit `0:0` is accepted, and logged). A procd that is not root runs procs
 *   as its own user and cannot do otherwise.
 * - **no new privileges** (`setpriv --no-new-privs`): setuid binaries and file capabilities grant
 *   a proc nothing.
 * - **its own process group** (a new session): procd signals the whole group, so a proc's own
 *   children stop with it, and a terminal's Ctrl-C at procd does not reach procs directly.
 * - **resource limits** (`prlimit`): by default no core dumps (they would write a proc's memory,
 *   tokens included, to disk) and at most 1024 open files; nproc, address space and CPU seconds
 *   when configured. Soft and hard limits are set alike, so a proc cannot raise them.
 * - **death with procd** (`setpriv --pdeathsig KILL`), as before.
 *
 * Node cannot call setrlimit or prctl itself, so these come from util-linux's prlimit and setpriv
 * when installed; without them procd says once what it could not apply and runs procs without it.
 */
import { existsSync } from "node:fs";
import { logger } from "../../runtime/log.js";

const log = logger("procd");

/** A numeric user and group. */
export interface ProcUser {
  uid: number;
  gid: number;
}

/** Resource limits (soft = hard) set on every proc; absent ones are inherited from procd. */
export interface ProcLimits {
  /** Core file size, bytes. */
  core?: number;
  /** Open files. */
  nofile?: number;
  /** Processes of the proc's user (all of that user's processes count). */
  nproc?: number;
  /** Address space, bytes. Node reserves much virtual memory: leave room (several GiB). */
  as?: number;
  /** CPU seconds. */
  cpu?: number;
}

/** The limits procd sets unless told otherwise. */
export const DEFAULT_LIMITS: ProcLimits = { core: 0, nofile: 1024 };

const SETPRIV = ["/usr/bin/setpriv", "/bin/setpriv"].find((p) => existsSync(p)) ?? null;
const PRLIMIT = ["/usr/bin/prlimit", "/bin/prlimit"].find((p) => existsSync(p)) ?? null;

/** How every proc (and warm runtime) is started. */
export class Confinement {
  /** Whom procs run as; null: procd's own user. */
  readonly user: ProcUser | null;
  readonly limits: ProcLimits;
  /** Whether the kernel ends procs when procd dies (setpriv is installed). */
  readonly diesWithProcd: boolean;

  private constructor(user: ProcUser | null, limits: ProcLimits) {
    this.user = user;
    this.limits = limits;
    this.diesWithProcd = SETPRIV !== null;
  }

  /**
   * The confinement for procd's settings. Refuses (Error) to run procs as root by default, and
   * a user change procd has no privilege for.
   */
  static create(procUser: ProcUser | undefined, limits: ProcLimits): Confinement {
    const uid = process.getuid?.() ?? -1;
    for (const [k, v] of Object.entries(limits)) {
      if (v !== undefined && !(Number.isSafeInteger(v) && v >= 0)) {
        throw new Error(`limit ${k}=${String(v)}: not a non-negative integer`);
      }
    }
    if (procUser !== undefined) {
      for (const v of [procUser.uid, procUser.gid]) {
        if (!(Number.isSafeInteger(v) && v >= 0 && v < 2 ** 32 - 1)) {
          throw new Error(`proc user ${procUser.uid}:${procUser.gid}: not a numeric uid:gid`);
        }
      }
      if (uid !== 0 && (procUser.uid !== uid || procUser.gid !== process.getgid?.())) {
        throw new Error(
          `proc user ${procUser.uid}:${procUser.gid}: only a procd running as root can run procs as another user`,
        );
      }
    } else if (uid === 0) {
      throw new Error(
        "procd runs as root: give the user procs run as (--proc-user UID:GID, e.g. 65534:65534 for nobody; 0:0 runs them as root)",
      );
    }
    if (procUser?.uid === 0) log("procs run as root (--proc-user 0:0)");
    if (SETPRIV === null) log("setpriv not found: procs may gain privileges and outlive procd");
    if (PRLIMIT === null && Object.keys(limits).length > 0) {
      log("prlimit not found: procs run with procd's resource limits");
    }
    return new Confinement(uid === 0 && procUser !== undefined ? procUser : null, limits);
  }

  /** `file args…` wrapped in prlimit and setpriv, as far as they are installed. */
  command(file: string, args: readonly string[]): [string, string[]] {
    const argv = [file, ...args];
    if (SETPRIV !== null) argv.unshift(SETPRIV, "--pdeathsig", "KILL", "--no-new-privs", "--");
    const limits = Object.entries(this.limits).filter(([, v]) => v !== undefined);
    if (PRLIMIT !== null && limits.length > 0) {
      argv.unshift(PRLIMIT, ...limits.map(([k, v]) => `--${k}=${v}:${v}`), "--");
    }
    return [argv[0] as string, argv.slice(1)];
  }

  /** spawn() options: the user, and a process group (session) of the proc's own. */
  spawnOptions(): { uid?: number; gid?: number; detached: true } {
    return this.user === null
      ? { detached: true }
      : { uid: this.user.uid, gid: this.user.gid, detached: true };
  }

  /** One line for procd's start-up log. */
  describe(): string {
    const who = this.user === null ? "procd's user" : `${this.user.uid}:${this.user.gid}`;
    const lim = Object.entries(this.limits)
      .filter(([, v]) => v !== undefined)
      .map(([k, v]) => `${k}=${v}`)
      .join(" ");
    const tools = [
      SETPRIV === null ? "no setpriv" : "no new privileges",
      PRLIMIT === null ? "no prlimit" : `limits ${lim || "none"}`,
    ];
    return `procs run as ${who}, own process group, ${tools.join(", ")}`;
  }
}

/** Signals a proc's whole process group (each proc leads one), else the process alone. */
export function signalProc(pid: number | undefined, signal: NodeJS.Signals): void {
  if (pid === undefined) return;
  try {
    process.kill(-pid, signal);
  } catch {
    try {
      process.kill(pid, signal);
    } catch {
      // already gone
    }
  }
}
