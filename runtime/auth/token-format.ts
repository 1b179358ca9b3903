/**
 * The token's text, version 1: `sgt1.<payload>.<signature>`, both parts base64url without padding.
 * The payload is a JSON object with exactly the claims of claims.ts; the signature is Ed25519
 * over the ASCII bytes `sgt1.<payload>`, so the version prefix is signed too and a token cannot be
 * re-labelled as another format. A later format gets a new prefix (`sgt2.`), which a v1 verifier
 * refuses as malformed instead of guessing.
 *
 * Decoding is strict: one canonical spelling per token (base64url that re-encodes to itself, a
 * signature of exactly 64 bytes, no unknown or missing claim), so that no two texts carry the same
 * signed claims and nothing unexpected reaches the checks after the signature.
 */
import { Buffer } from "node:buffer";
import { badRealm, badUser, isRole, type TokenClaims } from "./claims.js";
import { TokenError } from "./token-error.js";

/** The version-1 prefix, dot included. */
export const TOKEN_PREFIX = "sgt1.";

/** Longer input is refused before any parsing: a real token is about 250 bytes. */
export const MAX_TOKEN_BYTES = 2048;

const ED25519_SIGNATURE_BYTES = 64;
const CLAIM_KEYS = ["exp", "iat", "kid", "nbf", "realm", "role", "user"];
const B64URL_RE = /^[A-Za-z0-9_-]+$/;
const KID_RE = /^[0-9a-f]{16}$/;

/** A token taken apart, its signature not yet checked. */
export interface TokenParts {
  /** The bytes the signature covers. */
  signed: Buffer;
  signature: Buffer;
  claims: TokenClaims;
}

/** The token text for `claims`, given a signer of the signed bytes. */
export function formatToken(claims: TokenClaims, sign: (signed: Buffer) => Buffer): string {
  const body = {
    kid: claims.kid,
    user: claims.user,
    realm: claims.realm,
    role: claims.role,
    iat: claims.iat,
    nbf: claims.nbf,
    exp: claims.exp,
  };
  const head = TOKEN_PREFIX + Buffer.from(JSON.stringify(body), "utf8").toString("base64url");
  return `${head}.${sign(Buffer.from(head, "ascii")).toString("base64url")}`;
}

/** Takes a token apart; every defect is TokenError `missing` or `malformed`. */
export function parseToken(token: Uint8Array | string | null | undefined): TokenParts {
  if (token === null || token === undefined || token.length === 0) {
    throw new TokenError("missing", "no token given");
  }
  if (token.length > MAX_TOKEN_BYTES) {
    throw new TokenError("malformed", `longer than ${MAX_TOKEN_BYTES} bytes`);
  }
  // latin1 maps each byte to one code unit, so any non-ASCII byte fails the patterns below.
  const text = typeof token === "string" ? token : Buffer.from(token).toString("latin1");
  if (!text.startsWith(TOKEN_PREFIX)) {
    const dot = text.indexOf(".");
    const what = dot > 0 && dot <= 8 ? `format ${JSON.stringify(text.slice(0, dot))}` : "format";
    throw new TokenError("malformed", `unknown token ${what}; expected ${TOKEN_PREFIX}…`);
  }
  const parts = text.slice(TOKEN_PREFIX.length).split(".");
  if (parts.length !== 2) throw new TokenError("malformed", "expected sgt1.<payload>.<signature>");
  const [payload, sig] = parts as [string, string];
  const payloadBytes = strictBase64url(payload, "payload");
  const signature = strictBase64url(sig, "signature");
  if (signature.length !== ED25519_SIGNATURE_BYTES) {
    throw new TokenError("malformed", `signature is ${signature.length} bytes, not 64`);
  }
  return {
    signed: Buffer.from(TOKEN_PREFIX + payload, "ascii"),
    signature,
    claims: parseClaims(payloadBytes),
  };
}

function strictBase64url(s: string, what: string): Buffer {
  if (!B64URL_RE.test(s)) throw new TokenError("malformed", `${what} is not base64url`);
  const bytes = Buffer.from(s, "base64url");
  if (bytes.toString("base64url") !== s) {
    throw new TokenError("malformed", `${what} is not canonical base64url`);
  }
  return bytes;
}

function parseClaims(bytes: Buffer): TokenClaims {
  let value: unknown;
  try {
    value = JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(bytes));
  } catch {
    throw new TokenError("malformed", "payload is not UTF-8 JSON");
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new TokenError("malformed", "payload is not an object");
  }
  const o = value as Record<string, unknown>;
  const keys = Object.keys(o).sort();
  if (keys.length !== CLAIM_KEYS.length || keys.some((k, i) => k !== CLAIM_KEYS[i])) {
    throw new TokenError("malformed", `claims must be exactly ${CLAIM_KEYS.join(", ")}`);
  }
  const problem =
    badUser(o.user) ??
    badRealm(o.realm) ??
    (isRole(o.role) ? null : "role is not admin, user or readonly") ??
    (typeof o.kid === "string" && KID_RE.test(o.kid) ? null : "kid is not 16 hex digits") ??
    badSeconds(o.iat, "iat") ??
    badSeconds(o.nbf, "nbf") ??
    badSeconds(o.exp, "exp");
  if (problem !== null) throw new TokenError("malformed", problem);
  const c = o as unknown as TokenClaims;
  if (!(c.nbf < c.exp && c.iat < c.exp)) {
    throw new TokenError("malformed", "exp is not after iat and nbf");
  }
  return {
    user: c.user,
    realm: c.realm,
    role: c.role,
    iat: c.iat,
    nbf: c.nbf,
    exp: c.exp,
    kid: c.kid,
  };
}

function badSeconds(v: unknown, name: string): string | null {
  return Number.isSafeInteger(v) && (v as number) >= 0
    ? null
    : `${name} is not a whole number of seconds`;
}
