/**
 * What path resolution (walk-path.ts) needs of pathclnt: the mount table, the fid layer and the
 * few pathclnt steps it repeats per round. PathClient implements it; walkPath sees only this, so
 * the two files do not import each other.
 */
import type { Tmount, Tqid } from "../../../generated/sigmap/types.js";
import type { Limits } from "../call-limits.js";
import type { FidClient } from "../fid/fid-client.js";
import type { SessionEntry } from "../fid/session-pool.js";
import type { MountEntry, MountTable, Resolution } from "./mount-table.js";
import type { UnionCandidate } from "./union-select.js";

/** What is mounted at a path. */
export interface MountPoint {
  /** The attached fid; never walked itself, only cloned. */
  readonly fid: number;
  /**
   * The fid's session. Checked before the fid is used: once the session closes the fid number
   * may be recycled, while the mount stays so that calls fail with SessClosed (spec 6.8).
   */
  readonly entry: SessionEntry;
  /** The qid of the mounted tree's root, as attach returned it. */
  readonly qid: Tqid;
  /** The record it was mounted from (addresses and tree). */
  readonly mount: Tmount;
  /** The addresses in dialing order; their comma join is the session key. */
  readonly addrs: readonly string[];
  /**
   * Mounted by the resolver from a mount record, so it can be dropped and re-read: walkPath
   * unmounts only such mounts when their server is Unreachable.
   */
  readonly auto: boolean;
  /**
   * The symlink the record was read from: the mount path for a mount symlink, the chosen entry
   * for a union element; the mount path itself for mounts the application made.
   */
  readonly source: readonly string[];
}

/** pathclnt as walkPath uses it (PathClient; see path-client.ts for each method). */
export interface Resolver {
  readonly mounts: MountTable<MountPoint>;
  readonly fids: FidClient;
  readonly config: { readonly net: string };
  resolve(path: readonly string[], resolveLast: boolean): Resolution<MountPoint>;
  fidOf(m: MountEntry<MountPoint>): number;
  readSymlink(fid: number, lim: Limits): Promise<Uint8Array>;
  pickUnion(dirFid: number, elem: string, lim: Limits): Promise<UnionCandidate>;
  attachMount(
    path: readonly string[],
    mount: Tmount,
    auto: boolean,
    lim: Limits,
    source?: readonly string[],
  ): Promise<number>;
}
