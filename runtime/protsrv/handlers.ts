/**
 * The sigmap handlers of protsrv. Every request goes through one wrapper that counts it for
 * `.statsd`, checks its fence and holds it in read mode while it runs (spec 4.9; any non-null
 * fence is checked, whatever the message), finds its session's state, and turns anything that is
 * not a SigmaError into Error (logged) so that no handler can take the server down.
 */
import type { SigmapHandlers } from "../../generated/sigmap/server.js";
import {
  ErrCode,
  type Rattach,
  type Rauth,
  type Rclunk,
  type Rcreate,
  type Rdetach,
  type Ropen,
  type Rread,
  type Rremove,
  type Rrenameat,
  type Rstat,
  type Rwalk,
  type Rwatch,
  type Rwrite,
  type Rwstat,
  type Tattach,
  type Tauth,
  type Tclunk,
  type Tcreate,
  type Tdetach,
  type Tgetfile,
  type Topen,
  type Tputfile,
  type TreadV,
  type Tremove,
  type Tremovefile,
  type Trenameat,
  type Tstat,
  type Twalk,
  type Twatch,
  type Twriteread,
  type TwriteV,
  type Twstat,
} from "../../generated/sigmap/types.js";
import { errorText, isSigmaError, SigmaError } from "../errors/index.js";
import type { RequestContext } from "./request-context.js";
import { attach } from "./attach.js";
import { create } from "./create.js";
import { isNullFence } from "./fence-table.js";
import { getfile } from "./getfile.js";
import { readV, writeV } from "./io.js";
import { clunk, open } from "./open.js";
import { putfile } from "./putfile.js";
import { remove, removefile } from "./remove.js";
import { renameat, wstat } from "./rename.js";
import { requestWait } from "./request-wait.js";
import type { Call, ServerState } from "./server-state.js";
import { stat } from "./stat.js";
import type { CounterName } from "./stats.js";
import { walkRequest } from "./walk-request.js";
import { watch } from "./watch.js";
import { writeread } from "./writeread.js";

/**
 * protsrv's handler for every request. A class, so that `sigma gen` can scaffold a stub for a
 * message added to the schema (ts-morph finds classes that implement a generated interface).
 * Handlers that should count in `.statsd` and honour fences go through `run`.
 */
export class ProtHandlers implements SigmapHandlers<RequestContext> {
  readonly #server: ServerState;

  constructor(server: ServerState) {
    this.#server = server;
  }

  auth(req: Tauth, ctx: RequestContext): Promise<Rauth> {
    return this.run("Nauth", "auth", req, ctx, async () => {
      throw new SigmaError(ErrCode.NotSupported, "auth");
    });
  }

  attach(req: Tattach, ctx: RequestContext): Promise<Rattach> {
    return this.run("Nattach", "attach", req, ctx, attach);
  }

  walk(req: Twalk, ctx: RequestContext): Promise<Rwalk> {
    return this.run("Nwalk", "walk", req, ctx, walkRequest);
  }

  clunk(req: Tclunk, ctx: RequestContext): Promise<Rclunk> {
    return this.run("Nclunk", "clunk", req, ctx, clunk);
  }

  remove(req: Tremove, ctx: RequestContext): Promise<Rremove> {
    return this.run("Nremove", "remove", req, ctx, remove);
  }

  stat(req: Tstat, ctx: RequestContext): Promise<Rstat> {
    return this.run("Nstat", "stat", req, ctx, stat);
  }

  open(req: Topen, ctx: RequestContext): Promise<Ropen> {
    return this.run("Nopen", "open", req, ctx, open);
  }

  create(req: Tcreate, ctx: RequestContext): Promise<Rcreate> {
    return this.run("Ncreate", "create", req, ctx, create);
  }

  readV(req: TreadV, ctx: RequestContext): Promise<Rread> {
    return this.run("Nread", "readV", req, ctx, readV);
  }

  writeV(req: TwriteV, ctx: RequestContext): Promise<Rwrite> {
    return this.run("Nwrite", "writeV", req, ctx, writeV);
  }

  watch(req: Twatch, ctx: RequestContext): Promise<Rwatch> {
    return this.run("Nwatch", "watch", req, ctx, watch);
  }

  wstat(req: Twstat, ctx: RequestContext): Promise<Rwstat> {
    return this.run("Nwstat", "wstat", req, ctx, wstat);
  }

  renameat(req: Trenameat, ctx: RequestContext): Promise<Rrenameat> {
    return this.run("Nrenameat", "renameat", req, ctx, renameat);
  }

  removefile(req: Tremovefile, ctx: RequestContext): Promise<Rremove> {
    return this.run("Nremovefile", "removefile", req, ctx, removefile);
  }

  getfile(req: Tgetfile, ctx: RequestContext): Promise<Rread> {
    return this.run("Nget", "getfile", req, ctx, getfile);
  }

  putfile(req: Tputfile, ctx: RequestContext): Promise<Rwrite> {
    return this.run("Nput", "putfile", req, ctx, putfile);
  }

  // The session layer ends the session after this reply and then calls onDetach.
  detach(req: Tdetach, ctx: RequestContext): Promise<Rdetach> {
    return this.run("Ndetach", "detach", req, ctx, async () => ({}));
  }

  writeread(req: Twriteread, ctx: RequestContext): Promise<Rread> {
    return this.run("Nrpc", "writeread", req, ctx, writeread);
  }

  /**
   * Counts the request for `.statsd` (`counter`, or only Ntotal when null), holds its fence in
   * read mode while it runs (spec 4.9), finds its session's state, and turns anything that is not
   * a SigmaError into Error so that no handler can take the server down.
   */
  protected async run<Req, Rep>(
    counter: CounterName | null,
    op: string,
    req: Req,
    ctx: RequestContext,
    fn: (c: Call, req: Req) => Promise<Rep>,
  ): Promise<Rep> {
    const server = this.#server;
    server.stats.begin(counter);
    try {
      // The null fence is not checked (spec 4.9); skipping the call saves a microtask turn.
      const session = server.sessions.get(ctx.session);
      const release = isNullFence(ctx.fence)
        ? undefined
        : await server.fences.enter(ctx.fence, session, ctx.principal);
      try {
        const call = (): Promise<Rep> =>
          fn({ server, session, ctx, wait: requestWait(ctx, session) }, req);
        // Held, the fence binds the request's store mutations too (a fence store, named on etcd).
        return await (release === undefined ? call() : server.fences.within(ctx.fence, call));
      } finally {
        release?.();
      }
    } catch (e) {
      if (isSigmaError(e)) throw e;
      server.log("%s: internal error: %s", op, errorText(e));
      throw new SigmaError(ErrCode.Error, op, `error: ${op}: ${errorText(e)}`, { cause: e });
    } finally {
      server.stats.end();
    }
  }
}
