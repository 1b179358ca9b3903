/**
 * Who may spawn: the seam for issue 15 phase 2. procd asks its authorizer before it does anything
 * for a spawn; until sessions carry a proven principal (phase 2, docs/security.md) the principal
 * is always null and the default authorizer lets everyone spawn.
 */
import type { ProcSpec } from "../../generated/services/procd/types.js";
import type { Principal } from "../../runtime/auth/index.js";

/** The caller of a Procd RPC. */
export interface SpawnCaller {
  /** The proven principal of the calling session; null until phase 2. */
  readonly principal: Principal | null;
  readonly session: bigint;
}

/** Throws (a SigmaError) to refuse the spawn. */
export type SpawnAuthorizer = (caller: SpawnCaller, spec: ProcSpec) => void | Promise<void>;

/** Phase 1's policy: anyone who reaches procd may spawn what its bin directory holds. */
export const allowEveryone: SpawnAuthorizer = () => undefined;
