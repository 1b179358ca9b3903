/**
 * pathclnt (spec 6.2-6.4): the mount table and everything that turns a path into a fid: symlinks,
 * mount records and union elements.
 */
import { recordTransport } from "./addr-tls.js";
import {
  MAXGETSET,
  Mode,
  NoV,
  QType,
  type Stat,
  type Tmount,
} from "../../../generated/sigmap/types.js";
import { ErrCode } from "../../../generated/sigmap/types.js";
import { SigmaError } from "../../errors/index.js";
import { logger } from "../../log.js";
import { type Limits } from "../call-limits.js";
import { decodeDirEntries } from "./dir-entries.js";
import { dialOrder } from "./dial-order.js";
import type { FidClient } from "../fid/fid-client.js";
import { decodeSymlink } from "./mount-record.js";
import { type MountEntry, MountTable, type Resolution } from "./mount-table.js";
import { isPathPrefix } from "../split-path.js";
import { chooseUnionEntry, type UnionCandidate } from "./union-select.js";
import type { MountPoint, Resolver } from "./resolver.js";
import { walkPath } from "./walk-path.js";

export type { MountPoint } from "./resolver.js";

const log = logger("fslib");

/** Identity and placement of this client, as pathclnt needs it. */
export interface PathClientConfig {
  uname: string;
  /** The client's network; addresses on it are dialed first. */
  net: string;
  /** Picks `~local` union entries. */
  localIp: string;
  /** Largest directory read, before the frame limit. */
  chunkSize: () => number;
}

// Room for the header and body around a frame's data.
const FRAME_OVERHEAD = 4096;

/** pathclnt: the mount table and path resolution (`walk`) over a FidClient. */
export class PathClient implements Resolver {
  readonly mounts = new MountTable<MountPoint>();
  readonly fids: FidClient;
  readonly config: PathClientConfig;

  constructor(fids: FidClient, config: PathClientConfig) {
    this.fids = fids;
    this.config = config;
  }

  /** The longest mount of `path` (see MountTable.resolve); Unreachable("no mount") if none. */
  resolve(path: readonly string[], resolveLast: boolean): Resolution<MountPoint> {
    return this.mounts.resolve(path, resolveLast);
  }

  /**
   * Resolves `path` to a new fid (spec 6.4); the caller clunks it. With `resolveLast` a final
   * symlink or mount is followed. Errors: Notfound (obj: the missing name or the unwalkable rest),
   * Unreachable (no mount, too many symlinks, server down), Inval (bad mount record), NotSymlink,
   * SessClosed, Timeout, Aborted.
   */
  walk(path: readonly string[], resolveLast: boolean, lim: Limits): Promise<number> {
    return walkPath(this, path, resolveLast, lim);
  }

  /**
   * Attaches to the server a mount record names and mounts it at `path`; returns the fid.
   * `source` is the symlink the record came from (default: `path`).
   */
  async attachMount(
    path: readonly string[],
    mount: Tmount,
    auto: boolean,
    lim: Limits,
    source: readonly string[] = path,
  ): Promise<number> {
    const addrs = dialOrder(mount.addr, this.config.net);
    const transport = recordTransport(mount.addr);
    const fid = await this.fids.attach(addrs, this.config.uname, mount.root, path, lim, transport);
    this.mountFid(path, fid, mount, addrs, auto, source);
    return fid;
  }

  /**
   * Binds `path` to `fid`. If something is already mounted there, Exists unless `auto`: the
   * resolver may race another resolver of the same record, and either mount serves.
   */
  mountFid(
    path: readonly string[],
    fid: number,
    mount: Tmount,
    addrs: readonly string[],
    auto: boolean,
    source: readonly string[] = path,
  ): void {
    const { entry, qid } = this.fids.state(fid);
    if (this.mounts.add(path, { fid, entry, qid, mount, addrs, auto, source: [...source] })) {
      return;
    }
    if (auto) {
      void this.fids.clunk(fid).catch((e: unknown) => log("clunk of spare mount fid: %O", e));
      return;
    }
    throw new SigmaError(ErrCode.Exists, path.join("/"), `mount exists: ${path.join("/")}`);
  }

  /** The fid of a mount, after checking its session is open (SessClosed otherwise). */
  fidOf(m: MountEntry<MountPoint>): number {
    m.value.entry.checkOpen();
    return m.value.fid;
  }

