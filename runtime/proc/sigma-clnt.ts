/**
 * SigmaClnt: FsLib plus ProcClnt, as SigmaOS bundles them. A proc builds its own from the
 * environment procd gave it; any other program (a test, the CLI, a service) connects one and gets
 * a procdir under `name/kpids/` so that it can spawn and wait like a proc.
 */
import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import { FsLib, type FsLibOptions } from "../client/index.js";
import { makeProcDir, markExited } from "./proc-files.js";
import { KPIDS_DIR } from "./proc-paths.js";
import { ProcClnt } from "./proc-clnt.js";
import { readProcEnv } from "../proc-channel/proc-env.js";
import { ProcdChannel } from "./procd-channel.js";
import { type Status, statusOk } from "../proc-channel/status.js";

/** Options of {@link SigmaClnt.connect}: FsLib's, plus the client's pid. */
export interface SigmaClntOptions extends FsLibOptions {
  /** Default `<uname>-<8 hex digits>`. */
  pid?: string;
}

/** FsLib and ProcClnt for one program. */
export class SigmaClnt {
  /** The file-system client. */
  readonly fsl: FsLib;
  /** Spawning and waiting (and, for a proc, reporting). */
  readonly procClnt: ProcClnt;
  /** Whether this program is a proc started by procd. */
  readonly isProc: boolean;
  #closed = false;

  private constructor(fsl: FsLib, procClnt: ProcClnt, isProc: boolean) {
    this.fsl = fsl;
    this.procClnt = procClnt;
    this.isProc = isProc;
  }

  /**
   * The current process as a proc: connects to named (SIGMA_NAMED) and reports through procd's
   * channel. Throws when the environment is not a proc's. With SIGMA_TOKEN (procd's token for the
   * proc's user) the session is that user's; with SIGMA_TLS_CA (a PEM file) named is dialed over
   * TLS trusting it.
   */
  static async fromEnv(
    env: NodeJS.ProcessEnv = process.env,
    opts: Omit<FsLibOptions, "named"> = {},
  ): Promise<SigmaClnt> {
    const pe = readProcEnv(env);
    const channel = pe.channelFd === null ? null : ProcdChannel.open(pe.channelFd);
    const fsl = await FsLib.connect({ ...credentialsOf(env, pe.pid), ...opts, named: pe.named });
    // procd renews the token before it expires; later hellos (reconnects, new servers) show it.
    channel?.onToken((token) => {
      env.SIGMA_TOKEN = token;
      fsl.setToken(token);
    });
    const procClnt = new ProcClnt(fsl, {
      pid: pe.pid,
      procDir: pe.procDir,
      parentDir: pe.parentDir,
      channel,
    });
    return new SigmaClnt(fsl, procClnt, true);
  }

  /** A client that is not a proc: connects to named and makes its procdir `name/kpids/<pid>`. */
  static async connect(opts: SigmaClntOptions): Promise<SigmaClnt> {
    const { pid, ...fslOpts } = opts;
    const fsl = await FsLib.connect(fslOpts);
    try {
      return await SigmaClnt.withFsLib(fsl, pid);
    } catch (e) {
      await fsl.close().catch(() => undefined);
      throw e;
    }
  }

  /** A client that is not a proc, over an existing FsLib (which `close` then closes). */
  static async withFsLib(fsl: FsLib, pid?: string): Promise<SigmaClnt> {
    const id = pid ?? `${fsl.uname}-${randomBytes(4).toString("hex")}`;
    const procDir = `${KPIDS_DIR}/${id}`;
    // Ephemeral semaphores: a client that dies without closing still releases its waiters.
    await makeProcDir(fsl, procDir, true);
    const procClnt = new ProcClnt(fsl, { pid: id, procDir, parentDir: "", channel: null });
    return new SigmaClnt(fsl, procClnt, false);
  }

  /** This program's pid. */
  get pid(): string {
    return this.procClnt.pid;
  }

  /** A proc: marks itself started. */
  started(): Promise<void> {
    return this.procClnt.started();
  }

  /**
   * A proc: reports its status, then closes the client, so that the process can end. Children
   * still running are not waited for; their entries go with the procdir.
   */
  async exited(status: Status = statusOk()): Promise<void> {
    try {
      await this.procClnt.exited(status);
    } finally {
      await this.close();
    }
  }

  /**
   * Closes the client. One that is not a proc first removes its procdir (as exiting would), so
   * named keeps nothing of it.
   */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    if (!this.isProc) {
      await markExited(this.fsl, this.procClnt.procDir, "", statusOk()).catch(() => undefined);
    }
    await this.procClnt.close().catch(() => undefined);
    await this.fsl.close().catch(() => undefined);
  }
}

/** A proc's token and CA from its environment; without a token its uname is its pid. */
function credentialsOf(env: NodeJS.ProcessEnv, pid: string): Omit<FsLibOptions, "named"> {
  const token = env["SIGMA_TOKEN"] || undefined;
  const caFile = env["SIGMA_TLS_CA"] || undefined;
  return {
    ...(token === undefined ? { uname: pid } : { token }),
    ...(caFile === undefined ? {} : { tls: { ca: readFileSync(caFile, "utf8") } }),
  };
}
