/**
 * A fenced leader (spec 7): election plus epochs plus fences. Each new leader enters the next
 * epoch and fences its directories with it, so its requests supersede every earlier leader's on
 * each server they reach, and a deposed leader that still believes it leads is refused (Stale).
 */
import type { Stat } from "../../generated/sigmap/types.js";
import type { CallOpts, FsLib } from "../client/index.js";
import { callBudget } from "./call-budget.js";
import { ElectClnt } from "./elect-clnt.js";
import { EpochClnt } from "./epoch-clnt.js";
import { FenceClnt } from "./fence-clnt.js";

/** A contender for the leadership whose ephemeral leader file is `leaderFn`. */
export class LeaderClnt {
  readonly #elect: ElectClnt;
  readonly #epochs: EpochClnt;
  readonly #fences: FenceClnt;

  /** Leader file `leaderFn` (perm | DMTMP), epoch file `leaderFn-epoch` (perm & 0o777). */
  constructor(fsl: FsLib, leaderFn: string, perm = 0o644) {
    this.#elect = new ElectClnt(fsl, leaderFn, perm);
    this.#epochs = new EpochClnt(fsl, leaderFn, perm);
    this.#fences = new FenceClnt(fsl, this.#epochs);
  }

  /**
   * Becomes the leader (see `ElectClnt.acquireLeadership`), then enters the next epoch with
   * `dirs` fenced; returns the epoch. If entering the epoch fails, leadership is released again,
   * so a leader never holds the file without its fences.
   */
  async acquireFencedEpoch(
    data: Uint8Array,
    dirs: readonly string[],
    opts?: CallOpts,
  ): Promise<bigint> {
    const budget = callBudget(opts);
    await this.#elect.acquireLeadership(data, budget());
    try {
      return await this.enterNextEpoch(dirs, budget());
    } catch (e) {
      await this.#elect.releaseLeadership().catch(() => undefined);
      throw e;
    }
  }

  /** Advances the epoch and fences `dirs` at it; returns the new epoch. Only while leading. */
  async enterNextEpoch(dirs: readonly string[], opts?: CallOpts): Promise<bigint> {
    const budget = callBudget(opts);
    const epoch = await this.#epochs.advanceEpoch(budget());
    await this.#fences.fenceAtEpoch(epoch, dirs, budget());
    return epoch;
  }

  /** Becomes the leader without entering an epoch (see `ElectClnt.acquireLeadership`). */
  acquireLeadership(data?: Uint8Array, opts?: CallOpts): Promise<void> {
    return this.#elect.acquireLeadership(data, opts);
  }

  /** Removes the leader file (see `ElectClnt.releaseLeadership`). */
  releaseLeadership(opts?: CallOpts): Promise<void> {
    return this.#elect.releaseLeadership(opts);
  }

  /** The current epoch of this election. */
  readEpoch(opts?: CallOpts): Promise<bigint> {
    return this.#epochs.readEpoch(opts);
  }

  /** Fences `dirs` at `epoch` (see `FenceClnt.fenceAtEpoch`). */
  fenceAtEpoch(epoch: bigint, dirs: readonly string[], opts?: CallOpts): Promise<void> {
    return this.#fences.fenceAtEpoch(epoch, dirs, opts);
  }

  /** The fences of the server holding `path` (see `FenceClnt.getFences`). */
  getFences(path: string, opts?: CallOpts): Promise<Stat[]> {
    return this.#fences.getFences(path, opts);
  }

  /** Removes the current epoch's fence from the servers of `dirs` (see `FenceClnt.removeFence`). */
  removeFence(dirs: readonly string[], opts?: CallOpts): Promise<void> {
    return this.#fences.removeFence(dirs, opts);
  }

  /** The leader file's path. */
  getPath(): string {
    return this.#elect.getPath();
  }
}
