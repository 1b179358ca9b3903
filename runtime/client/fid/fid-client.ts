/**
 * fidclnt (spec 6.3): one method per fid operation, each a `request` with its descriptor
 * (fid-request.ts owns the fence rule, fid lifetimes and cleanup after an abandoned call).
 */
import type { Transport } from "../path/addr-tls.js";
import * as d from "../../../generated/sigmap/registry.js";
import { ErrCode, Mode, NoFid, type Stat, type Tqid } from "../../../generated/sigmap/types.js";
import { SigmaError } from "../../errors/index.js";
import { NO_DATA } from "../../contract/index.js";
import { checkLimits, hasLimits, type Limits, within } from "../call-limits.js";
import { type FidState, FidRequests, rreadData } from "./fid-request.js";
import { reopenMode } from "./fid-revive.js";

export { DEFAULT_MAX_FRAME, type FidState, type RequestExtras } from "./fid-request.js";

const NULL_QID: Tqid = { type: 0, version: 0, path: 0n };

/**
 * fidclnt: fids, sessions, fences and one method per request. Every method fails with the
 * server's error, Unknownfid for a fid it does not know, SessClosed on a closed session, and
 * Timeout or Aborted when the call's limits pass.
 */
export class FidClient extends FidRequests {
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
    transport?: Transport,
  ): Promise<number> {
    checkLimits(lim, "attach");
    const entry = await within(this.pool.get(addrs, transport), lim, "attach");
    const st = this.alloc(entry, [...path], NULL_QID);
    const fid = st.fid;
    const body = { fid, afid: NoFid, uname, aname: tree, credentials: NO_DATA };
    const r = await this.newFid(st, (onAbandon) =>
      this.request(d.TattachDesc, st, "attach", body, lim, { onAbandon }),
    );
    st.qid = r.qid;
    st.origin = { uname, tree, wnames: [] };
    return fid;
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
    const st = this.alloc(from.entry, [...from.path], from.qid);
    const body = { fid, newFid: st.fid, wnames: [...wnames] };
    const r = await this.newFid(st, (onAbandon) =>
      this.request(d.TwalkDesc, from, [...from.path, ...wnames], body, lim, {
        also: st,
        onAbandon,
      }),
    );
    st.path = [...from.path, ...wnames.slice(0, r.qids.length)];
    st.qid = r.qids[r.qids.length - 1] ?? from.qid;
    if (from.origin !== undefined) {
      const walked = [...from.origin.wnames, ...wnames.slice(0, r.qids.length)];
      st.origin = { uname: from.origin.uname, tree: from.origin.tree, wnames: walked };
    }
    return { fid: st.fid, qids: r.qids };
  }

  /** Opens the fid's object with `mode`; returns its current qid. */
  async open(fid: number, mode: number, lim: Limits): Promise<Tqid> {
    const st = this.state(fid);
    // Only a call with limits can be given up on (request() hands onAbandon on only then): the
    // common call makes no cleanup closure (which tsx would also name, a defineProperty a call).
    const onAbandon = !hasLimits(lim)
      ? undefined
      : (late: Promise<unknown>): void => this.abandon(st, late);
    const r = await this.request(d.TopenDesc, st, st.path, { fid, mode }, lim, { onAbandon });
    st.qid = r.qid;
    if (st.origin !== undefined) st.origin = { ...st.origin, mode: reopenMode(mode) };
    return r.qid;
  }

  /**
   * Creates `name` in the fid's directory; the fid then refers to the new object, opened with
   * `mode`. With OWATCH it blocks while the name exists. Errors: Exists, NotDir, Inval, ….
   * A late successful OWATCH create after Timeout/Aborted removes the file it made.
   */
  async create(fid: number, name: string, perm: number, mode: number, lim: Limits): Promise<Tqid> {
    const st = this.state(fid);
    const onAbandon = !hasLimits(lim)
      ? undefined
      : (late: Promise<unknown>): void => {
          st.abandoned = true;
          late.then(
            async () => {
              if ((mode & Mode.OWATCH) !== 0) await this.quietly(this.remove(fid, {}), "remove");
              await this.drop(fid, true);
            },
            () => this.drop(fid, true),
          );
        };
    const body = { fid, name, perm, mode };
    const r = await this.request(d.TcreateDesc, st, [...st.path, name], body, lim, { onAbandon });
    st.path = [...st.path, name];
    st.qid = r.qid;
    if (st.origin !== undefined) {
      const wnames = [...st.origin.wnames, name];
      st.origin = { ...st.origin, wnames, mode: reopenMode(mode) };
    }
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
    const body = { fid, offset, count, version };
    return (await this.request(d.TreadVDesc, st, st.path, body, lim, { unfenced })).data;
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
    const body = { fid, offset, version, data };
    return (await this.request(d.TwriteVDesc, st, st.path, body, lim)).count;
  }

  /** Twatch: resolves when the fid's path changes; Version at once if it moved since the walk. */
  async watch(fid: number, lim: Limits): Promise<void> {
    const st = this.state(fid);
    await this.request(d.TwatchDesc, st, st.path, { fid }, lim);
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
    const onAbandon = !hasLimits(lim)
      ? undefined
      : (late: Promise<unknown>): void => {
          abandoned = true;
          late.finally(() => this.fids.release(fid)).catch(() => undefined);
        };
    try {
      await this.request(d.TclunkDesc, st, st.path, { fid }, lim, { onAbandon });
    } finally {
      if (!abandoned) this.fids.release(fid);
    }
  }

  /** Tremove of the fid's object; the fid stays valid (clunk it afterwards). */
  async remove(fid: number, lim: Limits): Promise<void> {
    const st = this.state(fid);
    await this.request(d.TremoveDesc, st, st.path, { fid }, lim);
  }

  /** Tstat of the fid's object. */
  async stat(fid: number, lim: Limits): Promise<Stat> {
    const st = this.state(fid);
    return (await this.request(d.TstatDesc, st, st.path, { fid }, lim)).stat;
  }

  /** Twstat: only `stat.name` is honoured (rename within the directory). */
  async wstat(fid: number, stat: Stat, lim: Limits): Promise<void> {
    const st = this.state(fid);
    await this.request(d.TwstatDesc, st, st.path, { fid, stat }, lim);
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
    const body = { oldFid, oldName, newFid, newName };
    await this.request(d.TrenameatDesc, from, [...from.path, oldName], body, lim, { also: to });
  }

  /** Tremovefile: walk `wnames` from the fid and remove the result, creating no fid. */
  async removefile(
    fid: number,
    wnames: readonly string[],
    resolve: boolean,
    lim: Limits,
  ): Promise<void> {
    const st = this.state(fid);
    const body = { fid, wnames: [...wnames], resolve };
    await this.request(d.TremovefileDesc, st, [...st.path, ...wnames], body, lim);
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
    const body = { fid, mode, offset, count, wnames: [...wnames], resolve };
    return (await this.request(d.TgetfileDesc, st, [...st.path, ...wnames], body, lim)).data;
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
    const onAbandon = !hasLimits(lim)
      ? undefined
      : (late: Promise<unknown>): void => {
          if ((mode & Mode.OWATCH) === 0 || wnames.length === 0) return;
          late.then(
            () => this.quietly(this.removefile(fid, wnames, false, {}), "remove"),
            () => undefined,
          );
        };
    const body = { fid, mode, perm, offset, wnames: [...wnames], resolve, data };
    const path = [...st.path, ...wnames];
    return (await this.request(d.TputfileDesc, st, path, body, lim, { onAbandon })).count;
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
    return this.request(d.TwritereadDesc, st, st.path, { fid, data }, lim).then(rreadData);
  }
}
