/**
 * fidclnt (spec 6.3): fids over sessions, one typed request per call. It owns three rules the
 * layers above must not repeat: which requests carry a fence (from the generated registry), when a
 * fid number may be reused, and who cleans up after a request the caller gave up on (spec 3.7).
 */
import type { SigmapClient } from "../../generated/sigmap/client.js";
import { messageByType } from "../../generated/sigmap/registry.js";
import {
  ErrCode,
  Mode,
  MsgType,
  NoFid,
  type Rread,
  type Stat,
  type Tfence,
  type Tqid,
} from "../../generated/sigmap/types.js";
import { SigmaError } from "../errors/index.js";
import { logger } from "../log.js";
import { type CallOptions, NO_DATA } from "../wire/index.js";
import { checkLimits, hasLimits, type Limits, type What, within } from "./call-limits.js";
import { FenceTable } from "./fence-table.js";
import { FidTable } from "./fid-table.js";
import type { SessionEntry, SessionPool } from "./session-pool.js";

const log = logger("fslib");

/** What the client knows about one of its fids. */
export interface FidState {
  readonly entry: SessionEntry;
  /** Client-side path: the mount path plus the walked names, union elements kept literally. */
  path: string[];
  /** The qid of the fid's object as last seen (attach, walk, open, create); readV/writeV use it. */
  qid: Tqid;
  /** A request on this fid was given up; its late reply's handler clunks the fid. */
  abandoned: boolean;
  /** Tclunk was sent; nothing else may be. */
  clunking: boolean;
}

/** The largest frame assumed when the session layer does not report the negotiated one. */
export const DEFAULT_MAX_FRAME = 16 * 1024 * 1024;

const NULL_QID: Tqid = { type: 0, version: 0, path: 0n };

// The options of every unfenced request; shared, as the session layer only reads them.
const UNFENCED: CallOptions = Object.freeze({});

/**
 * fidclnt: fids, sessions, fences and one method per request. Every method fails with the
 * server's error, Unknownfid for a fid it does not know, SessClosed on a closed session, and
 * Timeout or Aborted when the call's limits pass.
 */
export class FidClient {
  readonly fids = new FidTable<FidState>();
  readonly fences = new FenceTable();
  readonly pool: SessionPool;

  constructor(pool: SessionPool) {
    this.pool = pool;
  }

  /** The state of a live fid; Unknownfid otherwise. */
  state(fid: number): FidState {
    return this.fids.lookup(fid);
  }

  /** The negotiated frame limit of the fid's session. */
  maxFrame(fid: number): number {
    return this.state(fid).entry.session.maxFrame ?? DEFAULT_MAX_FRAME;
  }

  /** Releases every fid of a closed session (their server-side state is gone). */
  sessionClosed(entry: SessionEntry): void {
    this.fids.releaseWhere((s) => s.entry === entry);
  }

