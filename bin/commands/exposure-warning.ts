/**
 * What a server command does about an address other hosts can reach: the rule of
 * runtime/net/exposure.ts (the one every server applies where it starts), checked before the
 * command starts anything, its line prefixed `sigma: ` for stderr.
 */
import { exposure as rule, type Exposure } from "../../runtime/net/exposure.js";

export type { Exposure };

/**
 * For server `what` binding `host`. `secured`: it verifies tokens. Gateways (console, 9p) that
 * verify nothing themselves pass false. `tls`: it serves TLS (`--tls-cert`).
 */
export function exposure(
  what: string,
  host: string,
  secured: boolean,
  insecure: boolean,
  tls = false,
): Exposure {
  const sigmapServer = what === "named" || what === "procd" || what === "memfsd";
  const e = rule({
    what,
    host,
    secured,
    tls,
    insecure,
    ...(sigmapServer ? {} : { needs: "authentication" }),
  });
  if (e === null) return null;
  return "refuse" in e ? { refuse: `sigma: ${e.refuse}` } : { warn: `sigma: ${e.warn}` };
}
