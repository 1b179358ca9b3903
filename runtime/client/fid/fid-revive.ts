/**
 * Fids again after a failover (docs/named-etcd.md, "Sessions across failover"). A session of
 * named on etcd survives its leader's death: the next leader takes back the session, its
 * ephemeral files and its leases, but not its fids, which lived in the dead leader's memory. It
 * answers a request on such a fid with Unknownfid; the library then makes the fid again from how
 * it was made (attach, the names walked from it, the open mode) under the same number, and sends
 * the request once more, so the application sees only latency.
 *
 * Sending a request again is safe when it changes nothing (walks and reads), or when no resume
 * happened while it was in flight: then only the server that answered Unknownfid ever saw it, and
 * that server did not run it. A mutation in flight across the failover may have been applied by
 * the old leader; it fails instead (Unknownfid, with a message saying so), as before.
 */
import * as d from "../../../generated/sigmap/registry.js";
import { ErrCode, Mode, NoFid, type Tqid } from "../../../generated/sigmap/types.js";
import { SigmaError, isErr } from "../../errors/index.js";
import { NO_DATA } from "../../contract/index.js";
import type { ProtocolClient } from "../../wire/index.js";

/** How a fid was made on its server. */
export interface FidOrigin {
  readonly uname: string;
  readonly tree: string;
  /** The names walked from the attach (server side). */
  readonly wnames: readonly string[];
  /** The open mode, once opened; without what acts only once (OTRUNC, OEXCL, OWATCH). */
  readonly mode?: number;
}

/** What the revival needs of a fid's state (FidState fits). */
export interface RevivableFid {
  readonly fid: number;
  readonly qid: Tqid;
  readonly entry: {
    readonly session: { readonly resumes?: number };
    readonly client: Pick<ProtocolClient, "call">;
  };
  origin?: FidOrigin;
  /** The session's resume count when the fid was last made again. */
  revivedAt?: number;
  reviving?: Promise<void>;
}

/** Requests that change nothing, sent again whenever their fid was lost. */
const REPEATABLE = new Set(["Twalk", "Tstat", "TreadV", "Tgetfile", "Twatch", "Tclunk"]);

/** The mode a fid is opened with again: what acts once (truncate, exclusive, watch) dropped. */
export function reopenMode(mode: number): number {
  return mode & ~(Mode.OTRUNC | Mode.OEXCL | Mode.OWATCH);
}

/**
 * The fid of `fids` that a failed request's Unknownfid names, if it can be made again and the
 * request sent again; undefined to let the error through.
 */
export function revivable<F extends RevivableFid>(
  e: unknown,
  fids: readonly F[],
  name: string,
  body: unknown,
  resumesAtIssue: number,
): F | undefined {
  if (!isErr(e, ErrCode.Unknownfid)) return undefined;
  const f = fids.find((x) => String(x.fid) === e.obj);
  if (f?.origin === undefined) return undefined;
  const resumes = f.entry.session.resumes ?? 0;
  // A server that never failed over lost no fid: a real Unknownfid.
  if (resumes === 0) return undefined;
  if (repeatable(name, body) || resumesAtIssue === resumes) return f;
  throw new SigmaError(
    ErrCode.Unknownfid,
    e.obj,
    `unknown fid ${e.obj}: its server failed over while ${name} was in flight; the old leader ` +
      `may have applied it, so it is not sent again`,
  );
}

/** Makes the fid again on its session's current server (once per resume, shared by callers). */
export function revive(f: RevivableFid): Promise<void> {
  const resumes = f.entry.session.resumes ?? 0;
  if (f.revivedAt === resumes) return Promise.resolve();
  f.reviving ??= remake(f).then(
    () => {
      f.revivedAt = resumes;
      f.reviving = undefined;
    },
    (e: unknown) => {
      f.reviving = undefined;
      throw e;
    },
  );
  return f.reviving;
}

async function remake(f: RevivableFid): Promise<void> {
  const o = f.origin!;
  const client = f.entry.client;
  const call: ProtocolClient["call"] = (desc, req) => client.call(desc, req);
  const fid = f.fid;
  const body = { fid, afid: NoFid, uname: o.uname, aname: o.tree, credentials: NO_DATA };
  const r = await call(d.TattachDesc, body);
  let qid = r.qid;
  if (o.wnames.length > 0) {
    const w = await call(d.TwalkDesc, { fid, newFid: fid, wnames: [...o.wnames] });
    const last = w.qids[w.qids.length - 1];
    if (w.qids.length < o.wnames.length || last === undefined) {
      throw new SigmaError(ErrCode.Notfound, o.wnames.join("/"));
    }
    qid = last;
  }
  // The same name may now be another object: the fid named the one that was there.
  if (qid.path !== f.qid.path) {
    await call(d.TclunkDesc, { fid }).catch(() => undefined);
    throw new SigmaError(
      ErrCode.Notfound,
      o.wnames.join("/"),
      `not found: ${o.wnames.join("/")}: the object this fid named is gone (another took its name)`,
    );
  }
  if (o.mode !== undefined) await call(d.TopenDesc, { fid, mode: o.mode });
}

function repeatable(name: string, body: unknown): boolean {
  if (REPEATABLE.has(name)) return true;
  // An open again is harmless unless it truncates.
  if (name === "Topen") return ((body as { mode: number }).mode & Mode.OTRUNC) === 0;
  return false;
}
