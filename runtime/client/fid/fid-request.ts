/**
 * The request path of fidclnt (spec 6.3): fid state and one generic `request` every fid
 * operation goes through. The fence rule is the descriptor's (`fenced`), fids stay allocated
 * until the session settles a request, and a request the caller gave up on is cleaned up by its
 * late reply (spec 3.7). The operations themselves are FidClient's (fid-client.ts).
 */
import type { Rread, Tfence, Tqid } from "../../../generated/sigmap/types.js";
import { logger } from "../../log.js";
import type { CallOptions, RequestDesc } from "../../contract/index.js";
import { checkLimits, hasLimits, type Limits, type What, within } from "../call-limits.js";
import { DEFAULT_MAX_FRAME } from "../../defaults.js";
import { FenceTable } from "./fence-table.js";
import { revivable, revive, type FidOrigin } from "./fid-revive.js";
import { FidTable } from "./fid-table.js";
import type { SessionEntry, SessionPool } from "./session-pool.js";

const log = logger("fslib");

/** What the client knows about one of its fids. */
export interface FidState {
  /** The fid's number, fixed when it is allocated. */
  fid: number;
  readonly entry: SessionEntry;
  /** Client-side path: the mount path plus the walked names, union elements kept literally. */
  path: string[];
  /** The qid of the fid's object as last seen (attach, walk, open, create); readV/writeV use it. */
  qid: Tqid;
  /** A request on this fid was given up; its late reply's handler clunks the fid. */
  abandoned: boolean;
  /** Tclunk was sent; nothing else may be. */
  clunking: boolean;
  /** How it was made, so that it can be made again after a failover (fid-revive.ts). */
  origin?: FidOrigin;
  revivedAt?: number;
  reviving?: Promise<void>;
}

/** How one request differs from the plain case (one fid, no cleanup, the descriptor's fence). */
export interface RequestExtras<Rep> {
  /** A second fid the request names (Twalk's new fid, Trenameat's target directory). */
  also?: FidState;
  /** Owns the still-pending reply once the caller's limits passed. */
  onAbandon?: (late: Promise<Rep>) => void;
  /** Send no fence even if the descriptor is fenced (readVU). */
  unfenced?: boolean;
}

/** The largest frame assumed when the session layer does not report the negotiated one. */
export { DEFAULT_MAX_FRAME };

// The options of every unfenced request; shared, as the session layer only reads them.
const UNFENCED: CallOptions = Object.freeze({});

/** Fids, fences and sessions, and the one request every fid operation is. */
export abstract class FidRequests {
  readonly fids = new FidTable<FidState>();
  readonly fences = new FenceTable();
  readonly pool: SessionPool;

  constructor(pool: SessionPool) {
    this.pool = pool;
  }

