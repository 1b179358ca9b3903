/**
 * What a server command does about an address other hosts can reach (docs/security.md,
 * "Defaults"): loopback, or a server checking tokens (`--auth-keys`), serves; otherwise it
 * refuses to start unless `--insecure` is given, and then warns. One line either way, on stderr.
 */
import { isIP } from "node:net";

export type Exposure = { refuse: string } | { warn: string } | null;

/**
 * For server `what` binding `host`. `secured`: it verifies tokens. Gateways (console, 9p) that
 * verify nothing themselves pass false.
 */
export function exposure(
  what: string,
  host: string,
  secured: boolean,
  insecure: boolean,
): Exposure {
  if (isLoopback(host) || secured) return null;
  if (insecure) {
    return {
      warn:
        `sigma: warning: ${what} on ${host} serves everyone (--insecure): ` +
        `anyone who can reach it can read and change everything it serves`,
    };
  }
  const needs =
    what === "named" || what === "procd" || what === "memfsd" ? "--auth-keys" : "authentication";
  return {
    refuse: `sigma: ${what}: refusing to serve ${host} without ${needs} (give --insecure to serve everyone)`,
  };
}

function isLoopback(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, "").toLowerCase();
  if (h === "localhost" || h === "::1") return true;
  if (isIP(h) === 4) return h.startsWith("127.");
  return h.startsWith("::ffff:127.");
}
