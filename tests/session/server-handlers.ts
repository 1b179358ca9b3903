/**
 * A tiny sigmap server for session-layer tests: writeV appends to a per-session log, watch parks
 * until fired, writeread echoes; tests open gates and await "started" marks instead of sleeping.
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
  type Tfence,
  type Twatch,
  type Twriteread,
  type TwriteV,
} from "../../generated/sigmap/types.js";
import { SigmaError } from "../../runtime/errors/index.js";
import type { RequestContext } from "../../runtime/session/server/server-types.js";

export interface Deferred<T> {
  promise: Promise<T>;
  resolve(v: T): void;
}

export function deferred<T = void>(): Deferred<T> {
  let resolve!: (v: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

/** Waits for `p`, failing with the signal's reason (SessClosed) once the session closes. */
function abortable<T>(p: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(signal.reason);
    signal.addEventListener("abort", onAbort, { once: true });
    p.then(resolve, reject).finally(() => signal.removeEventListener("abort", onAbort));
  });
}

const text = (data: Uint8Array): string => Buffer.from(data).toString("utf8");

function notSupported(name: string): Promise<never> {
  return Promise.reject(new SigmaError(ErrCode.NotSupported, name));
}

export class TestHandlers implements SigmapHandlers<RequestContext> {
  /** Per session: the texts writeV appended, in the order the handler ran. */
  readonly logs = new Map<bigint, string[]>();
  /** Per session: how many times writeread ran. */
  readonly writereads = new Map<bigint, number>();
  /** The fence of the last request seen. */
  lastFence: Tfence | null = null;
  /** writeV or writeread of this text waits until the gate is opened. */
  private readonly gates = new Map<string, Deferred<void>>();
  private readonly marks = new Map<string, Deferred<void>>();

  /** Makes writeV/writeread of `t` wait until the returned function is called. */
  gate(t: string): () => void {
    const d = deferred();
    this.gates.set(t, d);
    return () => d.resolve();
  }

  /** Resolves once `name` happened: `start:<text>`, `done:<text>`, `parked:<fid>`, `aborted:<fid>`. */
  when(name: string): Promise<void> {
    return this.mark(name).promise;
  }

  /** Fires the watch on `fid`. */
  fire(fid: number): void {
    this.mark(`fire:${fid}`).resolve();
  }

  log(session: bigint): string[] {
    return this.logs.get(session) ?? [];
  }

  async writeV(req: TwriteV, ctx: RequestContext): Promise<Rwrite> {
    this.lastFence = ctx.fence;
    const t = text(req.data);
    this.mark(`start:${t}`).resolve();
    const gate = this.gates.get(t);
    if (gate !== undefined) await abortable(gate.promise, ctx.signal);
    const log = this.logs.get(ctx.session) ?? [];
    this.logs.set(ctx.session, log);
    log.push(t);
    this.mark(`done:${t}`).resolve();
    return { count: log.length };
  }

  async watch(req: Twatch, ctx: RequestContext): Promise<Rwatch> {
    ctx.park();
    this.mark(`parked:${req.fid}`).resolve();
    try {
      await abortable(this.mark(`fire:${req.fid}`).promise, ctx.signal);
    } catch (e) {
      this.mark(`aborted:${req.fid}`).resolve();
      throw e;
    }
    return {};
  }

  async writeread(req: Twriteread, ctx: RequestContext): Promise<Rread> {
    const t = text(req.data);
    this.writereads.set(ctx.session, (this.writereads.get(ctx.session) ?? 0) + 1);
    this.mark(`start:${t}`).resolve();
    const gate = this.gates.get(t);
    if (gate !== undefined) await abortable(gate.promise, ctx.signal);
    return { data: req.data };
  }

  async clunk(): Promise<Rclunk> {
    return {};
  }

  async detach(): Promise<Rdetach> {
    return {};
  }

  auth(): Promise<Rauth> {
    return notSupported("auth");
  }
  attach(): Promise<Rattach> {
    return notSupported("attach");
  }
  walk(): Promise<Rwalk> {
    return notSupported("walk");
  }
  remove(): Promise<Rremove> {
    return notSupported("remove");
  }
  stat(): Promise<Rstat> {
    return notSupported("stat");
  }
  open(): Promise<Ropen> {
    return notSupported("open");
  }
  create(): Promise<Rcreate> {
    return notSupported("create");
  }
  readV(): Promise<Rread> {
    return notSupported("readV");
  }
  wstat(): Promise<Rwstat> {
    return notSupported("wstat");
  }
  renameat(): Promise<Rrenameat> {
    return notSupported("renameat");
  }
  removefile(): Promise<Rremove> {
    return notSupported("removefile");
  }
  getfile(): Promise<Rread> {
    return notSupported("getfile");
  }
  putfile(): Promise<Rwrite> {
    return notSupported("putfile");
  }

  private mark(name: string): Deferred<void> {
    let d = this.marks.get(name);
    if (d === undefined) {
      d = deferred();
      this.marks.set(name, d);
    }
    return d;
  }
}