  /**
   * Attaches a new fid to `tree` on the server at `addrs` (session opened if needed). `path` is
   * the client-side path the fid will be mounted at. Errors: Unreachable, SessClosed, the
   * server's attach error, Timeout, Aborted.
   */
  async attach(
    addrs: readonly string[],
    uname: string,
    tree: string,
    path: readonly string[],
    lim: Limits,
  ): Promise<number> {
    checkLimits(lim, "attach");
    const entry = await within(this.pool.get(addrs), lim, "attach");
    const st: FidState = newState(entry, [...path], NULL_QID);
    const fid = this.fids.alloc(st);
    let abandoned = false;
    try {
      const r = await this.#call(
        entry,
        [fid],
        lim,
        "attach",
        this.fenceFor(MsgType.Tattach, path),
        (c, o) => c.attach({ fid, afid: NoFid, uname, aname: tree, credentials: NO_DATA }, o),
        (late) => {
          abandoned = true;
          late.then(
            () => this.#drop(fid),
            () => this.fids.release(fid),
          );
        },
      );
      st.qid = r.qid;
      return fid;
    } catch (e) {
      if (!abandoned) this.fids.release(fid);
      throw e;
    }
  }

  /**
   * Walks `wnames` from `fid` into a new fid (empty wnames clones). The new fid exists even when
   * the server stopped early at a special element: compare `qids.length` with `wnames.length`.
   * Errors: Notfound (no new fid), Unknownfid, SessClosed, Timeout, Aborted.
   */
  async walk(
    fid: number,
    wnames: readonly string[],
    lim: Limits,
  ): Promise<{ fid: number; qids: Tqid[] }> {
    const from = this.state(fid);
    checkLimits(lim, wnames);
    const st = newState(from.entry, [...from.path], from.qid);
    const newFid = this.fids.alloc(st);
    let abandoned = false;
    try {
      const r = await this.#call(
        from.entry,
        [fid, newFid],
        lim,
        [...from.path, ...wnames],
        this.fenceFor(MsgType.Twalk, from.path),
        (c, o) => c.walk({ fid, newFid, wnames: [...wnames] }, o),
        (late) => {
          abandoned = true;
          late.then(
            () => this.#drop(newFid),
            () => this.fids.release(newFid),
          );
        },
      );
      st.path = [...from.path, ...wnames.slice(0, r.qids.length)];
      st.qid = r.qids[r.qids.length - 1] ?? from.qid;
      return { fid: newFid, qids: r.qids };
    } catch (e) {
      if (!abandoned) this.fids.release(newFid);
      throw e;
    }
  }

  /** Opens the fid's object with `mode`; returns its current qid. */
  async open(fid: number, mode: number, lim: Limits): Promise<Tqid> {
    const st = this.state(fid);
    const r = await this.#call(
      st.entry,
      [fid],
      lim,
      st.path,
      this.fenceFor(MsgType.Topen, st.path),
      (c, o) => c.open({ fid, mode }, o),
      (late) => this.#abandon(fid, late),
    );
    st.qid = r.qid;
    return r.qid;
  }

  /**
   * Creates `name` in the fid's directory; the fid then refers to the new object, opened with
   * `mode`. With OWATCH it blocks while the name exists. Errors: Exists, NotDir, Inval, ….
   * A late successful OWATCH create after Timeout/Aborted removes the file it made.
   */
  async create(fid: number, name: string, perm: number, mode: number, lim: Limits): Promise<Tqid> {
    const st = this.state(fid);
    const r = await this.#call(
      st.entry,
      [fid],
      lim,
      [...st.path, name],
      this.fenceFor(MsgType.Tcreate, st.path),
      (c, o) => c.create({ fid, name, perm, mode }, o),
      (late) => {
        st.abandoned = true;
        late.then(
          async () => {
            if ((mode & Mode.OWATCH) !== 0) await this.#quietly(this.remove(fid, {}), "remove");
            await this.#drop(fid, true);
          },
          () => this.#drop(fid, true),
        );
      },
    );
    st.path = [...st.path, name];
    st.qid = r.qid;
    return r.qid;
  }

  /**
   * TreadV at `offset` for `count` bytes; `version` NoV does not check. Fenced (unless
   * `unfenced`) by the fence table. Errors: Version, Stale, Badcount, Closed (pipe), ….
   */
  async readV(
    fid: number,
    offset: bigint,
    count: number,
    version: number,
    lim: Limits,
    unfenced = false,
  ): Promise<Uint8Array> {
    const st = this.state(fid);
    const r = await this.#call(
      st.entry,
      [fid],
      lim,
      st.path,
      unfenced ? undefined : this.fenceFor(MsgType.TreadV, st.path),
      (c, o) => c.readV({ fid, offset, count, version }, o),
    );
    return r.data;
  }

  /** TwriteV of `data` at `offset` (NoOffset appends); returns the count written. */
  async writeV(
    fid: number,
    offset: bigint,
    data: Uint8Array,
    version: number,
    lim: Limits,
  ): Promise<number> {
    const st = this.state(fid);
    const r = await this.#call(
      st.entry,
      [fid],
      lim,
      st.path,
      this.fenceFor(MsgType.TwriteV, st.path),
      (c, o) => c.writeV({ fid, offset, version, data }, o),
    );
    return r.count;
  }

  /** Twatch: resolves when the fid's path changes; Version at once if it moved since the walk. */
  async watch(fid: number, lim: Limits): Promise<void> {
    const st = this.state(fid);
    await this.#call(
      st.entry,
      [fid],
      lim,
      st.path,
      this.fenceFor(MsgType.Twatch, st.path),
      (c, o) => c.watch({ fid }, o),
    );
  }

  /**
   * Tclunk; the fid number is reused once the server has answered. A fid whose request was
   * abandoned is clunked by that request's cleanup instead, so this is then a no-op.
   */
  async clunk(fid: number, lim: Limits = {}): Promise<void> {
    const st = this.state(fid);
    if (st.abandoned || st.clunking) return;
    st.clunking = true;
    let abandoned = false;
    try {
      await this.#call(
        st.entry,
        [fid],
        lim,
        st.path,
        this.fenceFor(MsgType.Tclunk, st.path),
        (c, o) => c.clunk({ fid }, o),
        (late) => {
          abandoned = true;
          late.finally(() => this.fids.release(fid)).catch(() => undefined);
        },
      );
    } finally {
      if (!abandoned) this.fids.release(fid);
    }
  }

  /** Tremove of the fid's object; the fid stays valid (clunk it afterwards). */
  async remove(fid: number, lim: Limits): Promise<void> {
    const st = this.state(fid);
    await this.#call(
      st.entry,
      [fid],
      lim,
      st.path,
      this.fenceFor(MsgType.Tremove, st.path),
      (c, o) => c.remove({ fid }, o),
    );
  }

  /** Tstat of the fid's object. */
  async stat(fid: number, lim: Limits): Promise<Stat> {
    const st = this.state(fid);
    const r = await this.#call(
      st.entry,
      [fid],
      lim,
      st.path,
      this.fenceFor(MsgType.Tstat, st.path),
      (c, o) => c.stat({ fid }, o),
    );
    return r.stat;
  }

  /** Twstat: only `stat.name` is honoured (rename within the directory). */
  async wstat(fid: number, stat: Stat, lim: Limits): Promise<void> {
    const st = this.state(fid);
    await this.#call(
      st.entry,
      [fid],
      lim,
      st.path,
      this.fenceFor(MsgType.Twstat, st.path),
      (c, o) => c.wstat({ fid, stat }, o),
    );
  }

  /** Trenameat between two directory fids of one session (else Inval). */
  async renameat(
    oldFid: number,
    oldName: string,
    newFid: number,
    newName: string,
    lim: Limits,
  ): Promise<void> {
    const from = this.state(oldFid);
    const to = this.state(newFid);
    if (from.entry !== to.entry) {
      throw new SigmaError(ErrCode.Inval, newName, `invalid argument: rename across servers`);
    }
    await this.#call(
      from.entry,
      [oldFid, newFid],
      lim,
      [...from.path, oldName],
      this.fenceFor(MsgType.Trenameat, [...from.path, oldName]),
      (c, o) => c.renameat({ oldFid, oldName, newFid, newName }, o),
    );
  }

  /** Tremovefile: walk `wnames` from the fid and remove the result, creating no fid. */
  async removefile(
    fid: number,
    wnames: readonly string[],
    resolve: boolean,
    lim: Limits,
  ): Promise<void> {
    const st = this.state(fid);
    const path = [...st.path, ...wnames];
    await this.#call(st.entry, [fid], lim, path, this.fenceFor(MsgType.Tremovefile, path), (c, o) =>
      c.removefile({ fid, wnames: [...wnames], resolve }, o),
    );
  }

  /** Tgetfile: walk, open with `mode`, read `[offset, offset + count)`, close. */
  async getfile(
    fid: number,
    wnames: readonly string[],
    resolve: boolean,
    mode: number,
    offset: bigint,
    count: number,
    lim: Limits,
  ): Promise<Uint8Array> {
    const st = this.state(fid);
    const path = [...st.path, ...wnames];
    const r = await this.#call(
      st.entry,
      [fid],
      lim,
      path,
      this.fenceFor(MsgType.Tgetfile, path),
      (c, o) => c.getfile({ fid, mode, offset, count, wnames: [...wnames], resolve }, o),
    );
    return r.data;
  }

  /**
   * Tputfile: walk to the parent of the last of `wnames`, create or open it, write `data` at
   * `offset`, close. A late successful OWATCH put after Timeout/Aborted removes the file.
   */
  async putfile(
    fid: number,
    wnames: readonly string[],
    resolve: boolean,
    mode: number,
    perm: number,
    offset: bigint,
    data: Uint8Array,
    lim: Limits,
  ): Promise<number> {
    const st = this.state(fid);
    const path = [...st.path, ...wnames];
    const r = await this.#call(
      st.entry,
      [fid],
      lim,
      path,
      this.fenceFor(MsgType.Tputfile, path),
      (c, o) => c.putfile({ fid, mode, perm, offset, wnames: [...wnames], resolve, data }, o),
      (late) => {
        if ((mode & Mode.OWATCH) === 0 || wnames.length === 0) return;
        late.then(
          () => this.#quietly(this.removefile(fid, wnames, false, {}), "remove"),
          () => undefined,
        );
      },
    );
    return r.count;
  }

  /**
   * Twriteread: an RPC over a device file; unordered relative to the session's other requests.
   * Not async: it is every RPC's hot path, and an async wrapper costs a promise and a turn.
   */
  writeread(fid: number, data: Uint8Array, lim: Limits): Promise<Uint8Array> {
    let st: FidState;
    try {
      st = this.state(fid);
    } catch (e) {
      return Promise.reject(e);
    }
    return this.#call(
      st.entry,
      [fid],
      lim,
      st.path,
      this.fenceFor(MsgType.Twriteread, st.path),
      (c, o) => c.writeread({ fid, data }, o),
    ).then(rreadData);
  }

  /** The fence a request of `type` on `path` carries: none unless the registry marks it fenced. */
  fenceFor(type: number, path: readonly string[]): Tfence | undefined {
    return messageByType.get(type)?.fenced === true ? this.fences.lookup(path) : undefined;
  }

  // Every request goes through here: the fids it names stay allocated until the session has
  // settled it (not merely until the caller gave up), and the deadline is applied locally. Not
  // async, to spare the hot path a promise and a turn; it still never throws, only rejects.
  #call<T>(
    entry: SessionEntry,
    fids: readonly number[],
    lim: Limits,
    what: What,
    fence: Tfence | undefined,
    run: (c: SigmapClient, opts: CallOptions) => Promise<T>,
    onAbandon?: (late: Promise<T>) => void,
  ): Promise<T> {
    try {
      checkLimits(lim, what);
      entry.checkOpen();
    } catch (e) {
      return Promise.reject(e);
    }
    for (const f of fids) this.fids.begin(f);
    let p: Promise<T>;
    try {
      p = run(entry.client, fence === undefined ? UNFENCED : { fence });
    } catch (e) {
      this.#endAll(fids);
      return Promise.reject(e);
    }
    if (!hasLimits(lim)) {
      // Nothing to give up on: the caller waits for the reply, so the fids end with it.
      return p.then(
        (v) => {
          this.#endAll(fids);
          return v;
        },
        (e: unknown) => {
          this.#endAll(fids);
          throw e;
        },
      );
    }
    p.then(
      () => this.#endAll(fids),
      () => this.#endAll(fids),
    );
    return within(p, lim, what, onAbandon);
  }

  #endAll(fids: readonly number[]): void {
    for (const f of fids) this.fids.end(f);
  }

  // An abandoned open: whatever its outcome, the fid is ours to clunk once it settles.
  #abandon<T>(fid: number, late: Promise<T>): void {
    const st = this.fids.get(fid);
    if (st === undefined) return;
    st.abandoned = true;
    late.then(
      () => this.#drop(fid, true),
      () => this.#drop(fid, true),
    );
  }

  async #drop(fid: number, force = false): Promise<void> {
    const st = this.fids.get(fid);
    if (st === undefined) return;
    if (force) st.abandoned = false;
    if (st.entry.closedEvent !== undefined) return;
    await this.#quietly(this.clunk(fid), "clunk");
  }

  async #quietly(p: Promise<unknown>, what: string): Promise<void> {
    try {
      await p;
    } catch (e) {
      log("cleanup %s failed: %O", what, e);
    }
  }
}

function newState(entry: SessionEntry, path: string[], qid: Tqid): FidState {
  return { entry, path, qid, abandoned: false, clunking: false };
}

function rreadData(r: Rread): Uint8Array {
  return r.data;
}
