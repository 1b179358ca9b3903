/**
 * Epochs (spec 7): a counter in the file `<leaderFn>-epoch`, advanced by each new leader, and the
 * fence that stamps a leader's requests with its epoch. The fence id is the epoch file's object
 * id, so every leader of one election shares one fence on every server.
 */
import { ErrCode, Mode, type Tfence } from "../../generated/sigmap/types.js";
import { SigmaError } from "../errors/index.js";
import type { CallOpts, FsLib } from "../client/index.js";
import { callBudget } from "./call-budget.js";

/** Epoch files are short hex text; reading more than this is a corrupt file, not an epoch. */
const EPOCH_READ = 100;

/** The epoch counter of the election whose leader file is `leaderFn`. */
export class EpochClnt {
  readonly #fsl: FsLib;
  readonly #file: string;
  readonly #perm: number;

  /**
   * The epoch file is `leaderFn + "-epoch"`, created with `perm & 0o777`: no type bits (never
   * ephemeral), all nine permission bits (0xFF would drop the owner's read bit).
   */
  constructor(fsl: FsLib, leaderFn: string, perm = 0o644) {
    this.#fsl = fsl;
    this.#file = `${leaderFn}-epoch`;
    this.#perm = perm & 0o777;
  }

  /**
   * Increments the epoch and returns the new one (the first is 1). Only the leader may call it:
   * a concurrent advance fails with Version (the file moved since it was opened) rather than
   * skipping or repeating an epoch.
   */
  async advanceEpoch(opts?: CallOpts): Promise<bigint> {
    const budget = callBudget(opts);
    const fd = await this.#fsl.createOpen(this.#file, this.#perm, Mode.ORDWR, budget());
    try {
      const next = parseEpoch(await this.#fsl.readV(fd, EPOCH_READ, budget()), this.#file) + 1n;
      this.#fsl.seek(fd, 0);
      // Epochs only grow, so the new text is never shorter than the old: no truncation needed.
      await this.#fsl.writeV(fd, formatEpoch(next), budget());
      return next;
    } finally {
      await this.#fsl.close(fd).catch(() => undefined);
    }
  }

  /** The current epoch (0 before the first advance). Errors: Notfound if never advanced. */
  async readEpoch(opts?: CallOpts): Promise<bigint> {
    return parseEpoch(await this.#fsl.getFile(this.#file, opts), this.#file);
  }

  /** The epoch file's path. */
  name(): string {
    return this.#file;
  }

  /**
   * The fence for `epoch`: `{ fenceid: { path: object id of the epoch file }, epoch }`. Fails with
   * Stale if the file holds another epoch: a newer leader has advanced it, so this caller must not
   * fence anything at `epoch` any more.
   */
  async getFence(epoch: bigint, opts?: CallOpts): Promise<Tfence> {
    const budget = callBudget(opts);
    // ORDWR: it reads the file, and only a principal that may advance the epoch gets its fence.
    const fd = await this.#fsl.open(this.#file, Mode.ORDWR, budget());
    try {
      const text = new TextDecoder().decode(await this.#fsl.readV(fd, EPOCH_READ, budget()));
      if (text !== epoch.toString(16)) {
        throw new SigmaError(ErrCode.Stale, text, `stale fence: newer epoch: ${text}`);
      }
      return { fenceid: { path: this.#fsl.qid(fd).path, serverid: 0n }, epoch };
    } finally {
      await this.#fsl.close(fd).catch(() => undefined);
    }
  }
}

/** Epochs as the file holds them: lowercase hex without prefix (spec conventions). */
export function formatEpoch(epoch: bigint): Uint8Array {
  return new TextEncoder().encode(epoch.toString(16));
}

/** Parses an epoch file's content; empty is 0. Errors: Inval for anything but hex digits. */
export function parseEpoch(bytes: Uint8Array, file: string): bigint {
  const text = new TextDecoder().decode(bytes);
  if (text === "") return 0n;
  if (!/^[0-9a-f]+$/.test(text)) {
    throw new SigmaError(ErrCode.Inval, file, `invalid argument: epoch file ${file}: ${text}`);
  }
  return BigInt(`0x${text}`);
}
