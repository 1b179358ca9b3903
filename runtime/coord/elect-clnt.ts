/**
 * Leader election (spec 7): the leader is whoever holds the ephemeral file `path`. Acquiring is a
 * create-or-block (OWATCH) of that file, so contenders queue on the server instead of polling, and
 * leadership ends with the holder's session: on release, exit, or the server timing the session
 * out after a crash or partition. Ephemeral cleanup removes only the object its own session
 * created (4.8), so another client's exit never removes the leader's file.
 */
import { Mode, Perm } from "../../generated/sigmap/types.js";
import type { CallOpts, FsLib } from "../client/index.js";
import { callBudget } from "./call-budget.js";

/** One contender in the election whose leader file is `path`. */
export class ElectClnt {
  readonly #fsl: FsLib;
  readonly #path: string;
  readonly #perm: number;

  /** The leader file is created with `perm | DMTMP`. */
  constructor(fsl: FsLib, path: string, perm = 0o644) {
    this.#fsl = fsl;
    this.#path = path;
    this.#perm = (perm | Perm.DMTMP) >>> 0;
  }

  /**
   * Becomes the leader: waits while another session holds the leader file, then creates it and
   * writes `data` into it (who leads, for observers). Fails with SessClosed when this client's
   * session to the server closes while waiting, with Aborted or Timeout per `opts`. A failure
   * after the file was created removes it again, and an abandoned create that succeeds later is
   * undone by FsLib, so a failed acquisition never leaves this client leading.
   */
  async acquireLeadership(data: Uint8Array = new Uint8Array(), opts?: CallOpts): Promise<void> {
    const budget = callBudget(opts);
    const fd = await this.#fsl.create(this.#path, this.#perm, Mode.OWRITE | Mode.OWATCH, budget());
    try {
      await this.#fsl.writeV(fd, data, budget());
    } catch (e) {
      // Not with the caller's signal: it may be what just fired, and the file must still go.
      await this.#fsl.remove(this.#path).catch(() => undefined);
      throw e;
    } finally {
      await this.#fsl.close(fd).catch(() => undefined);
    }
  }

  /**
   * Gives up leadership: removes the leader file, waking the next contender. Call it only while
   * leading: after this client's session closed, the file may already be the next leader's.
   */
  async releaseLeadership(opts?: CallOpts): Promise<void> {
    await this.#fsl.remove(this.#path, opts);
  }

  /** The leader file's path. */
  getPath(): string {
    return this.#path;
  }
}
