/**
 * Choosing the entry of a union directory that a union element names (spec 6.4 step 4).
 */
import type { Tmount } from "../../../generated/sigmap/types.js";
import { hostOf } from "./dial-order.js";

/** One candidate entry: its name and the mount record it holds. */
export interface UnionCandidate {
  name: string;
  mount: Tmount;
}

/**
 * The first candidate `elem` accepts: `~local` wants the first address's host to be `localIp`
 * (an empty host counts as local); `~any` and every other `~x` take any entry.
 */
export function chooseUnionEntry(
  elem: string,
  candidates: readonly UnionCandidate[],
  localIp: string,
): UnionCandidate | undefined {
  if (elem !== "~local") return candidates[0];
  return candidates.find((c) => {
    const first = c.mount.addr[0];
    if (first === undefined) return false;
    const host = hostOf(first.addr);
    return host === "" || host === localIp;
  });
}
