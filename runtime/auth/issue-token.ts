/** Signing tokens: what `sigma token issue` does, for code that mints its own (tests, a proc's token). */
import { sign, type KeyObject } from "node:crypto";
import { badRealm, badUser, isRole, type Role, type TokenClaims } from "./claims.js";
import { keyId } from "./key-id.js";
import { formatToken } from "./token-format.js";

/** What to put in a token. */
export interface IssueRequest {
  user: string;
  realm: string;
  /** Default `user`. */
  role?: Role;
  /** Lifetime from `notBefore`; rounded up to whole seconds. Default 1 hour. */
  ttlMs?: number;
  /** When it becomes valid (ms since the epoch); default `now`. */
  notBefore?: number;
  /** The clock (ms since the epoch); default Date.now(). */
  now?: number;
}

/** The default lifetime of an issued token. */
export const DEFAULT_TTL_MS = 60 * 60 * 1000;

/** A signed token for `req`. Bad input (names, role, times): RangeError saying which. */
export function issueToken(privateKey: KeyObject, req: IssueRequest): string {
  if (privateKey.type !== "private" || privateKey.asymmetricKeyType !== "ed25519") {
    throw new TypeError("a token is signed with an Ed25519 private key");
  }
  const problem =
    badUser(req.user) ??
    badRealm(req.realm) ??
    (req.role === undefined || isRole(req.role) ? null : "role must be admin, user or readonly");
  if (problem !== null) throw new RangeError(problem);
  const now = req.now ?? Date.now();
  const ttlMs = req.ttlMs ?? DEFAULT_TTL_MS;
  if (!Number.isFinite(ttlMs) || ttlMs <= 0) throw new RangeError("ttl must be positive");
  const iat = Math.floor(now / 1000);
  const nbf = Math.floor((req.notBefore ?? now) / 1000);
  const claims: TokenClaims = {
    user: req.user,
    realm: req.realm,
    role: req.role ?? "user",
    iat,
    nbf,
    exp: nbf + Math.ceil(ttlMs / 1000),
    kid: keyId(privateKey),
  };
  if (!Number.isSafeInteger(claims.exp) || claims.nbf < 0 || claims.exp <= claims.iat) {
    throw new RangeError("token would expire before it is issued");
  }
  return formatToken(claims, (signed) => sign(null, signed, privateKey));
}
