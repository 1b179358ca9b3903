/**
 * Who a hello's sender is (docs/security.md, "Where the token travels: in the hello"): with
 * keys, the hello's credentials must be a valid token of this server's realm; without, the
 * server is open and every session's principal is null. With mutual TLS the certificate's CN
 * (`conn.peerUser`) is a user too: alone it is `{ user: CN, realm, role: "user" }`, and a token
 * beside it must name the same user (its role then holds).
 */
import { ErrCode } from "../../../generated/sigmap/types.js";
import {
  badUser,
  isTokenError,
  verifyToken,
  type KeyRing,
  type Principal,
} from "../../auth/index.js";
import { SigmaError } from "../../errors/index.js";
import { logger } from "../../log.js";

const log = logger("sesssrv");

/** A server's authentication settings. */
export interface SessionAuth {
  /** Public keys whose tokens are accepted (`--auth-keys`). */
  readonly keys: KeyRing;
  /** The one realm this server serves. */
  readonly realm: string;
  /** Clock-skew tolerance; default runtime/auth's DEFAULT_SKEW_MS. */
  readonly skewMs?: number;
  /**
   * One line per refused hello, for the operator (never the token's text). Default: stderr.
   * The session layer's debug log has the same line; this one is always on.
   */
  readonly onRefused?: (line: string) => void;
}

/**
 * The principal a hello proves, or Unauthorized. Open mode (auth null): null. `peerUser`: the
 * connection's verified client-certificate CN (mutual TLS).
 */
export function helloPrincipal(
  auth: SessionAuth | null,
  credentials: Uint8Array | undefined,
  now: number = Date.now(),
  peerUser?: string,
): Principal | null {
  if (auth === null) return null;
  const noToken = credentials === undefined || credentials.length === 0;
  if (peerUser !== undefined && noToken) {
    if (badUser(peerUser) !== null) {
      throw new SigmaError(
        ErrCode.Unauthorized,
        "bad-certificate",
        `unauthorized: client certificate CN ${JSON.stringify(peerUser)} is not a valid user name`,
      );
    }
    return { user: peerUser, realm: auth.realm, role: "user" };
  }
  const principal = tokenPrincipal(auth, credentials, now);
  if (peerUser !== undefined && principal.user !== peerUser) {
    throw new SigmaError(
      ErrCode.Unauthorized,
      "other-user",
      `unauthorized: token for ${principal.user}, client certificate for ${peerUser}`,
    );
  }
  return principal;
}

function tokenPrincipal(
  auth: SessionAuth,
  credentials: Uint8Array | undefined,
  now: number,
): Principal {
  try {
    const opts =
      auth.skewMs === undefined
        ? { realm: auth.realm, now }
        : { realm: auth.realm, now, skewMs: auth.skewMs };
    return verifyToken(
      credentials === undefined || credentials.length === 0 ? null : credentials,
      auth.keys,
      opts,
    ).principal;
  } catch (e) {
    throw unauthorizedFrom(e);
  }
}

/** runtime/auth stays below the generated code; this is the one place TokenError becomes a code. */
export function unauthorizedFrom(e: unknown): SigmaError {
  if (isTokenError(e)) return new SigmaError(ErrCode.Unauthorized, e.reason, e.message);
  return new SigmaError(ErrCode.Unauthorized, "malformed", "token refused: malformed");
}

/** Whether a resuming hello's principal may take over the session's. */
export function samePrincipal(a: Principal | null, b: Principal | null): boolean {
  if (a === null || b === null) return a === b;
  return a.user === b.user && a.realm === b.realm;
}

/** The operator's one line for a refused hello. */
export function refusedLine(auth: SessionAuth | null, line: string): void {
  log(line);
  if (auth?.onRefused !== undefined) auth.onRefused(line);
  else process.stderr.write(line + "\n");
}