  /** Tclunk (fid-client.ts); the cleanup of abandoned requests ends with it. */
  abstract clunk(fid: number, lim?: Limits): Promise<void>;

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
   * One request on the fid `st` (and `extras.also`): the fence comes from the descriptor (only
   * `fenced` requests carry the fence table's entry for `path`), the fids stay allocated until the
   * session has settled the request (not merely until the caller gave up), and the deadline is
   * applied locally. `path` also names the request in Timeout and Aborted. Not async, to spare
   * the hot path a promise and a turn; it never throws, only rejects.
   */
  request<Req, Rep>(
    desc: RequestDesc<Req, Rep>,
    st: FidState,
    path: What,
    body: Req,
    lim: Limits,
    extras?: RequestExtras<Rep>,
  ): Promise<Rep> {
    const entry = st.entry;
    try {
      checkLimits(lim, path);
      entry.checkOpen();
    } catch (e) {
      return Promise.reject(e);
    }
    const also = extras?.also;
    const fence =
      desc.fenced === true && extras?.unfenced !== true && typeof path !== "string"
        ? this.fences.lookup(path)
        : undefined;
    this.fids.begin(st.fid);
    if (also !== undefined) this.fids.begin(also.fid);
    const opts = fence === undefined ? UNFENCED : fenceOpts(fence);
    const resumes = entry.session.resumes ?? 0;
    const p = entry.client.call(desc, body, opts);
    // The settle callbacks are written inline, not as one named closure: every call would create
    // it, and under tsx (the benchmarks, the tests) naming it costs a defineProperty per call.
    if (!hasLimits(lim)) {
      // Nothing to give up on: the caller waits for the reply, so the fids end with it.
      return p.then(
        (v) => {
          this.endFids(st, also);
          return v;
        },
        (e: unknown) => this.recover(e, entry, st, also, desc, body, opts, resumes, true),
      );
    }
    const q = p.then(undefined, (e: unknown) =>
      this.recover(e, entry, st, also, desc, body, opts, resumes, false),
    );
    q.then(
      () => this.endFids(st, also),
      () => this.endFids(st, also),
    );
    return within(q, lim, path, extras?.onAbandon);
  }

  // A fid its server lost in a failover is made again and the request sent once more
  // (fid-revive.ts); any other failure is the caller's.
  private recover<Req, Rep>(
    e: unknown,
    entry: SessionEntry,
    st: FidState,
    also: FidState | undefined,
    desc: RequestDesc<Req, Rep>,
    body: Req,
    opts: CallOptions,
    resumes: number,
    endFids: boolean,
  ): Promise<Rep> {
    const f = revivable(e, also === undefined ? [st] : [st, also], desc.name, body, resumes);
    if (f === undefined) {
      if (endFids) this.endFids(st, also);
      return Promise.reject(e);
    }
    const retry = revive(f).then(() => entry.client.call(desc, body, opts));
    if (!endFids) return retry;
    return retry.then(
      (v) => {
        this.endFids(st, also);
        return v;
      },
      (err: unknown) => {
        this.endFids(st, also);
        throw err;
      },
    );
  }

  private endFids(st: FidState, also: FidState | undefined): void {
    this.fids.end(st.fid);
    if (also !== undefined) this.fids.end(also.fid);
  }

  // A fid just allocated for `send`'s request: released if the request fails, and clunked (or
  // released) by the late reply if the caller gave up on it.
  protected async newFid<T>(
    st: FidState,
    send: (onAbandon: (late: Promise<unknown>) => void) => Promise<T>,
  ): Promise<T> {
    let abandoned = false;
    try {
      return await send((late) => {
        abandoned = true;
        late.then(
          () => this.drop(st.fid),
          () => this.fids.release(st.fid),
        );
      });
    } catch (e) {
      if (!abandoned) this.fids.release(st.fid);
      throw e;
    }
  }

  protected alloc(entry: SessionEntry, path: string[], qid: Tqid): FidState {
    const st: FidState = { fid: -1, entry, path, qid, abandoned: false, clunking: false };
    st.fid = this.fids.alloc(st);
    return st;
  }

  // An abandoned open: whatever its outcome, the fid is ours to clunk once it settles.
  protected abandon(st: FidState, late: Promise<unknown>): void {
    if (this.fids.get(st.fid) !== st) return;
    st.abandoned = true;
    late.then(
      () => this.drop(st.fid, true),
      () => this.drop(st.fid, true),
    );
  }

  protected async drop(fid: number, force = false): Promise<void> {
    const st = this.fids.get(fid);
    if (st === undefined) return;
    if (force) st.abandoned = false;
    if (st.entry.closedEvent !== undefined) return;
    await this.quietly(this.clunk(fid), "clunk");
  }

  protected async quietly(p: Promise<unknown>, what: string): Promise<void> {
    try {
      await p;
    } catch (e) {
      log("cleanup %s failed: %O", what, e);
    }
  }
}

function fenceOpts(fence: Tfence): CallOptions {
  return { fence };
}

/** The bytes of an Rread. */
export function rreadData(r: Rread): Uint8Array {
  return r.data;
}
