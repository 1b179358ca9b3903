/**
 * Fences (spec 4.9, 7): a leader stamps every fenced request under its directories with its
 * epoch's fence. A server remembers the newest epoch it has seen per fence and refuses older ones
 * with Stale, so once a new leader has written to a server, a deposed leader cannot, however late
 * its requests arrive. Servers list their fences under `.fences`, where they can be removed.
 */
import type { Stat } from "../../generated/sigmap/types.js";
import type { CallOpts, FsLib } from "../client/index.js";
import { callBudget } from "./call-budget.js";
import { EpochClnt } from "./epoch-clnt.js";

/** Fences directories with the epochs of one election. */
export class FenceClnt {
  readonly #fsl: FsLib;
  readonly #epochs: EpochClnt;

  /** Fences with the epochs of `epochs`. */
  constructor(fsl: FsLib, epochs: EpochClnt) {
    this.#fsl = fsl;
    this.#epochs = epochs;
  }

  /** A FenceClnt for the election whose leader file is `leaderFn`. */
  static forLeader(fsl: FsLib, leaderFn: string, perm = 0o644): FenceClnt {
    return new FenceClnt(fsl, new EpochClnt(fsl, leaderFn, perm));
  }

  /**
   * From now on this client's fenced requests (reads, writes, removes, renames, get/put file) on
   * paths under each of `dirs` carry the fence of `epoch`. Nothing is sent to the fenced servers:
   * each learns the epoch from the first fenced request. Fails with Stale if `epoch` is no longer
   * the current one.
   */
  async fenceAtEpoch(epoch: bigint, dirs: readonly string[], opts?: CallOpts): Promise<void> {
    const fence = await this.#epochs.getFence(epoch, opts);
    for (const dir of dirs) this.#fsl.fenceDir(dir, fence);
  }

  /** The fences of the server holding `path`: the entries of its `.fences` (named by hex id). */
  async getFences(path: string, opts?: CallOpts): Promise<Stat[]> {
    const budget = callBudget(opts);
    return this.#fsl.getDir(await fencesDir(this.#fsl, path, budget()), budget());
  }

  /**
   * Removes the current epoch's fence from the server of each of `dirs` (e.g. when retiring the
   * service). The server forgets the epoch: until a fenced request teaches it again, it would
   * accept an older leader's requests, so call this only when no deposed leader may still write.
   */
  async removeFence(dirs: readonly string[], opts?: CallOpts): Promise<void> {
    const budget = callBudget(opts);
    const fence = await this.#epochs.getFence(await this.#epochs.readEpoch(budget()), budget());
    const id = fence.fenceid.path.toString(16);
    for (const dir of dirs) {
      await this.#fsl.remove(`${await fencesDir(this.#fsl, dir, budget())}/${id}`, budget());
    }
  }
}

/** `<mount point of path>/.fences`, mounting the server first if no path reached it yet. */
async function fencesDir(fsl: FsLib, path: string, opts: CallOpts): Promise<string> {
  const { mountPath } = await fsl.pathLastSymlink(path, opts);
  return `${mountPath}/.fences`;
}
