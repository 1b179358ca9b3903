/**
 * The one owner/others bit test (docs/security.md, "Permission checks in protsrv"), on its own so
 * that both access.ts and the fence table use it: access.ts depends on the server state, which
 * holds the fence table, so the table cannot import access.ts.
 */
import type { Principal } from "../auth/index.js";

export const MAY_READ = 4;
export const MAY_WRITE = 2;
export const MAY_SEARCH = 1;

/** The rwx bits `p` has on an object owned by `owner` with `perm`: owner bits or others bits. */
export function bitsFor(p: Principal, owner: string, perm: number): number {
  return p.user === owner ? (perm >>> 6) & 7 : perm & 7;
}