  /**
   * The fid a combined request (Tgetfile, Tputfile, Tremovefile) goes out on, or undefined when `m`
   * is a learned mount whose session has closed: the caller walks instead, and the walk re-reads
   * the record it came from (spec 6.4). Otherwise as `fidOf`.
   */
  directFid(m: MountEntry<MountPoint>): number | undefined {
    const closed = m.value.entry.closedEvent !== undefined;
    if (closed && m.value.auto && !this.fids.pool.exited) return undefined;
    return this.fidOf(m);
  }

  /** Removes the mount at exactly `path`; Unreachable("no mount") if there is none. */
  unmount(path: readonly string[]): MountPoint {
    const m = this.mounts.remove(path);
    if (m === undefined) {
      throw new SigmaError(ErrCode.Unreachable, "no mount", `no mount at ${path.join("/")}`);
    }
    return m;
  }

  /**
   * Drops the mounts the resolver learned (auto mounts) at or below `path`, or read from a symlink
   * at or below it: `path` was removed or renamed away by this client, so the records they came
   * from are gone. Mounts the application made stay: they are not tied to a symlink.
   */
  dropLearnedMounts(path: readonly string[]): void {
    for (const m of [...this.mounts.entries()]) {
      if (!m.value.auto) continue;
      if (!isPathPrefix(path, m.path) && !isPathPrefix(path, m.value.source)) continue;
      if (!this.mounts.removeIf(m.path, m.value)) continue;
      log("unmount %s: its record at %s is gone", m.path.join("/"), path.join("/"));
      void this.fids.clunk(m.value.fid).catch(() => undefined);
    }
  }

  /** Reads the symlink `fid` names (Topen OREAD, one TreadV of up to MAXGETSET). */
  async readSymlink(fid: number, lim: Limits): Promise<Uint8Array> {
    const qid = await this.fids.open(fid, Mode.OREAD, lim);
    if ((qid.type & QType.QTSYMLINK) === 0) {
      throw new SigmaError(ErrCode.NotSymlink, this.fids.state(fid).path.join("/"));
    }
    return this.fids.readV(fid, 0n, MAXGETSET, NoV, lim);
  }

  /** Lists the directory `dirFid` names, through a clone so `dirFid` stays walkable. */
  async listDir(dirFid: number, lim: Limits): Promise<Stat[]> {
    const { fid } = await this.fids.walk(dirFid, [], lim);
    try {
      await this.fids.open(fid, Mode.OREAD, lim);
      const count = this.readCount(fid);
      const out: Stat[] = [];
      for (;;) {
        const data = await this.fids.readV(fid, 0n, count, NoV, lim);
        if (data.length === 0) return out;
        out.push(...decodeDirEntries(data));
      }
    } finally {
      await this.fids.clunk(fid).catch(() => undefined);
    }
  }

  /** The largest read or write through `fid`: the chunk size within the session's frame. */
  readCount(fid: number): number {
    return Math.min(this.config.chunkSize(), this.fids.maxFrame(fid) - FRAME_OVERHEAD);
  }

  /**
   * The mount record a union element `elem` picks in the directory `dirFid` (spec 6.4 step 4);
   * entries that are not mount records are skipped. Notfound(elem) if none matches.
   */
  async pickUnion(dirFid: number, elem: string, lim: Limits): Promise<UnionCandidate> {
    const entries = await this.listDir(dirFid, lim);
    const candidates: UnionCandidate[] = [];
    for (const st of entries) {
      if ((st.qid.type & QType.QTSYMLINK) === 0) continue;
      let content: Uint8Array;
      try {
        content = await this.fids.getfile(dirFid, [st.name], false, Mode.OREAD, 0n, MAXGETSET, lim);
      } catch (e) {
        // An entry removed since the listing is simply not a candidate.
        log("union entry %s: %O", st.name, e);
        continue;
      }
      const t = safeDecode(content);
      if (t === undefined) continue;
      const c = { name: st.name, mount: t };
      candidates.push(c);
      if (chooseUnionEntry(elem, [c], this.config.localIp) !== undefined) return c;
    }
    throw new SigmaError(ErrCode.Notfound, elem);
  }
}

function safeDecode(content: Uint8Array): Tmount | undefined {
  try {
    const t = decodeSymlink(content);
    return t.kind === "mount" ? t.mount : undefined;
  } catch {
    return undefined;
  }
}
