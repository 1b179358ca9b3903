/**
 * A semaphore as a file (spec 7): it is down while the file exists. `down` waits for the file to
 * be removed; `up` removes it. Used for one-shot events between processes (a proc's exit, an
 * eviction), not for counting.
 */
import { Mode } from "../../generated/sigmap/types.js";
import {
  type CallOpts,
  type FsLib,
  isErrNotfound,
  isErrVersion,
  type Watch,
} from "../client/index.js";
import { callBudget } from "./call-budget.js";

/** A semaphore at `path` on any server reachable through `fsl`. */
export class SemClnt {
  readonly #fsl: FsLib;
  readonly #path: string;

  /** `path` names the semaphore file; nothing is sent until `init`, `down` or `up`. */
  constructor(fsl: FsLib, path: string) {
    this.#fsl = fsl;
    this.#path = path;
  }

  /**
   * Puts the semaphore down: creates (or truncates) its file with perm `0777 | perm`. Pass
   * `Perm.DMTMP` to have it raised automatically when this client's session ends.
   */
  async init(perm = 0, opts?: CallOpts): Promise<void> {
    await this.#fsl.putFile(this.#path, (0o777 | perm) >>> 0, Mode.OWRITE, new Uint8Array(), opts);
  }

  /**
   * Waits until the semaphore is up (its file is gone); returns at once if it already is. Fails
   * with SessClosed when this client's session to the server closes (partition, server gone,
   * `exit`), with Aborted or Timeout per `opts` (one deadline for the whole wait), and with any
   * other walk or watch error.
   */
  async down(opts?: CallOpts): Promise<void> {
    const budget = callBudget(opts);
    for (;;) {
      let watch: Watch;
      try {
        watch = await this.#fsl.setRemoveWatch(this.#path, budget());
      } catch (e) {
        if (isErrNotfound(e)) return;
        throw e;
      }
      try {
        await watch.fired;
        return;
      } catch (e) {
        // Version: the file changed between walk and watch (removed, maybe re-created): look again.
        if (!isErrVersion(e)) throw e;
      }
    }
  }

  /** Raises the semaphore: removes its file, waking every `down`. Errors: Notfound if already up. */
  async up(opts?: CallOpts): Promise<void> {
    await this.#fsl.remove(this.#path, opts);
  }

  /** The semaphore file's path. */
  getPath(): string {
    return this.#path;
  }
}
