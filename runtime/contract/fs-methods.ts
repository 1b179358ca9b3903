/**
 * The contract between generated FsLib methods and FsLib. A schema request annotated
 * `@fslib(path|fid|none)` gets a method in the generated `<Protocol>FsLibMethods` class, which
 * extends FsMethods and calls one of its three hooks with the message's descriptor; FsLib's core
 * (runtime/client/fslib/core.ts) extends that class and implements the hooks, so the method lands
 * on FsLib without a hand-written line. Generated code may import only this room and errors, hence
 * the contract lives here rather than in runtime/client.
 */
import type { RequestDesc } from "./descriptors.js";

/** A call's limits as FsLib takes them (runtime/client's CallOpts is the same shape). */
export interface CallLimits {
  /** Fires: the call fails with Aborted. */
  signal?: AbortSignal;
  /** Passes: the call fails with Timeout. */
  timeoutMs?: number;
}

/** How a message's arguments map onto FsLib: the object it names, if any. */
export type FsMapping = "path" | "fid" | "none";

/** The hooks generated FsLib methods call; FsLib implements them. */
export abstract class FsMethods {
  /**
   * `@fslib(path)`: resolves `path` to a fid as FsLib's own calls do (a trailing `/` follows a
   * final symlink or mount), sends the request `body(fid)` builds, and clunks the fid.
   */
  protected abstract requestAtPath<Req, Rep>(
    desc: RequestDesc<Req, Rep>,
    path: string,
    body: (fid: number) => Req,
    opts?: CallLimits,
  ): Promise<Rep>;

  /** `@fslib(fid)`: sends `body` on the session of the fid it names (from walkPath or attach). */
  protected abstract requestOnFid<Req, Rep>(
    desc: RequestDesc<Req, Rep>,
    fid: number,
    body: Req,
    opts?: CallLimits,
  ): Promise<Rep>;

  /** `@fslib(none)`: a message naming no object goes to named (the session of the mount `name`). */
  protected abstract requestNamed<Req, Rep>(
    desc: RequestDesc<Req, Rep>,
    body: Req,
    opts?: CallLimits,
  ): Promise<Rep>;
}
