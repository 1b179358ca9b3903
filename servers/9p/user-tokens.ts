/**
 * One principal per 9P user (docs/security.md, "The 9P gateway and the console"): with mutual TLS
 * the client certificate's CN is the proven user, and the gateway speaks for exactly that user as
 * procd speaks for its spawners (servers/procd/proc-credentials.ts). It holds an Ed25519 key
 * whose public half the realm's servers accept, mints each connection a short-lived `user`-role
 * token of its CN, and renews it on the connection's FsLib at each half of its life, so a session
 * that reconnects after the first token's end resumes as the same user.
 */
import type { KeyObject } from "node:crypto";
import { badUser, issueToken } from "../../runtime/auth/index.js";
import type { FsLib } from "../../runtime/client/index.js";
import { logger } from "../../runtime/log.js";
import { Errno, ErrnoError } from "./errno.js";

const log = logger("9p");

/** Default lifetime of a user's token: one hour, as `sigma token issue`'s and procd's. */
export const USER_TOKEN_TTL_MS = 60 * 60 * 1000;

export class UserTokens {
  readonly #key: KeyObject;
  readonly #realm: string;
  readonly #ttlMs: number;

  constructor(key: KeyObject, realm: string, ttlMs = USER_TOKEN_TTL_MS) {
    if (!Number.isFinite(ttlMs) || ttlMs <= 0) {
      throw new RangeError("9p gateway: userTokenTtlMs must be positive");
    }
    // Fails here (a public or non-Ed25519 key, a bad realm) rather than at the first attach.
    issueToken(key, { user: "probe", realm, ttlMs });
    this.#key = key;
    this.#realm = realm;
    this.#ttlMs = ttlMs;
  }

  /**
   * The user a 9P connection may act as: its certificate's CN, which must be a token user name.
   * `uname` (Tattach's) may be empty or that user; anything else is EACCES, never a session.
   */
  userOf(cn: string | undefined, uname: string): string {
    if (cn === undefined) throw new ErrnoError(Errno.EACCES, "no client certificate CN");
    const bad = badUser(cn);
    if (bad !== null) throw new ErrnoError(Errno.EACCES, `client certificate CN: ${bad}`);
    if (uname !== "" && uname !== cn) {
      throw new ErrnoError(Errno.EACCES, `uname ${uname}: this connection is ${cn}'s`);
    }
    return cn;
  }

  /** A fresh token of `user`, this realm, role `user`. */
  tokenFor(user: string): string {
    return issueToken(this.#key, { user, realm: this.#realm, role: "user", ttlMs: this.#ttlMs });
  }

  /** Gives `fsl` a fresh token of `user` every half of a token's life; the result stops it. */
  renew(fsl: FsLib, user: string): () => void {
    const timer = setInterval(() => {
      try {
        fsl.setToken(this.tokenFor(user));
      } catch (e) {
        log("9p: renewing %s's token failed: %O", user, e);
      }
    }, this.#ttlMs / 2);
    // A connection that ended must not keep the gateway's event loop alive.
    timer.unref();
    return () => clearInterval(timer);
  }
}
