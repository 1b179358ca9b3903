/**
 * Who may spawn (docs/security.md, "procd in phase 2"). procd asks its authorizer before it does
 * anything for a spawn. The principal is the calling session's, proven at its hello; it is null
 * only on a procd started without keys (open mode).
 */
import type { ProcSpec } from "../../generated/services/procd/types.js";
import { ErrCode } from "../../generated/sigmap/types.js";
import type { Principal } from "../../runtime/auth/index.js";
import { SigmaError } from "../../runtime/errors/index.js";

/** The caller of a Procd RPC. */
export interface SpawnCaller {
  /** The proven principal of the calling session; null on an open procd. */
  readonly principal: Principal | null;
  readonly session: bigint;
}

/** Throws (a SigmaError) to refuse the spawn. */
export type SpawnAuthorizer = (caller: SpawnCaller, spec: ProcSpec) => void | Promise<void>;

/** Anyone who reaches procd may spawn what its bin directory holds (open mode's policy). */
export const allowEveryone: SpawnAuthorizer = () => undefined;

/**
 * The default: open mode (no principal) as allowEveryone; with keys, a `user` or `admin` of
 * procd's realm (the hello checked the realm), never `readonly`.
 */
export const allowUsers: SpawnAuthorizer = (caller) => {
  const p = caller.principal;
  if (p === null || p.role === "user" || p.role === "admin") return;
  throw new SigmaError(
    ErrCode.Unauthorized,
    "spawn",
    `unauthorized: spawn: ${p.user} is ${p.role}; spawning needs role user or admin`,
  );
};
