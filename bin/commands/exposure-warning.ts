/**
 * What a server command does about an address other hosts can reach (docs/security.md,
 * "Defaults"): loopback, or a server checking tokens (`--auth-keys`) over TLS, serves; otherwise
 * it refuses to start unless `--insecure` is given, and then warns. One line either way, on
 * stderr. Keys without TLS are refused too: tokens are bearer credentials, and on plain TCP anyone
 * on the path could take one and be its user until it expires.
 */
import { isIP } from "node:net";

export type Exposure = { refuse: string } | { warn: string } | null;

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
  if (isLoopback(host) || (secured && tls)) return null;
  if (secured) {
    if (insecure) {
      return {
        warn:
          `sigma: warning: ${what} on ${host} takes tokens over plain TCP (--insecure): ` +
          `anyone on the path can take one and act as its user until it expires`,
      };
    }
    return {
      refuse: `sigma: ${what}: refusing to take tokens on ${host} without TLS (give --tls-cert and --tls-key, or --insecure)`,
    };
  }
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
