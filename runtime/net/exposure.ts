/**
 * The one rule for a server on an address other hosts can reach (docs/security.md, "Defaults"):
 * loopback serves; off loopback a server must check tokens (`--auth-keys`, `authKeys`/`auth`)
 * over TLS, or be told `--insecure` (`insecure: true`), and then it warns. Keys without TLS are
 * refused too: tokens are bearer credentials, and on plain TCP anyone on the path could take one
 * and be its user until it expires. Every sigmap server applies it where it starts
 * (startSessionServer), and the `sigma` commands before they start anything, with the same words.
 */
import { isIP } from "node:net";
import { ErrCode } from "../../generated/sigmap/types.js";
import { SigmaError } from "../errors/index.js";

export interface ExposureInput {
  /** The server's name in the message: "named", "procd", "9p gateway"... */
  what: string;
  /** The address it binds (undefined: the default, loopback). */
  host: string | undefined;
  /** It verifies who its clients are (tokens, or client certificates at named). */
  secured: boolean;
  /** It serves TLS. */
  tls: boolean;
  /** Serve anyway (`--insecure`). */
  insecure: boolean;
  /** What it lacks when not secured; default "--auth-keys" (gateways: "authentication"). */
  needs?: string;
}

/** Refuse (with the line), warn (with the line), or nothing to say. */
export type Exposure = { refuse: string } | { warn: string } | null;

export function exposure(i: ExposureInput): Exposure {
  const host = i.host;
  if (host === undefined || isLoopback(host) || (i.secured && i.tls)) return null;
  if (i.secured) {
    if (i.insecure) {
      return {
        warn:
          `warning: ${i.what} on ${host} takes tokens over plain TCP (--insecure): ` +
          `anyone on the path can take one and act as its user until it expires`,
      };
    }
    return {
      refuse: `${i.what}: refusing to take tokens on ${host} without TLS (give --tls-cert and --tls-key, or --insecure)`,
    };
  }
  if (i.insecure) {
    return {
      warn:
        `warning: ${i.what} on ${host} serves everyone (--insecure): ` +
        `anyone who can reach it can read and change everything it serves`,
    };
  }
  return {
    refuse: `${i.what}: refusing to serve ${host} without ${i.needs ?? "--auth-keys"} (give --insecure to serve everyone)`,
  };
}

/**
 * Throws the refusal (SigmaError Inval, obj the host) or returns the warning line (null: none).
 * For servers started in code; the CLI prints the same lines itself.
 */
export function checkExposure(i: ExposureInput): string | null {
  const e = exposure(i);
  if (e === null) return null;
  if ("refuse" in e) throw new SigmaError(ErrCode.Inval, i.host ?? "", e.refuse);
  return e.warn;
}

function isLoopback(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, "").toLowerCase();
  if (h === "localhost" || h === "::1") return true;
  if (isIP(h) === 4) return h.startsWith("127.");
  return h.startsWith("::ffff:127.");
}
