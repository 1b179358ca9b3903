/**
 * Why a token was refused. Every failure of {@link verifyToken} is one TokenError with one of
 * these reasons, so a server can log one line and answer one error code (phase 2 maps it to the
 * schema's `Unauthorized`, see docs/security.md) without parsing messages.
 */

/** The reasons, in the order verification meets them. */
export const TOKEN_REFUSALS = [
  "missing",
  "malformed",
  "unknown-key",
  "bad-signature",
  "wrong-realm",
  "not-yet-valid",
  "expired",
] as const;

export type TokenRefusal = (typeof TOKEN_REFUSALS)[number];

/** A refused token: `reason` for code, `message` for people (`token refused: expired (…)`). */
export class TokenError extends Error {
  readonly reason: TokenRefusal;

  constructor(reason: TokenRefusal, detail: string) {
    super(`token refused: ${reason}${detail === "" ? "" : ` (${detail})`}`);
    this.name = "TokenError";
    this.reason = reason;
  }
}

/**
 * Whether `e` is a TokenError. Structural, like runtime/errors' guards, so that a TokenError from
 * a second copy of this module still counts.
 */
export function isTokenError(e: unknown): e is TokenError {
  if (e instanceof TokenError) return true;
  if (!(e instanceof Error) || e.name !== "TokenError") return false;
  const reason = (e as Error & { reason?: unknown }).reason;
  return typeof reason === "string" && (TOKEN_REFUSALS as readonly string[]).includes(reason);
}
