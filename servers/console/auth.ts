/**
 * The authentication seam. `openAuth`: every caller is the console's own principal, acting
 * through the console's FsLib. `bearerAuth` (bearer-auth.ts, the default in front of it): an API
 * request with `Authorization: Bearer <sigma token>` is that token's principal, acting through
 * an FsLib whose hello presents the token, so that named shows it only what it may see; its
 * `canWrite` follows the token's role. The page logs in by pasting a token, which it then sends
 * the same way (`loginPath` checks it; docs/console.md, "Logging in").
 */
import type { IncomingMessage } from "node:http";
import type { FsLib } from "../../runtime/client/index.js";
import type { AuthInfo, TokenInfo } from "./api-types.js";

/** Who makes a request, and the client that acts for them. */
export interface Principal {
  name: string;
  /** Whether this principal may change the namespace (the console's --read-only overrides it). */
  canWrite: boolean;
  /** Every namespace call of this principal's requests goes through it. */
  fsl: FsLib;
  /**
   * Bits cleared from what this principal creates: a bearer token's user gets 022, as a Unix
   * login does, so others cannot change its files. Default 0 (0777): the console's own
   * principal is shared by everyone using the page.
   */
  umask?: number;
  /** How this principal was proven, for /api/info; default its ConsoleAuth's mode. */
  mode?: AuthInfo["mode"];
  /** A bearer token's claims: the page shows them, an event stream ends at `expires`. */
  token?: TokenInfo;
  /**
   * Marks the principal in use until the returned function is called: an open event stream
   * keeps its token's FsLib (and so its watches) from being closed as idle. If the FsLib is
   * closed anyway (expired, or pushed out by newer tokens), `end` is called.
   */
  hold?(end: () => void): () => void;
}

/** How the console learns who a request is from. */
export interface ConsoleAuth {
  readonly mode: AuthInfo["mode"];
  /** Where the page checks a token (`POST`); null when there is nothing to log in to. */
  readonly loginPath: string | null;
  /** The request's principal; null answers 401 (not logged in). */
  principal(req: IncomingMessage): Promise<Principal | null>;
}

/** No authentication: everyone is `uname`, acting through `fsl`. */
export function openAuth(fsl: FsLib, uname: string): ConsoleAuth {
  const everyone: Principal = { name: uname, canWrite: true, fsl };
  return {
    mode: "none",
    loginPath: null,
    principal: async () => everyone,
  };
}
