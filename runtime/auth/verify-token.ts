/**
 * Verifying a token: the only way a server learns a principal. Checks run cheapest first (length,
 * format, key id) so that junk costs no signature check, and the claims that only mean something
 * once signed (realm, times) run after the signature. Every refusal is a TokenError; nothing else
 * escapes, whatever the bytes.
 *
 * Clock skew: a token is accepted from `nbf - skewMs` until just before `exp + skewMs`, both in
 * milliseconds against `now`. The default tolerance is one minute: issuer and servers are
 * expected to run NTP, and a minute is far below any useful token lifetime.
 */
import { verify } from "node:crypto";
import type { Principal, TokenClaims } from "./claims.js";
import type { KeyRing } from "./key-ring.js";
import { TokenError } from "./token-error.js";
import { parseToken } from "./token-format.js";

/** The default clock-skew tolerance. */
export const DEFAULT_SKEW_MS = 60_000;

/** The largest tolerance a caller may ask for: more would make `exp` meaningless. */
export const MAX_SKEW_MS = 10 * 60_000;

export interface VerifyOptions {
  /** The realm this server serves: a token for another realm is refused. */
  realm: string;
  /** The clock (ms since the epoch); default Date.now(). */
  now?: number;
  /** Clock-skew tolerance in ms, 0..MAX_SKEW_MS; default DEFAULT_SKEW_MS. */
  skewMs?: number;
}

/** A token that passed every check. */
export interface VerifiedToken {
  readonly principal: Principal;
  readonly claims: TokenClaims;
}

/** Verifies `token` against `keys` for `opts.realm`; any refusal throws TokenError. */
export function verifyToken(
  token: Uint8Array | string | null | undefined,
  keys: KeyRing,
  opts: VerifyOptions,
): VerifiedToken {
  const skewMs = opts.skewMs ?? DEFAULT_SKEW_MS;
  // A caller's mistake, not the token's: fail loudly rather than accept everything.
  if (!(skewMs >= 0 && skewMs <= MAX_SKEW_MS)) {
    throw new RangeError(`skewMs must be within 0..${MAX_SKEW_MS}`);
  }
  const { signed, signature, claims } = parseToken(token);
  const key = keys.get(claims.kid);
  if (key === undefined) {
    throw new TokenError(
      "unknown-key",
      `signed by key ${claims.kid}, which this server does not hold`,
    );
  }
  let ok: boolean;
  try {
    ok = verify(null, signed, key, signature);
  } catch {
    ok = false;
  }
  if (!ok) throw new TokenError("bad-signature", `not signed by key ${claims.kid}`);
  if (claims.realm !== opts.realm) {
    throw new TokenError(
      "wrong-realm",
      `token for realm ${claims.realm}, this server serves ${opts.realm}`,
    );
  }
  const now = opts.now ?? Date.now();
  if (now < claims.nbf * 1000 - skewMs) {
    throw new TokenError("not-yet-valid", `valid from ${iso(claims.nbf)}, now ${iso(now / 1000)}`);
  }
  if (now >= claims.exp * 1000 + skewMs) {
    throw new TokenError("expired", `expired ${iso(claims.exp)}, now ${iso(now / 1000)}`);
  }
  return { principal: { user: claims.user, realm: claims.realm, role: claims.role }, claims };
}

function iso(seconds: number): string {
  return new Date(Math.floor(seconds) * 1000).toISOString();
}
