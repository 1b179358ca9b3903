/**
 * The line a server command prints when it binds an address other hosts can reach: sigmats has
 * no authentication yet, so anyone who reaches the port can read and change what it serves.
 * Every server command (named, procd, …) prints it on start-up, on stderr.
 */
import { isIP } from "node:net";

/** The warning for a server `what` bound to `host`, or null on a loopback address. */
export function exposureWarning(what: string, host: string): string | null {
  if (isLoopback(host)) return null;
  return (
    `sigma: warning: ${what} on ${host} has no authentication yet: ` +
    `anyone who can reach it can read and change everything it serves`
  );
}

function isLoopback(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, "").toLowerCase();
  if (h === "localhost" || h === "::1") return true;
  if (isIP(h) === 4) return h.startsWith("127.");
  return h.startsWith("::ffff:127.");
}
