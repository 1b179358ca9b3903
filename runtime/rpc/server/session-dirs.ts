/**
 * The per-session directories of an RPC server (spec 8): opening `clone-rpc` for session S makes
 * `<T>-rpc/` with `ctl` and `data-rpc`, and the directory goes when S ends. The open yields `ctl`,
 * so reading `clone-rpc` returns T. T is a random token of the directory, unrelated to S
 * (deviation from SigmaOS, which names the directory by the session id): the root is listable by
 * everyone, and a published session id would help take the session over.
 */
import { randomBytes } from "node:crypto";
import { Perm } from "../../../generated/sigmap/types.js";
import { errorText } from "../../errors/index.js";
import type { Device, MemFs } from "../../fs/index.js";
import { logger } from "../../log.js";
import type { ProtServer } from "../../protsrv/index.js";
import { CTL, DATA, sessionDirName } from "../shared/names.js";
import type { CallServer } from "./serve-call.js";
import { textDevice } from "./text-device.js";

const log = logger("rpc");

export class SessionDirs {
  readonly #fs: MemFs;
  readonly #protsrv: ProtServer;
  readonly #calls: CallServer;
  // Promises, not devices: two opens of one session racing must not both build the directory.
  readonly #ctl = new Map<bigint, Promise<Device>>();

  constructor(fs: MemFs, protsrv: ProtServer, calls: CallServer) {
    this.#fs = fs;
    this.#protsrv = protsrv;
    this.#calls = calls;
  }

  /** The session's `ctl`, making its directory on first use. */
  open(session: bigint): Promise<Device> {
    let ctl = this.#ctl.get(session);
    if (ctl === undefined) {
      ctl = this.#make(session);
      this.#ctl.set(session, ctl);
      ctl.catch(() => this.#ctl.delete(session));
    }
    return ctl;
  }

  /** Sessions that have a directory now. */
  get size(): number {
    return this.#ctl.size;
  }

  async #make(session: bigint): Promise<Device> {
    // 128 random bits: no one can guess another session's directory, and it says nothing of S.
    const token = randomBytes(16).toString("hex");
    const dir = sessionDirName(token);
    await this.#fs.create(dir, Perm.DMDIR | 0o777);
    const ctl = await this.#fs.makeDevice(
      `${dir}/${CTL}`,
      textDevice(() => token),
      0o444,
    );
    await this.#fs.makeDevice(
      `${dir}/${DATA}`,
      { writeRead: (req, ctx) => this.#calls.call(ctx, req) },
      0o666,
    );
    this.#protsrv.registerDetach(session, () => this.#remove(session, dir));
    return ctl;
  }

  async #remove(session: bigint, dir: string): Promise<void> {
    this.#ctl.delete(session);
    for (const path of [`${dir}/${CTL}`, `${dir}/${DATA}`, dir]) {
      // A client may have removed part of it already; what is left still goes.
      await this.#fs.remove(path).catch((e: unknown) => log("remove %s: %s", path, errorText(e)));
    }
  }
}
