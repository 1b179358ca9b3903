/**
 * A principal per API caller (docs/security.md, "The 9P gateway and the console"): a request
 * carrying `Authorization: Bearer <sigma token>` acts through an FsLib whose hello presents that
 * token, so named (which verifies it) shows and lets it do exactly what the token's principal
 * may. The console verifies no signature itself: a token named refuses fails the connect, and
 * the request gets 401. One FsLib per token, kept while it is used: closed after `idleMs`
 * without a request, when its token has expired (checked at every request, so an expired token
 * is refused although its session would live on), or to make room for a newer one. An open
 * event stream holds its token (`Principal.hold`): it is not idle while the stream lasts, and
 * is ended when the token's FsLib is closed for another reason (its watches went with it). A
 * request without the header is the fallback's (the console's own principal), or 401 with
 * `requireLogin`. `/api/login` (LOGIN_PATH) is where the page checks a pasted token.
 */
import type { IncomingMessage } from "node:http";
import { parseToken, type TokenClaims } from "../../runtime/auth/index.js";
import type { FsLib } from "../../runtime/client/index.js";
import { errorText } from "../../runtime/errors/index.js";
import { logger } from "../../runtime/log.js";
import { ApiError } from "./api-errors.js";
import type { ConsoleAuth, Principal } from "./auth.js";

const log = logger("console");

/** Where the page checks a token: the API route answering the caller's AuthInfo. */
export const LOGIN_PATH = "/api/login";

export interface BearerAuthOptions {
  /** Opens an FsLib presenting `token` in its hello. */
  connect(token: string): Promise<FsLib>;
  /** Who a request without a token is; null: 401 (`requireLogin`). */
  fallback: ConsoleAuth | null;
  /** Close a token's FsLib after this long without a request. */
  idleMs: number;
  /** Tokens with an open FsLib at most; the least recently used goes first. */
  max: number;
  /** The clock (ms since the epoch). Default Date.now. */
  now?: () => number;
}

interface Held {
  readonly claims: TokenClaims;
  readonly principal: Promise<Principal>;
  lastUsed: number;
  /** Open event streams of this token, each with what ends it: while any is, it is not idle. */
  readonly holds: Set<() => void>;
}

/** A ConsoleAuth taking bearer tokens; `close` closes every FsLib it opened. */
export interface BearerAuth extends ConsoleAuth {
  /** Tokens with an open (or opening) FsLib now. */
  size(): number;
  /** Closes the FsLibs idle for `idleMs` or of expired tokens now (a timer does it every idleMs/2). */
  closeIdle(): void;
  close(): Promise<void>;
}

export function bearerAuth(o: BearerAuthOptions): BearerAuth {
  const now = o.now ?? Date.now;
  // Map order is use order: a hit is moved to the end, so the first entry is the least recent.
  const held = new Map<string, Held>();
  let closed = false;

  const drop = (token: string, h: Held, why: string): void => {
    if (held.get(token) !== h) return;
    held.delete(token);
    log("closing the session of %s's token: %s", h.claims.user, why);
    // Its streams' watches end with the FsLib: end the streams too, so that pages reconnect.
    for (const end of [...h.holds]) end();
    h.holds.clear();
    void h.principal.then(
      (p) => p.fsl.close().catch(() => undefined),
      () => undefined,
    );
  };
  const expired = (h: Held): boolean => now() >= h.claims.exp * 1000;
  const closeIdle = (): void => {
    for (const [token, h] of held) {
      if (expired(h)) drop(token, h, "expired");
      else if (h.holds.size === 0 && now() - h.lastUsed >= o.idleMs) drop(token, h, "idle");
    }
  };
  const sweep = setInterval(closeIdle, Math.max(1000, o.idleMs / 2));
  sweep.unref();

  const principalOf = async (token: string): Promise<Principal> => {
    let h = held.get(token);
    if (h === undefined) {
      let claims: TokenClaims;
      try {
        claims = parseToken(token).claims;
      } catch (e) {
        throw new ApiError(401, "BadToken", `token refused: ${errorText(e)}`);
      }
      if (closed) throw new ApiError(503, "Closing", "the console is closing");
      while (held.size >= o.max) {
        const [oldest, oh] = held.entries().next().value as [string, Held];
        drop(oldest, oh, "making room");
      }
      const opened: Held = {
        claims,
        lastUsed: now(),
        holds: new Set(),
        principal: o.connect(token).then((fsl): Principal => ({
          name: claims.user,
          canWrite: claims.role !== "readonly",
          fsl,
          mode: "token",
          umask: 0o022,
          token: {
            user: claims.user,
            realm: claims.realm,
            role: claims.role,
            expires: claims.exp * 1000,
          },
          hold: (end) => {
            const mine = () => end();
            opened.holds.add(mine);
            return () => {
              if (opened.holds.delete(mine)) opened.lastUsed = now();
            };
          },
        })),
      };
      h = opened;
      held.set(token, opened);
      // A refused or failed connect is not kept: the next request tries again.
      opened.principal.catch(() => {
        if (held.get(token) === opened) held.delete(token);
      });
    } else {
      held.delete(token);
      held.set(token, h);
    }
    if (expired(h)) {
      drop(token, h, "expired");
      throw new ApiError(401, "BadToken", "token refused: expired");
    }
    h.lastUsed = now();
    // named's refusal of the token is Unauthorized, which the API answers with 401.
    return h.principal;
  };

  return {
    mode: o.fallback?.mode ?? "token",
    loginPath: LOGIN_PATH,
    size: () => held.size,
    closeIdle,
    principal: async (req: IncomingMessage) => {
      const token = bearerOf(req);
      if (token !== undefined) return principalOf(token);
      return o.fallback === null ? null : o.fallback.principal(req);
    },
    close: async () => {
      closed = true;
      clearInterval(sweep);
      const all = [...held.values()];
      held.clear();
      await Promise.all(
        all.map((h) =>
          h.principal.then(
            (p) => p.fsl.close().catch(() => undefined),
            () => undefined,
          ),
        ),
      );
    },
  };
}

/** The token of `Authorization: Bearer <token>`, undefined without one; another scheme is 401. */
function bearerOf(req: IncomingMessage): string | undefined {
  const h = req.headers.authorization;
  if (h === undefined) return undefined;
  const m = /^Bearer +(\S+) *$/i.exec(h);
  if (m === null) throw new ApiError(401, "BadToken", "Authorization must be Bearer <sigma token>");
  return m[1];
}
